/** Per-speaker results of a job, filterable, drawn in pages of 200 so a large fleet stays quick. */
import { useId, useState } from 'preact/hooks';
import { zoneName } from '../lib/directory.js';
import { timeAgo } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { deliveryLabel, deliveryTone } from '../lib/labels.js';
import { isFinal } from '../lib/progress.js';
import type { Delivery, Device, Zone } from '../lib/types.js';
import { Badge, Link } from './ui.js';

type Filter = 'all' | 'open' | 'problem';
const PAGE = 200;

const latestAt = (d: Delivery) => d.at[d.state] ?? Math.max(0, ...Object.values(d.at).map(Number));
const problem = (d: Delivery) => d.state === 'failed' || d.state === 'rejected' || d.state === 'expired';

export function DeliveryList(props: { deliveries: Delivery[]; devices: Device[] | undefined; zones: Zone[] | undefined; caption?: string }) {
  const name = useId();
  const [filter, setFilter] = useState<Filter>('all');
  const [shown, setShown] = useState(PAGE);
  const zoneOf = new Map(props.devices?.map((d) => [d.id, d.zoneId]) ?? []);
  const rows = props.deliveries
    .filter((d) => filter === 'all' || (filter === 'open' ? !isFinal(d.state) : problem(d)))
    .sort((a, b) => Number(isFinal(a.state)) - Number(isFinal(b.state)) || a.deviceId.localeCompare(b.deviceId));
  return (
    <section aria-label={props.caption ?? tr('Kết quả từng loa', 'Per speaker')}>
      <fieldset class="chips">
        <legend>{tr('Hiện', 'Show')}</legend>
        {(
          [
            ['all', tr('Tất cả', 'All')],
            ['open', tr('Chưa xong', 'Not finished')],
            ['problem', tr('Có lỗi', 'Problems')],
          ] as Array<[Filter, string]>
        ).map(([value, label]) => (
          <label key={value}>
            <input type="radio" name={name} value={value} checked={filter === value} onChange={() => setFilter(value)} />
            {label}
          </label>
        ))}
      </fieldset>
      <ul class="rows deliveries">
        {rows.slice(0, shown).map((d) => (
          <li key={d.deviceId} data-device={d.deviceId} data-state={d.state}>
            <Link href={`/thiet-bi/${encodeURIComponent(d.deviceId)}`}>{d.deviceId}</Link>
            <span class="muted">{zoneName(props.zones, zoneOf.get(d.deviceId) ?? null)}</span>
            <Badge tone={deliveryTone(d.state)}>{deliveryLabel(d.state)}</Badge>
            <small class="muted">{timeAgo(latestAt(d) || null)}</small>
            {d.error ? <small class="error-text">{d.error.message}</small> : null}
            {d.lateMs ? <small class="muted">{tr(`trễ ${d.lateMs} ms`, `${d.lateMs} ms late`)}</small> : null}
          </li>
        ))}
      </ul>
      {rows.length === 0 ? <p class="muted">{tr('Không có loa nào ở mục này.', 'No speakers here.')}</p> : null}
      {rows.length > shown ? (
        <button type="button" class="secondary" onClick={() => setShown(shown + PAGE)}>
          {tr(`Xem thêm (${rows.length - shown} loa)`, `Show more (${rows.length - shown})`)}
        </button>
      ) : null}
    </section>
  );
}
