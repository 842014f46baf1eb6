/**
 * Firmware images: stored by their sha256 under `<dataDir>/firmware/` (never under a name a user
 * gave), listed, and served to devices only with a signed, expiring URL.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../auth/permissions.js';
import type { Clock } from '../clock.js';
import { commonErrors } from '../errors.js';
import { newId } from '../ids.js';
import { UrlSigner } from '../media/signing.js';
import { fleetOpsErrors } from './errors.js';
import type { FirmwareRecord, FleetOpsState } from './state.js';

const FILE_NAME = /^[0-9a-f]{64}\.bin$/;

export class FirmwareLibrary {
  readonly dir: string;
  private readonly signer: UrlSigner;

  constructor(
    private readonly state: FleetOpsState,
    dataDir: string,
    private readonly clock: Clock,
    private readonly baseUrl: () => string,
  ) {
    this.dir = path.join(dataDir, 'firmware');
    this.signer = new UrlSigner(Buffer.from(state.data.signingKey, 'base64url'));
  }

  async init(): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
  }

  /**
   * Streams an upload to a temporary file while hashing it, then renames it to its sha256.
   * `tooLarge()` is asked after the stream ends (the multipart limit truncates, it does not throw).
   */
  async add(actor: Actor, source: Readable, meta: { version: string; model: string }, tooLarge: () => boolean): Promise<{ record: FirmwareRecord; created: boolean }> {
    const tmp = path.join(this.dir, `upload-${newId('tmp')}`);
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            bytes += chunk.length;
            yield chunk;
          }
        },
        fs.createWriteStream(tmp),
      );
      if (tooLarge()) throw commonErrors.LOA_PAYLOAD_TOO_LARGE({ limit: 'giới hạn tải lên / the upload limit' });
      if (bytes === 0) throw fleetOpsErrors.LOA_FIRMWARE_EMPTY();
      return await this.keep(actor, tmp, hash.digest('hex'), bytes, meta);
    } finally {
      await fs.promises.rm(tmp, { force: true });
    }
  }

  list(): FirmwareRecord[] {
    return Object.values(this.state.data.firmware).sort((a, b) => b.createdAt - a.createdAt);
  }

  get(id: string): FirmwareRecord {
    const fw = Object.hasOwn(this.state.data.firmware, id) ? this.state.data.firmware[id] : undefined;
    if (!fw) throw commonErrors.LOA_NOT_FOUND({ what: 'phần mềm / firmware', id });
    return fw;
  }

  /** The URL a device fetches the image from, valid until `expiresAt`. */
  url(fw: FirmwareRecord, expiresAt: number): string {
    return `${this.baseUrl()}/firmware/${fw.file}?exp=${expiresAt}&sig=${this.signer.sign(fw.file, expiresAt)}`;
  }

  canServe(file: string, exp: number, sig: string): boolean {
    if (!FILE_NAME.test(file) || !this.signer.verify(file, exp, sig, this.clock.now())) return false;
    return Object.values(this.state.data.firmware).some((f) => f.file === file);
  }

  private async keep(actor: Actor, tmp: string, sha256: string, bytes: number, meta: { version: string; model: string }): Promise<{ record: FirmwareRecord; created: boolean }> {
    const same = this.list().find((f) => f.model === meta.model && f.version === meta.version);
    if (same && same.sha256 !== sha256) throw fleetOpsErrors.LOA_FIRMWARE_EXISTS(meta);
    if (same) return { record: same, created: false };
    const file = `${sha256}.bin`;
    await fs.promises.rename(tmp, path.join(this.dir, file));
    const record: FirmwareRecord = { id: newId('fw'), sha256, bytes, ...meta, file, createdAt: this.clock.now(), createdBy: actor.username };
    this.state.data.firmware[record.id] = record;
    this.state.changed();
    await this.state.flush();
    return { record, created: true };
  }
}
