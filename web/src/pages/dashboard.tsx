/** Tổng quan: speakers by health, the latest broadcasts with their progress, and what is happening now. */
import { BroadcastCard } from '../components/broadcast-card.js';
import { healthTone } from '../components/health.js';
import { Badge, ErrorBox, Link, Loading, PageTitle } from '../components/ui.js';
import { activity, type Activity } from '../lib/activity.js';
import { api } from '../lib/api.js';
import { useDevices } from '../lib/directory.js';
import { useEvent } from '../lib/events.js';
import { timeAgo } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { deliveryLabel, healthLabel, jobStatusLabel } from '../lib/labels.js';
import { useStore } from '../lib/store.js';
import { useLoad, useThrottled } from '../lib/use-load.js';
import { HEALTH_STATES, type Broadcast, type DeliveryState, type Device } from '../lib/types.js';

export function DashboardPage() {
  return (
    <div class="page">
      <PageTitle text={tr('Tổng quan', 'Overview')}>{tr('Tổng quan', 'Overview')}</PageTitle>
      <div class="grid-2">
        <HealthPanel />
        <ActivityPanel />
      </div>
      <RecentBroadcasts />
    </div>
  );
}

function HealthPanel() {
  const devices = useDevices();
  const counts = countStates(devices.data ?? []);
  return (
    <section class="panel" aria-labelledby="health-h">
      <h2 id="health-h">{tr('Tình trạng loa', 'Speaker health')}</h2>
      <ErrorBox error={devices.error} />
      {!devices.data ? (
        <Loading />
      ) : (
        <ul class="health-counts">
          {HEALTH_STATES.map((s) => (
            <li key={s} data-health={s}>
              <Link href={`/thiet-bi?trang-thai=${s}`}>
                <Badge tone={healthTone(s)}>{healthLabel(s)}</Badge>
                <strong class="count">{counts.get(s) ?? 0}</strong>
              </Link>
            </li>
          ))}
          <li class="total">
            {tr('Tổng số', 'Total')}: <strong>{devices.data.length}</strong>
          </li>
        </ul>
      )}
    </section>
  );
}

function countStates(devices: Device[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of devices) m.set(d.health.state, (m.get(d.health.state) ?? 0) + 1);
  return m;
}

function RecentBroadcasts() {
  const list = useLoad(() => api.get<{ items: Broadcast[] }>('/api/v1/broadcasts?limit=6').then((b) => b.items), []);
  const refresh = useThrottled(list.reload, 1500);
  useEvent('broadcast.created', refresh);
  useEvent('job.finished', refresh);
  useEvent('job.progress', (e) => e.kind === 'broadcast' && refresh());
  useEvent('resync', refresh);
  return (
    <section class="panel" aria-labelledby="recent-h">
      <h2 id="recent-h">{tr('Bản tin gần đây', 'Latest broadcasts')}</h2>
      <ErrorBox error={list.error} />
      {!list.data ? <Loading /> : null}
      {list.data?.length === 0 ? <p class="muted">{tr('Chưa có bản tin nào.', 'No broadcasts yet.')}</p> : null}
      <ul class="cards">
        {list.data?.map((b) => (
          <BroadcastCard key={b.id} b={b} />
        ))}
      </ul>
    </section>
  );
}

function ActivityPanel() {
  const items = useStore(activity);
  return (
    <section class="panel" aria-labelledby="activity-h">
      <h2 id="activity-h">{tr('Hoạt động trực tiếp', 'Live activity')}</h2>
      {items.length === 0 ? <p class="muted">{tr('Chưa có sự kiện mới kể từ khi mở trang.', 'Nothing new since this page opened.')}</p> : null}
      <ol class="feed" aria-live="polite" aria-relevant="additions">
        {items.slice(0, 15).map((a, i) => (
          <li key={`${a.at}-${i}`} class={`feed-${a.kind}`}>
            <span>{describe(a)}</span> <small class="muted">{timeAgo(a.at)}</small>
          </li>
        ))}
      </ol>
    </section>
  );
}

function describe(a: Activity): string {
  switch (a.kind) {
    case 'online':
      return tr(`Loa ${a.deviceId} đã kết nối`, `Speaker ${a.deviceId} came online`);
    case 'offline':
      return tr(`Loa ${a.deviceId} mất kết nối`, `Speaker ${a.deviceId} went offline`);
    case 'created':
      return tr(`Bắt đầu phát «${a.title}» tới ${a.targeted} loa`, `Started «${a.title}» on ${a.targeted} speakers`);
    case 'finished':
      return a.jobKind === 'broadcast' ? tr(`Bản tin ${jobStatusLabel(a.status).toLowerCase()}`, `Broadcast ${jobStatusLabel(a.status).toLowerCase()}`) : tr(`Lệnh tới loa ${jobStatusLabel(a.status).toLowerCase()}`, `Speaker command ${jobStatusLabel(a.status).toLowerCase()}`);
    case 'problem':
      return `${tr('Loa', 'Speaker')} ${a.deviceId}: ${deliveryLabel(a.state as DeliveryState)}${a.error ? ` (${a.error})` : ''}`;
  }
}
