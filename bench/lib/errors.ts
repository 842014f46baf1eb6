/** Coded errors of the benchmarks (bench/), so a failed run says what to fix in both languages. */
import { defineErrors } from '../../controller/errors.js';

export const benchErrors = defineErrors({
  LOA_BENCH_FD_LIMIT: {
    status: 500,
    vi: 'Giới hạn tệp mở ({limit}) quá thấp cho {clients} kết nối: cần khoảng {needed}. Chạy `ulimit -n {suggested}` trước.',
    en: 'The open file limit ({limit}) is too low for {clients} connections: about {needed} are needed. Run `ulimit -n {suggested}` first.',
  },
  LOA_BENCH_ACK_TIMEOUT: {
    status: 504,
    vi: 'Vòng {round}: chỉ nhận được {acks}/{expected} xác nhận sau {timeoutMs} ms.',
    en: 'Round {round}: only {acks} of {expected} acks arrived within {timeoutMs} ms.',
  },
  LOA_BENCH_BAD_OPTION: {
    status: 400,
    vi: 'Tham số không hợp lệ: {reason}',
    en: 'Invalid option: {reason}',
  },
});
