/**
 * Coded errors of the audio engine. Each message tells a commune officer what to do next,
 * Vietnamese first. Details never carry server paths or ffmpeg output: those go in `cause`, for logs.
 */
import { defineErrors, type LoaError } from '../../errors.js';

const ACCEPTED = 'MP3, WAV, M4A/AAC, OGG/OPUS, FLAC, WEBM, AMR';

export const audioErrors = defineErrors({
  LOA_AUDIO_NOT_AUDIO: {
    status: 415,
    vi: `Tệp không phải âm thanh hoặc định dạng chưa được hỗ trợ. Hãy chọn tệp ${ACCEPTED}.`,
    en: `The file is not audio, or its format is not supported. Choose an ${ACCEPTED} file.`,
  },
  LOA_AUDIO_VIDEO_ONLY: {
    status: 415,
    vi: 'Tệp video này không có tiếng. Hãy chọn tệp có âm thanh, hoặc ghi âm lại bằng ứng dụng ghi âm.',
    en: 'This video has no sound. Choose a file with audio, or record again with a voice recorder app.',
  },
  LOA_AUDIO_EMPTY: {
    status: 415,
    vi: 'Tệp rỗng (0 byte). Hãy chọn lại tệp ghi âm.',
    en: 'The file is empty (0 bytes). Choose the recording again.',
  },
  LOA_AUDIO_CORRUPT: {
    status: 415,
    vi: 'Tệp âm thanh bị hỏng hoặc chưa được chép/tải lên hết. Hãy mở thử tệp trên điện thoại hoặc máy tính, rồi tải lên lại.',
    en: 'The audio file is damaged or was not copied/uploaded completely. Try playing it on your phone or computer, then upload it again.',
  },
  LOA_AUDIO_SILENT: {
    status: 422,
    vi: 'Tệp âm thanh không có tiếng (chỉ có im lặng). Hãy kiểm tra micro và ghi âm lại.',
    en: 'The audio file has no sound (only silence). Check the microphone and record again.',
  },
  LOA_AUDIO_TOO_SHORT: {
    status: 422,
    vi: 'Âm thanh quá ngắn (dưới nửa giây). Hãy ghi âm lại đầy đủ nội dung thông báo.',
    en: 'The audio is too short (under half a second). Record the whole announcement again.',
  },
  LOA_AUDIO_TOO_LONG: {
    status: 413,
    vi: 'Âm thanh dài hơn giới hạn {limitMinutes} phút. Hãy cắt ngắn, hoặc chia thành nhiều bản tin.',
    en: 'The audio is longer than the {limitMinutes}-minute limit. Shorten it, or split it into several broadcasts.',
  },
  LOA_AUDIO_NO_FFMPEG: {
    status: 503,
    vi: 'Máy chủ chưa có chương trình xử lý âm thanh (ffmpeg). Hãy báo kỹ thuật viên cài đặt ffmpeg.',
    en: 'The server has no audio processing program (ffmpeg). Ask a technician to install ffmpeg.',
  },
  LOA_AUDIO_TIMEOUT: {
    status: 504,
    vi: 'Xử lý âm thanh quá {seconds} giây nên đã dừng. Hãy thử lại với tệp ngắn hơn; nếu vẫn lỗi, báo kỹ thuật viên.',
    en: 'Processing the audio took more than {seconds} seconds and was stopped. Try a shorter file; if it happens again, tell a technician.',
  },
  LOA_AUDIO_FAILED: {
    status: 500,
    vi: 'Máy chủ không xử lý được âm thanh. Hãy thử lại; nếu vẫn lỗi, báo kỹ thuật viên.',
    en: 'The server could not process the audio. Try again; if it happens again, tell a technician.',
  },
  LOA_TTS_EMPTY_TEXT: {
    status: 400,
    vi: 'Chưa có nội dung để đọc. Hãy nhập văn bản thông báo.',
    en: 'There is no text to read. Type the announcement text.',
  },
  LOA_TTS_TEXT_TOO_LONG: {
    status: 413,
    vi: 'Văn bản dài quá {limit} ký tự. Hãy rút gọn hoặc chia thành nhiều bản tin.',
    en: 'The text is longer than {limit} characters. Shorten it or split it into several broadcasts.',
  },
  LOA_TTS_UNKNOWN_VOICE: {
    status: 400,
    vi: 'Không có giọng đọc "{voice}". Hãy chọn một trong: {voices}.',
    en: 'There is no voice "{voice}". Choose one of: {voices}.',
  },
  LOA_TTS_UNAVAILABLE: {
    status: 503,
    vi: 'Chức năng đọc văn bản ({provider}) chưa sẵn sàng trên máy chủ. Hãy báo kỹ thuật viên.',
    en: 'Text to speech ({provider}) is not available on the server. Tell a technician.',
  },
  LOA_TTS_FAILED: {
    status: 502,
    vi: 'Dịch vụ đọc văn bản ({provider}) bị lỗi. Hãy thử lại sau ít phút.',
    en: 'The text-to-speech service ({provider}) failed. Try again in a few minutes.',
  },
});

/** Attaches what went wrong underneath (ffmpeg's output, an errno) for the logs, not for the officer. */
export function withCause(err: LoaError, cause: unknown): LoaError {
  err.cause = cause;
  return err;
}
