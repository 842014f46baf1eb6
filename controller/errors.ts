/**
 * Coded errors: services throw them, one Fastify error handler (controller/http/errors.ts) renders them.
 * Every code carries its HTTP status and a message in Vietnamese and English that an officer can act on.
 * Each feature defines its own codes with `defineErrors`, so no feature edits another's catalogue.
 */

export interface ErrorSpec {
  status: number;
  vi: string;
  en: string;
}

export class LoaError extends Error {
  readonly code: string;
  readonly status: number;
  readonly messageVi: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, spec: ErrorSpec, details?: Record<string, unknown>) {
    super(spec.en);
    this.name = 'LoaError';
    this.code = code;
    this.status = spec.status;
    this.messageVi = spec.vi;
    this.details = details;
  }

  /** The API's error body: `{"error":{"code","message","messageEn",...}}`, Vietnamese first. */
  toBody(): { error: Record<string, unknown> } {
    return {
      error: {
        code: this.code,
        message: `${this.messageVi} / ${this.message}`,
        messageVi: this.messageVi,
        messageEn: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

/**
 * `const errors = defineErrors({ LOA_X: { status, vi, en } })` gives `errors.LOA_X(details?)` → LoaError.
 * Messages may use `{name}` placeholders filled from details.
 */
export function defineErrors<K extends string>(
  specs: Record<K, ErrorSpec>,
): Record<K, (details?: Record<string, unknown>) => LoaError> {
  const out = {} as Record<K, (details?: Record<string, unknown>) => LoaError>;
  for (const code of Object.keys(specs) as K[]) {
    const spec = specs[code];
    out[code] = (details) =>
      new LoaError(code, { status: spec.status, vi: fill(spec.vi, details), en: fill(spec.en, details) }, details);
  }
  return out;
}

function fill(template: string, details?: Record<string, unknown>): string {
  if (!details) return template;
  return template.replace(/\{(\w+)\}/g, (m, key: string) => (key in details ? String(details[key]) : m));
}

/** Codes every feature shares. */
export const commonErrors = defineErrors({
  LOA_BAD_REQUEST: {
    status: 400,
    vi: 'Dữ liệu gửi lên không hợp lệ: {reason}',
    en: 'The request is not valid: {reason}',
  },
  LOA_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy {what} "{id}".',
    en: 'No {what} "{id}" was found.',
  },
  LOA_CONFLICT: {
    status: 409,
    vi: '{what} "{id}" đã tồn tại.',
    en: '{what} "{id}" already exists.',
  },
  LOA_UNAUTHENTICATED: {
    status: 401,
    vi: 'Bạn cần đăng nhập.',
    en: 'Please log in.',
  },
  LOA_FORBIDDEN: {
    status: 403,
    vi: 'Tài khoản của bạn không có quyền làm việc này.',
    en: 'Your account is not allowed to do this.',
  },
  LOA_PAYLOAD_TOO_LARGE: {
    status: 413,
    vi: 'Tệp hoặc dữ liệu quá lớn (tối đa {limit}).',
    en: 'The file or data is too large (at most {limit}).',
  },
  LOA_UNAVAILABLE: {
    status: 503,
    vi: 'Chức năng tạm thời không dùng được: {reason}',
    en: 'This function is unavailable for now: {reason}',
  },
  LOA_INTERNAL: {
    status: 500,
    vi: 'Lỗi hệ thống. Vui lòng thử lại hoặc báo kỹ thuật viên.',
    en: 'Internal error. Please try again or tell a technician.',
  },
});
