/** Coded errors of fleet health and alarms. */
import { defineErrors } from '../errors.js';

export const healthErrors = defineErrors({
  LOA_ALARM_NOT_OPEN: {
    status: 404,
    vi: 'Không có cảnh báo đang mở "{id}" (có thể cảnh báo đã hết).',
    en: 'No open alarm "{id}" (it may have cleared).',
  },
  LOA_ALARM_ACKED: {
    status: 409,
    vi: 'Cảnh báo "{id}" đã được {by} xác nhận.',
    en: 'Alarm "{id}" was already acknowledged by {by}.',
  },
  LOA_HEALTH_RANGE: {
    status: 400,
    vi: 'Khoảng thời gian không hợp lệ: "from" phải trước "to".',
    en: 'The time range is not valid: "from" must be before "to".',
  },
});
