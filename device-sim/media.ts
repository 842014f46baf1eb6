/**
 * How a speaker gets its audio: files are downloaded (with the simulated faults) and verified
 * before they play; streams are read over HTTP, counting bytes, until stopped.
 */
import type { DeviceFaults } from './faults.js';
import { DownloadCache, DownloadError, fetchWithResume, sha256 } from './download.js';
import type { Playback } from './player.js';

export interface MediaDeps {
  faults(): DeviceFaults;
  cache?: DownloadCache;
}

/** PROTOCOL device rule 6: media is checked against sha256 before it plays. */
export async function download(deps: MediaDeps, url: string, expected: string, giveUp?: () => boolean): Promise<Buffer> {
  const delayMs = deps.faults().downloadDelayMs;
  if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
  // Faults are read after the delay: a test may change them while a download waits.
  if (deps.faults().downloadFail) throw new DownloadError('download_failed', 'simulated download failure');
  const fetchIt = () => fetchWithResume(url, giveUp ? { giveUp } : {});
  let bytes = deps.cache ? await deps.cache.get(url, expected, fetchIt) : await fetchIt();
  if (deps.faults().wrongChecksum) bytes = Buffer.concat([bytes, Buffer.from([0])]);
  if (sha256(bytes) !== expected) throw new DownloadError('checksum_mismatch', `sha256 of ${bytes.length} bytes does not match`);
  return bytes;
}

/** A live stream plays until it ends (done), fails to open (failed), or is aborted (stop, preemption). */
export function playStream(url: string, onBytes: (n: number) => void): Playback {
  const controller = new AbortController();
  const ended = (async (): Promise<{ failed?: string }> => {
    try {
      const res = await fetch(url, { signal: controller.signal });
      if (!res.ok || !res.body) return { failed: 'download_failed' };
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) onBytes(chunk.byteLength);
      return {};
    } catch {
      return controller.signal.aborted ? {} : { failed: 'download_failed' };
    }
  })();
  return { ended, abort: () => controller.abort() };
}
