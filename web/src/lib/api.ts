/** The API client: the session cookie rides along (no token in localStorage); errors keep both languages. */
import { tr } from './i18n.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly vi: string,
    readonly en: string,
  ) {
    super(`${code}: ${en}`);
  }

  /** What the person reads, in the console's language. */
  get text(): string {
    return tr(this.vi, this.en);
  }
}

let onUnauthenticated: () => void = () => {};
export function whenSignedOut(fn: () => void): void {
  onUnauthenticated = fn;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw networkError();
  }
  const data = await readBody(res);
  if (!res.ok) throw toApiError(res.status, data, path);
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

export async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function toApiError(status: number, data: unknown, path: string): ApiError {
  if (status === 401 && !path.endsWith('/auth/login') && !path.endsWith('/auth/me')) onUnauthenticated();
  const e = (data as { error?: { code?: string; messageVi?: string; messageEn?: string; message?: string } } | null)?.error;
  if (!e) return new ApiError(status, `HTTP_${status}`, `Máy chủ trả lời lỗi ${status}.`, `The server answered ${status}.`);
  return new ApiError(status, e.code ?? `HTTP_${status}`, e.messageVi ?? e.message ?? '', e.messageEn ?? e.message ?? '');
}

export function networkError(): ApiError {
  return new ApiError(0, 'NETWORK', 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.', 'Cannot reach the server. Check the network and try again.');
}

export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.text;
  return tr('Đã có lỗi không mong muốn.', 'Something unexpected went wrong.');
}
