/** The officer's microphone: asked for once, recorded as Opus in WebM (what the controller's ffmpeg reads), errors in plain words. */
import { ApiError } from './api.js';

/** A chunk every quarter second: small enough for a live stream, few enough messages for a poor link. */
export const CHUNK_MS = 250;

const TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus'];

function micError(code: string, vi: string, en: string): ApiError {
  return new ApiError(0, code, vi, en);
}

/** Asks for the microphone; a refusal, a missing device or a page not served over https becomes a message people can act on. */
export async function openMicrophone(): Promise<MediaStream> {
  // Browsers only offer the microphone to secure pages (https, or the controller on this very machine).
  if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
    throw micError(
      'MIC_UNSUPPORTED',
      'Trình duyệt này không cho dùng micro ở đây. Hãy mở Loa bằng địa chỉ https (hỏi kỹ thuật viên) hoặc dùng Chrome, Firefox, Safari bản mới.',
      'This browser does not offer the microphone here. Open Loa over https (ask a technician) or use a recent Chrome, Firefox or Safari.',
    );
  }
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      throw micError(
        'MIC_DENIED',
        'Chưa được phép dùng micro. Bấm vào biểu tượng ổ khoá cạnh địa chỉ trang, chọn «Cho phép» micro, rồi thử lại.',
        'The microphone is not allowed. Tap the lock icon beside the address, allow the microphone, then try again.',
      );
    }
    if (name === 'NotFoundError' || name === 'OverconstrainedError') {
      throw micError('MIC_MISSING', 'Không tìm thấy micro. Hãy cắm micro hoặc dùng điện thoại có micro.', 'No microphone found. Plug one in or use a phone.');
    }
    throw micError('MIC_BUSY', 'Không mở được micro (có thể ứng dụng khác đang dùng). Đóng ứng dụng đó rồi thử lại.', 'Cannot open the microphone (another app may be using it). Close it and try again.');
  }
}

export function recorderFor(stream: MediaStream): MediaRecorder {
  const mimeType = TYPES.find((t) => MediaRecorder.isTypeSupported(t));
  return new MediaRecorder(stream, mimeType ? { mimeType, audioBitsPerSecond: 48_000 } : undefined);
}

export function release(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** Elapsed time as m:ss (or h:mm:ss for a long meeting). */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const mmss = `${Math.floor((s % 3600) / 60)}:${String(s % 60).padStart(2, '0')}`;
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mmss.padStart(5, '0')}` : mmss;
}
