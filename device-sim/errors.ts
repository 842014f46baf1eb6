/** The simulator's own coded errors (shown to technicians: Vietnamese first, English too). */
import { defineErrors } from '../controller/errors.js';

export const simErrors = defineErrors({
  LOA_SIM_DEVICES_FILE: {
    status: 400,
    vi: 'Không đọc được tệp danh sách thiết bị {path}',
    en: 'Cannot read the devices file {path}',
  },
  LOA_SIM_DEVICES_FORMAT: {
    status: 400,
    vi: 'Tệp danh sách thiết bị phải là mảng JSON [{"id","secret"}] (lỗi ở mục {index})',
    en: 'The devices file must be a JSON array [{"id","secret"}] (problem at entry {index})',
  },
  LOA_SIM_ARGUMENT: {
    status: 400,
    vi: 'Tham số không hợp lệ: {name} = {value}',
    en: 'Invalid argument: {name} = {value}',
  },
});
