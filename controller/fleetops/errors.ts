/** Coded errors of remote operations, firmware rollouts and provisioning by CSV. */
import { defineErrors } from '../errors.js';

export const fleetOpsErrors = defineErrors({
  LOA_NO_TARGETS: {
    status: 400,
    vi: 'Không có loa nào (đang hoạt động) trong phạm vi đã chọn.',
    en: 'No (enabled) speaker matches these targets.',
  },
  LOA_FIRMWARE_EXISTS: {
    status: 409,
    vi: 'Đã có phần mềm cho loại loa "{model}" phiên bản "{version}" với nội dung khác.',
    en: 'Firmware for model "{model}" version "{version}" already exists with different contents.',
  },
  LOA_FIRMWARE_EMPTY: {
    status: 400,
    vi: 'Tệp phần mềm rỗng.',
    en: 'The firmware file is empty.',
  },
  LOA_ROLLOUT_STATE: {
    status: 409,
    vi: 'Đợt cập nhật đang ở trạng thái "{status}", không thể {action}.',
    en: 'The rollout is {status}; it cannot {action}.',
  },
  LOA_ROLLOUT_OVERLAP: {
    status: 409,
    vi: '{count} loa đang thuộc đợt cập nhật khác chưa kết thúc ({rollout}).',
    en: '{count} speakers are in another unfinished rollout ({rollout}).',
  },
  LOA_IMPORT_INVALID: {
    status: 422,
    vi: 'Tệp CSV có {count} dòng lỗi; chưa đăng ký loa nào. Sửa các dòng được liệt kê rồi gửi lại cả tệp.',
    en: 'The CSV file has {count} bad rows; no speaker was registered. Fix the listed lines and send the whole file again.',
  },
  LOA_IMPORT_ABORTED: {
    status: 409,
    vi: 'Đăng ký bị gián đoạn ở loa "{id}" ({reason}); đã hoàn tác, không loa nào được đăng ký.',
    en: 'Registration stopped at speaker "{id}" ({reason}); it was undone and no speaker was registered.',
  },
  LOA_PROVISIONING_GONE: {
    status: 410,
    vi: 'Tệp cấp phát đã được tải về hoặc đã hết hạn; mật khẩu không thể hiển thị lại (hãy đổi mật khẩu loa nếu cần).',
    en: "The provisioning file was already downloaded or has expired; secrets are never shown twice (rotate a speaker's secret if needed).",
  },
});
