/** Where a recording is used: every broadcast, programme and alert that plays it; those still to play keep it from being deleted. */
import { api } from '../lib/api.js';
import { tr } from '../lib/i18n.js';
import { jobStatusLabel } from '../lib/labels.js';
import type { Media, MediaUse } from '../lib/types.js';
import { useLoad } from '../lib/use-load.js';
import { broadcastHref } from './broadcast-card.js';
import { Badge, ErrorBox, Link, Loading } from './ui.js';

function kindLabel(k: MediaUse['kind']): string {
  return k === 'broadcast' ? tr('Bản tin', 'Broadcast') : k === 'programme' ? tr('Lịch phát', 'Programme') : tr('Cảnh báo', 'Alert');
}

function hrefOf(u: MediaUse): string {
  if (u.kind === 'broadcast') return broadcastHref(u);
  if (u.kind === 'alert') return `/khan-cap/${encodeURIComponent(u.id)}`;
  return '/lich-phat';
}

function statusLabel(u: MediaUse): string {
  const s = u.status;
  if (u.kind === 'programme') return s === 'paused' ? tr('Tạm dừng', 'Paused') : tr('Đang áp dụng', 'Running');
  if (s === 'stored') return tr('Đã lưu', 'Stored');
  return jobStatusLabel(s);
}

/** `version` reloads it (after a refused delete, say). */
export function MediaUses(props: { media: Media; version: number; refused: boolean }) {
  const item = useLoad(() => api.get<{ usedBy: MediaUse[]; pendingElsewhere: number }>(`/api/v1/media/${encodeURIComponent(props.media.id)}`), [props.media.id, props.version]);
  const uses = { ...item, data: item.data?.usedBy };
  const pending = uses.data?.filter((u) => u.pending).length ?? 0;
  const elsewhere = (item.data?.pendingElsewhere ?? 0) > 0;
  return (
    <div class="uses" aria-live="polite">
      <ErrorBox error={uses.error} />
      {!uses.data ? <Loading /> : null}
      {uses.data && pending === 0 && (props.refused || elsewhere) ? (
        <p>{tr('Bản tin này còn được dùng ngoài phạm vi tài khoản của bạn (ví dụ lịch phát của huyện), nên chưa xoá được.', 'It is still used outside your account’s area (a district programme, say), so it cannot be deleted.')}</p>
      ) : uses.data?.length === 0 && !elsewhere ? (
        <p class="muted">{tr('Chưa được dùng ở đâu: có thể xoá.', 'Not used anywhere: it may be deleted.')}</p>
      ) : null}
      {uses.data?.length ? (
        <>
          <p>
            {pending > 0
              ? tr(`Được dùng ở ${uses.data.length} nơi, ${pending} nơi sắp phát: chưa xoá được.`, `Used in ${uses.data.length} places, ${pending} still to play: it cannot be deleted yet.`)
              : tr(`Được dùng ở ${uses.data.length} nơi, đều đã phát xong.`, `Used in ${uses.data.length} places, all already played.`)}
          </p>
          <ul class="use-list">
            {uses.data.map((u) => (
              <li key={`${u.kind}:${u.id}`} data-use={u.kind} data-pending={String(u.pending)}>
                <Badge tone="idle">{kindLabel(u.kind)}</Badge> <Link href={hrefOf(u)}>{u.title}</Link> <small class="muted">{statusLabel(u)}</small>{' '}
                {u.pending ? <Badge tone="warn">{tr('Sắp phát', 'Still to play')}</Badge> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
