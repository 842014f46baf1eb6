/** On air: the microphone goes to the controller chunk by chunk; the officer sees the time, the speakers listening, each speaker, and one big stop. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../lib/api.js';
import { loadBroadcast } from '../lib/broadcast-job.js';
import { fetchDevices, useZones } from '../lib/directory.js';
import { tr } from '../lib/i18n.js';
import { ingestUrl, reasonText, running, stopStream, streamStateLabel, streamTone, useStream } from '../lib/live.js';
import { CHUNK_MS, clock, recorderFor, release } from '../lib/microphone.js';
import { finishedCount } from '../lib/progress.js';
import type { LiveStream } from '../lib/types.js';
import { useJob } from '../lib/use-job.js';
import { useLoad } from '../lib/use-load.js';
import { broadcastHref } from './broadcast-card.js';
import { DeliveryList } from './delivery-list.js';
import { SummaryBar, SummaryCounts, finishedText } from './summary.js';
import { Badge, ErrorBox, Link, Notice } from './ui.js';

export interface LiveSession {
  stream: LiveStream & { ingest: string };
  mic: MediaStream;
}

/** Sends the microphone to the ingest socket while mounted; closing it (or leaving the page) lets the controller play out and end. */
function useIngest(session: LiveSession): { sending: boolean; since: number | null } {
  const [sending, setSending] = useState(false);
  const [since, setSince] = useState<number | null>(null);
  useEffect(() => {
    const ws = new WebSocket(ingestUrl(session.stream.ingest));
    let recorder: MediaRecorder | null = null;
    ws.onopen = () => {
      recorder = recorderFor(session.mic);
      // Each chunk is one binary message, in order (docs/api.md: a browser's MediaRecorder chunks).
      recorder.ondataavailable = (e) => e.data.size > 0 && ws.readyState === WebSocket.OPEN && ws.send(e.data);
      recorder.start(CHUNK_MS);
      setSince(Date.now());
      setSending(true);
    };
    const finish = () => {
      if (recorder?.state === 'recording') recorder.stop();
      release(session.mic);
      setSending(false);
    };
    ws.onclose = finish;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener('beforeunload', warn);
    return () => {
      removeEventListener('beforeunload', warn);
      finish();
      ws.close(1000);
    };
  }, [session]);
  return { sending, since };
}

export function LivePanel(props: { session: LiveSession; onClose: () => void }) {
  const { stream, reload, error } = useStream(props.session.stream);
  const { sending, since } = useIngest(props.session);
  const [stopError, setStopError] = useState<unknown>(null);
  const [stopping, setStopping] = useState(false);
  const [now, setNow] = useState(Date.now());
  const on = running(stream);
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [on]);
  // The socket closed under us (a failure, a stop from elsewhere): ask what happened.
  const wasSending = useRef(false);
  useEffect(() => {
    if (wasSending.current && !sending) reload();
    wasSending.current = sending;
  }, [sending]);

  const stop = () => {
    setStopping(true);
    setStopError(null);
    stopStream(stream.id).then(reload, (err: unknown) => {
      // Already over: nothing to stop, the state says how it ended.
      if (err instanceof ApiError && err.code === 'LOA_LIVE_ENDED') reload();
      else setStopError(err);
      setStopping(false);
    });
  };

  const why = reasonText(stream.reason, 'live');
  return (
    <section class={`panel live-panel ${stream.state}`} aria-labelledby="live-h" data-stream={stream.id} data-state={stream.state}>
      <h2 id="live-h">{tr('Phát trực tiếp', 'Live')}: {stream.title}</h2>
      <p class="on-air-line">
        <Badge tone={streamTone(stream.state)}>{streamStateLabel(stream.state)}</Badge>
        <span class="elapsed" aria-label={tr('Thời gian đã phát', 'Time on air')}>
          {clock(on || stream.endedAt === null ? now - (since ?? stream.startedAt) : stream.endedAt - stream.startedAt)}
        </span>
        {on ? <span data-listeners={stream.listeners}>{tr(`${stream.listeners} loa đang nghe`, `${stream.listeners} speakers listening`)}</span> : null}
      </p>
      {on ? (
        <>
          <p class="muted small">
            {sending
              ? tr('Micro đang mở: hãy nói vào micro. Giữ trang này mở; rời trang sẽ kết thúc phát trực tiếp.', 'The microphone is open: speak now. Keep this page open; leaving it ends the live broadcast.')
              : tr('Đang kết nối tới máy chủ…', 'Connecting to the server…')}
          </p>
          <button type="button" class="danger big stop-live" disabled={stopping} onClick={stop}>
            {stopping ? tr('Đang dừng…', 'Stopping…') : tr('Dừng phát trực tiếp', 'Stop the live broadcast')}
          </button>
        </>
      ) : stream.state === 'failed' ? (
        <p class="error" role="alert">
          {tr('Phát trực tiếp bị lỗi và đã dừng trên mọi loa.', 'The live broadcast failed and was stopped on every speaker.')} {why}
        </p>
      ) : (
        <Notice tone="ok">
          {tr('Đã kết thúc phát trực tiếp.', 'The live broadcast has ended.')} {why}
        </Notice>
      )}
      <ErrorBox error={stopError ?? error} />
      <SpeakersOf broadcastId={stream.broadcastId} onCancelled={() => on && !stopping && stop()} />
      {!on ? (
        <div class="actions">
          <button type="button" onClick={props.onClose}>
            {tr('Xong, về trang Phát ngay', 'Done, back to Broadcast now')}
          </button>
          <Link href={broadcastHref({ id: stream.broadcastId })}>{tr('Xem chi tiết bản tin', 'Broadcast details')}</Link>
        </div>
      ) : null}
    </section>
  );
}

/** The stream's broadcast, speaker by speaker (the same views as a broadcast's own page). */
function SpeakersOf(props: { broadcastId: string; onCancelled: () => void }) {
  const p = useJob(props.broadcastId, () => loadBroadcast(props.broadcastId));
  // Stopped from the broadcast's own page: the speakers no longer listen, so the microphone stops too.
  const cancelled = p.job?.status === 'cancelled';
  useEffect(() => void (cancelled && props.onCancelled()), [cancelled]);
  const zones = useZones();
  const devices = useLoad(() => fetchDevices(), []);
  return (
    <div class="sub-panel" data-job={props.broadcastId} data-finished={String(p.summary.targeted > 0 && finishedCount(p.summary) === p.summary.targeted)}>
      <h3>{tr('Các loa', 'Speakers')}</h3>
      <SummaryBar summary={p.summary} />
      <p class="big-line" aria-live="polite">
        {finishedText(p.summary)}
      </p>
      <SummaryCounts summary={p.summary} />
      <DeliveryList deliveries={p.deliveries} devices={devices.data} zones={zones.data} />
    </div>
  );
}
