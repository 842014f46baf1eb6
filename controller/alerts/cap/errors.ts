/** Why a CAP document is refused, in words an officer at the province can act on (Vietnamese, then English). */
import { defineErrors } from '../../errors.js';

export const capErrors = defineErrors({
  LOA_CAP_TOO_LARGE: {
    status: 413,
    vi: 'Bản tin CAP quá lớn: {bytes} byte (tối đa {limit} byte)',
    en: 'CAP document too large: {bytes} bytes (at most {limit} bytes)',
  },
  LOA_CAP_AUDIO_TOO_LARGE: {
    status: 413,
    vi: 'Âm thanh nhúng trong <derefUri> quá lớn: {bytes} byte (tối đa {limit} byte)',
    en: 'audio embedded in <derefUri> too large: {bytes} bytes (at most {limit} bytes)',
  },
  LOA_CAP_MEDIA_TYPE: {
    status: 415,
    vi: 'Không nhận dạng dữ liệu này là bản tin CAP: {reasonVi}',
    en: 'not accepted as a CAP document: {reasonEn}',
  },
  LOA_CAP_DTD_FORBIDDEN: {
    status: 400,
    vi: 'Bản tin chứa khai báo {construct}, không được phép (chống tấn công thực thể XML)',
    en: 'document contains a {construct} declaration, which is not allowed (XML entity attacks)',
  },
  LOA_CAP_MALFORMED: {
    status: 400,
    vi: 'XML không đúng cú pháp (dòng {line}, cột {col}): {detail}',
    en: 'malformed XML (line {line}, column {col}): {detail}',
  },
  LOA_CAP_NAMESPACE: {
    status: 422,
    vi: 'Phần tử gốc phải là <alert> trong không gian tên {expected}, nhận được <{root}> trong "{actual}"',
    en: 'the root must be <alert> in namespace {expected}, got <{root}> in "{actual}"',
  },
  LOA_CAP_MISSING: {
    status: 422,
    vi: 'Thiếu phần tử <{element}> trong {path}',
    en: 'missing <{element}> in {path}',
  },
  LOA_CAP_REPEATED: {
    status: 422,
    vi: 'Phần tử <{element}> trong {path} chỉ được xuất hiện một lần',
    en: '<{element}> in {path} may appear only once',
  },
  LOA_CAP_BAD_VALUE: {
    status: 422,
    vi: 'Giá trị của <{element}> trong {path} không hợp lệ: "{value}" ({expectedVi})',
    en: 'invalid value of <{element}> in {path}: "{value}" ({expectedEn})',
  },
  LOA_CAP_BAD_AREA: {
    status: 422,
    vi: 'Vùng "{areaDesc}" không hợp lệ: {reasonVi}',
    en: 'invalid area "{areaDesc}": {reasonEn}',
  },
  LOA_CAP_NOT_BROADCAST: {
    status: 422,
    vi: 'Bản tin loại {msgType} không phải là cảnh báo để phát',
    en: 'a {msgType} message is not an alert to broadcast',
  },
  LOA_CAP_NO_TARGET: {
    status: 422,
    vi: 'Không xác định được loa nào nhận cảnh báo: vùng {areas} không có đa giác, hình tròn hay mã địa bàn đã biết',
    en: 'no speaker can be targeted: area {areas} has no polygon, circle or known geocode',
  },
});
