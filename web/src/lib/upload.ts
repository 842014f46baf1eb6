/** Media upload with progress: fetch cannot report upload progress, XMLHttpRequest can. */
import { ApiError, networkError, toApiError } from './api.js';
import type { Media } from './types.js';

export interface UploadHandle {
  done: Promise<Media>;
  abort(): void;
}

/** onProgress gets the share sent (0..1); once all bytes are sent the server still transcodes. */
export function uploadMedia(file: File, title: string, onProgress: (sent: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Media>((resolve, reject) => {
    xhr.open('POST', '/api/v1/media');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      const data = parse(xhr.responseText);
      if (xhr.status === 201) resolve(data as Media);
      else reject(toApiError(xhr.status, data, '/api/v1/media'));
    };
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', 'Đã dừng tải lên.', 'Upload stopped.'));
    const form = new FormData();
    if (title) form.append('title', title);
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
