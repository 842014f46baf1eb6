/** Live sources and relays (docs/api.md "Live sources and relays"): open, follow, stop, and say what happened in plain words. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { useEvent } from './events.js';
import { tr } from './i18n.js';
import type { LiveStream, Targets } from './types.js';

export interface StreamPlan {
  title: string;
  targets: Targets;
  /** 1 routine, 2 priority, 3 emergency: a stream never plays as background music. */
  priority: 1 | 2 | 3;
  volume?: number;
}

const path = (id: string) => `/api/v1/live/${encodeURIComponent(id)}`;

export const goLive = (plan: StreamPlan) => api.post<LiveStream & { ingest: string }>('/api/v1/live', plan);
export const startRelay = (plan: StreamPlan & { url: string }) => api.post<LiveStream>('/api/v1/relays', plan);
export const listStreams = () => api.get<{ items: LiveStream[] }>('/api/v1/live').then((b) => b.items);
export const loadStream = (id: string) => api.get<LiveStream>(path(id));
export const stopStream = (id: string) => api.post<LiveStream>(`${path(id)}/stop`);

export const running = (s: Pick<LiveStream, 'state'>) => s.state === 'waiting' || s.state === 'on-air';

/** The ingest path as a WebSocket address on this same server; the session cookie signs it in. */
export function ingestUrl(ingest: string): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${ingest}`;
}

export function streamStateLabel(s: LiveStream['state']): string {
  if (s === 'waiting') return tr('Đang chờ âm thanh', 'Waiting for sound');
  if (s === 'on-air') return tr('Đang phát', 'On air');
  if (s === 'ended') return tr('Đã kết thúc', 'Ended');
  return tr('Bị lỗi, đã dừng', 'Failed, stopped');
}

export function streamTone(s: LiveStream['state']): 'busy' | 'ok' | 'bad' | 'idle' {
  return s === 'on-air' ? 'busy' : s === 'failed' ? 'bad' : s === 'ended' ? 'ok' : 'idle';
}

/** Why a stream ended, for an officer (controller/live: no_audio, stalled, source_failed: …, stopped by …). */
export function reasonText(reason: string | null, kind: LiveStream['kind']): string | null {
  if (!reason) return null;
  const stopped = /^stopped by (.+)$/.exec(reason);
  if (stopped) return tr(`Đã dừng bởi ${stopped[1]}.`, `Stopped by ${stopped[1]}.`);
  if (reason === 'no_audio') {
    return kind === 'relay'
      ? tr('Không nhận được âm thanh từ đài. Kiểm tra lại địa chỉ luồng phát.', 'No sound came from the station. Check the stream address.')
      : tr('Máy chủ không nhận được âm thanh từ micro. Kiểm tra mạng và micro rồi thử lại.', 'The server received no sound from the microphone. Check the network and microphone, then try again.');
  }
  if (reason === 'stalled') {
    return kind === 'relay'
      ? tr('Đài ngừng gửi âm thanh quá lâu nên loa đã dừng.', 'The station stopped sending sound for too long, so the speakers stopped.')
      : tr('Mất âm thanh từ micro quá lâu (mạng yếu hoặc trang bị đóng) nên loa đã dừng.', 'Sound from the microphone stopped for too long (weak network or page closed), so the speakers stopped.');
  }
  if (reason.startsWith('source_failed')) return tr('Không mở được luồng phát của đài (địa chỉ sai hoặc đài đang tắt).', 'The station’s stream could not be opened (wrong address or the station is off).');
  if (reason === 'broadcast_refused') return tr('Không gửi được tới loa (không có loa nào ở nơi đã chọn?).', 'Could not reach the speakers (none in the places chosen?).');
  if (reason === 'duration_reached') return tr('Đã hết thời lượng đặt trước.', 'The planned duration is over.');
  if (reason === 'controller_stopped') return tr('Máy chủ Loa đã khởi động lại.', 'The Loa server restarted.');
  return reason;
}

const POLL_MS = 2000;

/** One stream, live: its `live.state` events, and a look every 2 s while it runs for the speakers listening and the bytes. */
export function useStream(initial: LiveStream): { stream: LiveStream; error: unknown; reload(): void } {
  const [stream, setStream] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  const id = initial.id;
  const reload = useCallback(() => {
    loadStream(id).then((s) => {
      setStream(s);
      setError(null);
    }, setError);
  }, [id]);
  useEvent('live.state', (s) => s.id === id && setStream(s));
  useEvent('resync', reload);
  const on = running(stream);
  useEffect(() => {
    if (!on) return;
    const t = setInterval(reload, POLL_MS);
    return () => clearInterval(t);
  }, [on, reload]);
  return { stream, error, reload };
}
