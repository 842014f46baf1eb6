/** Live broadcasts and relays now running in the officer's area (and those that ended lately), each with its state and a stop. */
import { useEffect, useState } from 'preact/hooks';
import { useEvent } from '../lib/events.js';
import { timeAgo } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { listStreams, reasonText, running, stopStream, streamStateLabel, streamTone } from '../lib/live.js';
import type { LiveStream } from '../lib/types.js';
import { useLoad, useThrottled } from '../lib/use-load.js';
import { broadcastHref } from './broadcast-card.js';
import { Badge, ConfirmButton, ErrorBox, Link } from './ui.js';

const POLL_MS = 5000;
const RECENT_MS = 3_600_000;

export function StreamsList(props: { version: number; canStop: boolean }) {
  const list = useLoad(listStreams, [props.version]);
  const [error, setError] = useState<unknown>(null);
  const reload = useThrottled(list.reload, 300);
  useEvent('live.state', reload);
  useEvent('resync', reload);
  const items = (list.data ?? []).filter((s) => running(s) || Date.now() - (s.endedAt ?? 0) < RECENT_MS).sort((a, b) => Number(running(b)) - Number(running(a)) || b.startedAt - a.startedAt);
  const anyRunning = items.some(running);
  // Speakers joining are not events: while something runs, look again now and then.
  useEffect(() => {
    if (!anyRunning) return;
    const t = setInterval(list.reload, POLL_MS);
    return () => clearInterval(t);
  }, [anyRunning]);

  const stop = (s: LiveStream) => {
    setError(null);
    stopStream(s.id).then(list.reload, setError);
  };

  return (
    <>
      <ErrorBox error={list.error ?? error} />
      {list.data && items.length === 0 ? <p class="muted">{tr('Không có buổi phát trực tiếp hay tiếp sóng nào.', 'No live broadcast or relay.')}</p> : null}
      <ul class="rows streams">
        {items.map((s) => (
          <li key={s.id} data-stream={s.id} data-state={s.state}>
            <strong>{s.title}</strong>
            <Badge tone="idle">{s.kind === 'relay' ? tr('Tiếp sóng', 'Relay') : tr('Trực tiếp', 'Live')}</Badge>
            <Badge tone={streamTone(s.state)}>{streamStateLabel(s.state)}</Badge>
            <small class="muted">
              {running(s) ? tr(`${s.listeners} loa đang nghe`, `${s.listeners} speakers listening`) : reasonText(s.reason, s.kind)} · {s.createdBy} · {timeAgo(s.startedAt)}
            </small>
            {s.source ? <small class="muted source">{s.source}</small> : null}
            <span class="row-actions">
              <Link href={broadcastHref({ id: s.broadcastId })}>{tr('Các loa', 'Speakers')}</Link>
              {props.canStop && running(s) ? <ConfirmButton class="danger" label={tr('Dừng', 'Stop')} confirmLabel={tr('Dừng ở mọi loa?', 'Stop everywhere?')} onConfirm={() => stop(s)} /> : null}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
