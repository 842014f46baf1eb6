/** Coded errors of the programme schedule engine: Vietnamese for the officer, English after. */
import { defineErrors } from '../controller/errors.js';

export const scheduleErrors = defineErrors({
  LOA_SCHEDULE_INVALID: {
    status: 400,
    vi: 'Lịch phát không hợp lệ: {reasonsVi}',
    en: 'The programme schedule is not valid: {reasonsEn}',
  },
  LOA_SCHEDULE_BAD_TIMEZONE: {
    status: 400,
    vi: 'Múi giờ "{value}" không hợp lệ (ví dụ đúng: Asia/Ho_Chi_Minh).',
    en: 'Time zone "{value}" is not valid (use an IANA name such as Asia/Ho_Chi_Minh).',
  },
  LOA_SCHEDULE_BAD_TIME: {
    status: 400,
    vi: 'Giờ phát "{value}" không đúng dạng HH:mm (ví dụ 06:00, 17:30).',
    en: 'Time "{value}" is not HH:mm (for example 06:00, 17:30).',
  },
  LOA_SCHEDULE_NO_TIMES: {
    status: 400,
    vi: 'Chưa chọn giờ phát nào.',
    en: 'No time of day is set.',
  },
  LOA_SCHEDULE_BAD_DATE: {
    status: 400,
    vi: 'Ngày "{value}" ({field}) không phải ngày có thật theo dạng YYYY-MM-DD.',
    en: 'Date "{value}" ({field}) is not a real date in the form YYYY-MM-DD.',
  },
  LOA_SCHEDULE_BAD_DATETIME: {
    status: 400,
    vi: 'Thời điểm phát "{value}" không đúng dạng YYYY-MM-DDTHH:mm.',
    en: 'Start "{value}" is not a local date and time YYYY-MM-DDTHH:mm.',
  },
  LOA_SCHEDULE_END_BEFORE_START: {
    status: 400,
    vi: 'Ngày kết thúc {endDate} trước ngày bắt đầu {startDate}.',
    en: 'End date {endDate} is before start date {startDate}.',
  },
  LOA_SCHEDULE_BAD_WEEKDAY: {
    status: 400,
    vi: 'Thứ "{value}" không hợp lệ (1 = Thứ Hai … 7 = Chủ Nhật).',
    en: 'Weekday "{value}" is not valid (1 = Monday … 7 = Sunday).',
  },
  LOA_SCHEDULE_BAD_MONTHDAY: {
    status: 400,
    vi: 'Ngày trong tháng "{value}" không hợp lệ (1–31).',
    en: 'Day of month "{value}" is not valid (1–31).',
  },
  LOA_SCHEDULE_NO_DAYS: {
    status: 400,
    vi: 'Chưa chọn ngày phát nào.',
    en: 'No day is chosen.',
  },
  LOA_SCHEDULE_BAD_CRON: {
    status: 400,
    vi: 'Biểu thức cron "{value}" không hợp lệ (cần đúng 5 trường: phút giờ ngày tháng thứ).',
    en: 'Cron expression "{value}" is not valid (exactly 5 fields: minute hour day month weekday): {reason}',
  },
  LOA_SCHEDULE_NO_ITEMS: {
    status: 400,
    vi: 'Chương trình chưa có nội dung phát.',
    en: 'The programme has nothing to play.',
  },
  LOA_SCHEDULE_BAD_DURATION: {
    status: 400,
    vi: 'Thời lượng nội dung thứ {index} phải là số mili giây dương.',
    en: 'Item {index} must have a positive duration in milliseconds.',
  },
  LOA_SCHEDULE_BAD_PRIORITY: {
    status: 400,
    vi: 'Chương trình định kỳ chỉ có mức 1 (thông thường) hoặc 2 (ưu tiên); bản tin khẩn cấp không lập lịch.',
    en: 'A programme is priority 1 (routine) or 2 (priority); emergency bulletins are never scheduled.',
  },
});
