/**
 * The media library: audio stored by the sha256 of its processed bytes, listed, searched,
 * deleted only when unused, and handed to devices as signed, expiring URLs.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { inScope, type Actor } from '../auth/permissions.js';
import type { Clock } from '../clock.js';
import { commonErrors, defineErrors } from '../errors.js';
import type { MediaRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { FileMedia } from '../../protocol/index.js';
import type { UrlSigner } from './signing.js';

export const mediaErrors = defineErrors({
  LOA_MEDIA_IN_USE: {
    status: 409,
    vi: 'Không thể xoá: tệp âm thanh đang được dùng bởi {count} bản tin hoặc chương trình.',
    en: 'Cannot delete: the audio is used by {count} broadcasts or programmes.',
  },
  LOA_MEDIA_QUOTA: {
    status: 507,
    vi: 'Thư viện âm thanh đã đầy ({usedMb}/{quotaMb} MB). Hãy xoá bớt tệp không dùng nữa rồi tải lên lại.',
    en: 'The media library is full ({usedMb}/{quotaMb} MB). Delete media no longer used, then upload again.',
  },
  LOA_MEDIA_UNAVAILABLE: {
    status: 503,
    vi: 'Chưa xử lý được âm thanh trên máy chủ này (thiếu ffmpeg). Báo kỹ thuật viên cài ffmpeg.',
    en: 'Audio processing is unavailable on this server (no ffmpeg). Ask a technician to install ffmpeg.',
  },
});

/** What the audio engine returns for one processed file. */
export interface ProcessedAudio {
  path: string;
  sha256: string;
  bytes: number;
  durationMs: number;
  format: string;
  loudnessLufs: number | null;
}

export interface AudioProcessor {
  /** Validates and converts an upload into the device profile; writes only inside workDir. */
  process(inputPath: string, workDir: string, onProgress?: (pct: number) => void): Promise<ProcessedAudio>;
}

/** Something that plays a media item: a broadcast, a programme, an alert. */
export interface MediaUse {
  kind: 'broadcast' | 'programme' | 'alert';
  id: string;
  title: string;
  status: string;
  commune: string | null;
  /** Still to play (an active broadcast, a programme with occurrences ahead): the item may not be deleted. */
  pending: boolean;
}

/** Answers which records of one kind use a media item; features add theirs (programmes, alerts). */
export type MediaUsageSource = (mediaId: string) => MediaUse[];

export interface MediaUsage {
  bytes: number;
  quotaBytes: number;
}

export const MEDIA_FILE = /^([a-f0-9]{64})\.(mp3|wav)$/;

export class MediaLibrary {
  readonly dir: string;
  readonly workDir: string;
  private readonly usageSources: MediaUsageSource[] = [
    (id) =>
      this.store.broadcasts
        .all()
        .filter((b) => b.mediaId === id)
        .map((b) => ({ kind: 'broadcast', id: b.id, title: b.title, status: b.status, commune: b.commune, pending: b.status === 'active' })),
  ];

  constructor(
    private readonly store: Store,
    private readonly processor: AudioProcessor | null,
    private readonly signer: UrlSigner,
    private readonly clock: Clock,
    private readonly publicUrl: () => string,
    private readonly quotaBytes: number = Number.MAX_SAFE_INTEGER,
  ) {
    this.dir = path.join(store.dataDir, 'media');
    this.workDir = path.join(store.dataDir, 'tmp');
  }

