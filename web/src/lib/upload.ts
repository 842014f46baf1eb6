/** Media upload with progress: fetch cannot report upload progress, XMLHttpRequest can. */
import { ApiError, networkError, request, toApiError } from './api.js';
import type { Media } from './types.js';

export interface UploadHandle {
  done: Promise<Media>;
  abort(): void;
}

/** Bytes sent (0..1), then the server's processing: a percentage once a long file became a job. */
export type UploadProgress = { kind: 'sending'; sent: number } | { kind: 'processing'; pct: number | null };

interface IngestJob {
  id: string;
  state: 'processing' | 'done' | 'failed';
  progress: number;
  mediaId: string | null;
  error: unknown;
}

const JOB_POLL_MS = 1000;

export function uploadMedia(file: File, title: string, onProgress: (p: UploadProgress) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  let aborted = false;
  const sent = new Promise<{ status: number; data: unknown }>((resolve, reject) => {
    xhr.open('POST', '/api/v1/media');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded < e.total ? { kind: 'sending', sent: e.loaded / e.total } : { kind: 'processing', pct: null });
    xhr.onload = () => resolve({ status: xhr.status, data: parse(xhr.responseText) });
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(stopped());
    const form = new FormData();
    if (title) form.append('title', title);
    form.append('file', file, file.name);
    xhr.send(form);
  });
  const done = sent.then(({ status, data }) => {
    if (status === 201) return data as Media;
    if (status === 202) return followJob(data as IngestJob, onProgress, () => aborted);
    throw toApiError(status, data, '/api/v1/media');
  });
  return {
    done,
    abort: () => {
      aborted = true;
      xhr.abort();
    },
  };
}

/** A long file is processed as a job: its percentage until the media is ready or refused. */
async function followJob(job: IngestJob, onProgress: (p: UploadProgress) => void, aborted: () => boolean): Promise<Media> {
  for (let j = job; ; j = await request<IngestJob>('GET', `/api/v1/media/jobs/${encodeURIComponent(job.id)}`)) {
    if (j.state === 'done') return request<Media>('GET', `/api/v1/media/${encodeURIComponent(j.mediaId!)}`);
    if (j.state === 'failed') throw toApiError(422, { error: j.error }, '/api/v1/media');
    if (aborted()) throw stopped();
    onProgress({ kind: 'processing', pct: j.progress });
    await new Promise((r) => setTimeout(r, JOB_POLL_MS));
  }
}

const stopped = () => new ApiError(0, 'ABORTED', 'Đã dừng tải lên.', 'Upload stopped.');

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
