/** The one place where errors become HTTP answers: coded, bilingual, never a stack trace. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { LoaError, commonErrors } from '../errors.js';

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | LoaError, request, reply) => {
    const loa = toLoaError(err);
    if (loa.status >= 500) request.log.error({ err }, 'request failed');
    reply.status(loa.status).send(loa.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const e = commonErrors.LOA_NOT_FOUND({ what: 'đường dẫn / path', id: request.url.split('?')[0] });
    reply.status(404).send(e.toBody());
  });
}

function toLoaError(err: FastifyError | LoaError): LoaError {
  if (err instanceof LoaError) return err;
  if (err.validation) return commonErrors.LOA_BAD_REQUEST({ reason: `${err.validationContext ?? ''}${err.validation[0]?.instancePath ?? ''} ${err.validation[0]?.message ?? ''}`.trim() });
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.code === 'FST_REQ_FILE_TOO_LARGE' || err.statusCode === 413) return commonErrors.LOA_PAYLOAD_TOO_LARGE({ limit: 'giới hạn / the limit' });
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) return new LoaError('LOA_UNSUPPORTED_MEDIA_TYPE', { status: 415, vi: 'Kiểu dữ liệu gửi lên không được hỗ trợ.', en: 'This content type is not supported.' });
  if (err.statusCode === 429) return new LoaError('LOA_TOO_MANY_REQUESTS', { status: 429, vi: 'Quá nhiều yêu cầu, vui lòng đợi một lát rồi thử lại.', en: 'Too many requests; wait a moment and try again.' });
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return commonErrors.LOA_BAD_REQUEST({ reason: err.message });
  return commonErrors.LOA_INTERNAL();
}
