/** One broadcast in a list: what, when, how far it got. */
import { timeAgo } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { jobStatusLabel, priorityLabel } from '../lib/labels.js';
import type { Broadcast } from '../lib/types.js';
import { SummaryBar, finishedText } from './summary.js';
import { Badge, Link } from './ui.js';

/** Every broadcast, an alert's repetitions too, has its progress page; an alert's own page is reached from Khẩn cấp. */
export function broadcastHref(b: Pick<Broadcast, 'id'>): string {
  return `/ban-tin/${encodeURIComponent(b.id)}`;
}

export function BroadcastCard(props: { b: Broadcast }) {
  const { b } = props;
  return (
    <li class="broadcast-card" data-broadcast={b.id}>
      <div class="line">
        <Link href={broadcastHref(b)}>{b.title}</Link>
        <Badge tone={b.priority === 3 ? 'bad' : b.priority === 2 ? 'warn' : 'idle'}>{priorityLabel(b.priority)}</Badge>
        <Badge tone={b.status === 'active' ? 'busy' : b.status === 'cancelled' ? 'warn' : 'ok'}>{jobStatusLabel(b.status)}</Badge>
      </div>
      <SummaryBar summary={b.summary} label={tr(`Tiến độ: ${b.title}`, `Progress: ${b.title}`)} />
      <small class="muted">
        {finishedText(b.summary)} · {tr(`${b.summary.done} đã phát xong`, `${b.summary.done} done`)} · {b.createdBy} · {timeAgo(b.createdAt)}
      </small>
    </li>
  );
}
