/**
 * Media downloads as a receiver does them: HTTP GET, resumed with `Range` after a broken transfer,
 * verified against sha256 before anything plays (PROTOCOL device rule 6).
 */
import { createHash } from 'node:crypto';

export type DownloadErrorCode = 'download_failed' | 'checksum_mismatch';

export class DownloadError extends Error {
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

/**
 * Shared by a fleet: one fetch per (url, sha256) serves every simulated device that needs it.
 * Bounded: the oldest entries are dropped past `limit`.
 */
export class DownloadCache {
  private readonly entries = new Map<string, Promise<Buffer>>();
  fetches = 0;

  constructor(private readonly limit = 32) {}

  get(url: string, sha: string, fetchIt: () => Promise<Buffer>): Promise<Buffer> {
    const key = `${sha} ${url}`;
    const hit = this.entries.get(key);
    if (hit) return hit;
    this.fetches++;
    const pending = fetchIt();
    this.entries.set(key, pending);
    // A failed fetch is not cached: the next device tries again.
    pending.catch(() => this.entries.delete(key));
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
    return pending;
  }
}

export interface DownloadOptions {
  /** Attempts before giving up (default 10, pauses growing from 250 ms to 5 s: about half a minute). */
  attempts?: number;
  /** Stops retrying early, e.g. once the play's notAfter has passed. */
  giveUp?: () => boolean;
  /** Called with the bytes so far after each chunk (tests watch progress). */
  onBytes?: (received: number) => void;
  /** Called when a transfer resumes from `offset` with a Range request. */
  onResume?: (offset: number) => void;
}

/** A receiver keeps trying while its link or the media server is down (a controller restart, say). */
const retryPauseMs = (attempt: number) => Math.min(250 * 2 ** (attempt - 1), 5000);

const isPermanent = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

export async function fetchWithResume(url: string, opts: DownloadOptions = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  let lastError = 'no attempt';
  for (let attempt = 0; attempt < (opts.attempts ?? 10); attempt++) {
    if (attempt > 0) {
      await new Promise((r) => setTimeout(r, retryPauseMs(attempt)));
      if (opts.giveUp?.()) break;
    }
    try {
      if (received > 0) opts.onResume?.(received);
      const res = await fetch(url, { headers: received > 0 ? { range: `bytes=${received}-` } : {} });
      // A refused or missing file (an expired token, a 404) will not come back by retrying.
      if (isPermanent(res.status)) throw new DownloadError('download_failed', `HTTP ${res.status}`);
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      if (received > 0 && res.status !== 206) {
        // The server ignored the range: start again from the beginning.
        chunks.length = 0;
        received = 0;
      }
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        chunks.push(Buffer.from(chunk));
        received += chunk.byteLength;
        opts.onBytes?.(received);
      }
      return Buffer.concat(chunks);
    } catch (err) {
      if (err instanceof DownloadError) throw err;
      lastError = err instanceof Error ? err.message : String(err);
    }
  }
  throw new DownloadError('download_failed', lastError);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