  async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await fs.rm(this.workDir, { recursive: true, force: true });
    await fs.mkdir(this.workDir, { recursive: true });
  }

  get available(): boolean {
    return this.processor !== null;
  }

  /** Processes an uploaded file (already in workDir under a generated name) and keeps the result. */
  async add(actor: Actor, uploadPath: string, title: string, text: string | null = null, onProgress?: (pct: number) => void): Promise<MediaRecord> {
    if (!this.processor) throw mediaErrors.LOA_MEDIA_UNAVAILABLE();
    try {
      this.checkQuota(0);
      const out = await this.processor.process(uploadPath, this.workDir, onProgress);
      return await this.keep(actor, out, title, text);
    } finally {
      await fs.rm(uploadPath, { force: true });
    }
  }

  /** Keeps audio the engine already produced in workDir (text to speech, tones). */
  async keepProcessed(actor: Actor, out: ProcessedAudio, title: string, text: string | null): Promise<MediaRecord> {
    return this.keep(actor, out, title, text);
  }

  private async keep(actor: Actor, out: ProcessedAudio, title: string, text: string | null): Promise<MediaRecord> {
    const existing = this.store.media.all().find((m) => m.sha256 === out.sha256);
    if (!existing) await this.refuseOverQuota(out);
    const finalPath = path.join(this.dir, `${out.sha256}.${out.format}`);
    await fs.rename(out.path, finalPath);
    if (existing) return existing;
    const record: MediaRecord = {
      id: `m-${out.sha256.slice(0, 16)}`,
      sha256: out.sha256,
      bytes: out.bytes,
      durationMs: out.durationMs,
      format: out.format,
      title,
      createdAt: this.clock.now(),
      createdBy: actor.username,
      loudnessLufs: out.loudnessLufs,
      text,
    };
    this.store.media.put(record);
    await this.store.media.flush();
    return record;
  }

  get(id: string): MediaRecord {
    const m = this.store.media.get(id);
    if (!m) throw commonErrors.LOA_NOT_FOUND({ what: 'tệp âm thanh / media', id });
    return m;
  }

  list(query: string | undefined): MediaRecord[] {
    const q = query?.toLocaleLowerCase('vi');
    return this.store.media
      .all()
      .filter((m) => !q || m.title.toLocaleLowerCase('vi').includes(q) || (m.text ?? '').toLocaleLowerCase('vi').includes(q))
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  usage(): MediaUsage {
    // Stored once per sha256, however many records point at it.
    const files = new Map(this.store.media.all().map((m) => [m.sha256, m.bytes]));
    return { bytes: [...files.values()].reduce((a, b) => a + b, 0), quotaBytes: this.quotaBytes };
  }

  addUsageSource(source: MediaUsageSource): void {
    this.usageSources.push(source);
  }

  /**
   * Every broadcast, programme and alert that plays a media item, within the actor's area; those
   * elsewhere still to play are only counted (they keep it from being deleted all the same).
   */
  usedBy(actor: Actor, id: string): { usedBy: MediaUse[]; pendingElsewhere: number } {
    const uses = this.usesOf(id);
    const usedBy = uses.filter((u) => inScope(actor, u.commune));
    return { usedBy, pendingElsewhere: uses.filter((u) => u.pending && !inScope(actor, u.commune)).length };
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const m = this.get(id);
    // Uses outside the actor's area count too: deleting must not break another commune's programme.
    const count = this.usesOf(id).filter((u) => u.pending).length;
    if (count > 0) throw mediaErrors.LOA_MEDIA_IN_USE({ count });
    this.store.media.delete(id);
    await this.store.media.flush();
    if (!this.store.media.all().some((x) => x.sha256 === m.sha256)) await fs.rm(path.join(this.dir, `${m.sha256}.${m.format}`), { force: true });
  }

  /** The `media` of a play command: a signed URL valid until notAfter, and what the device verifies. */
  playable(m: MediaRecord, notAfter: number): FileMedia {
    const name = `${m.sha256}.${m.format}`;
    const sig = this.signer.sign(name, notAfter);
    return { url: `${this.publicUrl()}/media/${name}?exp=${notAfter}&sig=${sig}`, sha256: m.sha256, bytes: m.bytes, durationMs: m.durationMs, format: m.format };
  }

  private usesOf(id: string): MediaUse[] {
    return this.usageSources.flatMap((source) => source(id));
  }

  private checkQuota(adding: number): void {
    const { bytes, quotaBytes } = this.usage();
    if (bytes + adding <= quotaBytes) return;
    const mb = (n: number) => Math.ceil(n / 1024 / 1024);
    throw mediaErrors.LOA_MEDIA_QUOTA({ usedMb: mb(bytes), quotaMb: mb(quotaBytes) });
  }

  private async refuseOverQuota(out: ProcessedAudio): Promise<void> {
    try {
      this.checkQuota(out.bytes);
    } catch (err) {
      await fs.rm(out.path, { force: true });
      throw err;
    }
  }

  canServe(name: string, exp: number, sig: string): boolean {
    return MEDIA_FILE.test(name) && this.signer.verify(name, exp, sig, this.clock.now());
  }
}
