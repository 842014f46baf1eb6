/** An emergency, live: how many speakers confirmed they are playing it, which have not, and cancel. */
import { useState } from 'preact/hooks';
import { DeliveryList } from '../components/delivery-list.js';
import { SummaryCounts } from '../components/summary.js';
import { Bar, Badge, ConfirmButton, ErrorBox, Loading, Notice, PageTitle } from '../components/ui.js';
import { fetchDevices, useZones } from '../lib/directory.js';
import { emergencySender } from '../lib/emergency.js';
import { dateTime, percent } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { jobStatusLabel } from '../lib/labels.js';
import { confirmed } from '../lib/progress.js';
import { can, session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import { useJob } from '../lib/use-job.js';
import { useLoad } from '../lib/use-load.js';

export function EmergencyProgressPage(props: { id: string }) {
  const me = useStore(session);
  const p = useJob(props.id, () => emergencySender.load(props.id));
  const zones = useZones();
  const devices = useLoad(() => fetchDevices(), []);
  const [cancelError, setCancelError] = useState<unknown>(null);
  const job = p.job;
  if (!job) return <div class="page emergency">{p.error ? <ErrorBox error={p.error} /> : <Loading />}</div>;

  const total = p.summary.targeted;
  const yes = p.deliveries.filter(confirmed).length;
  const pct = percent(yes, total);
  const waiting = p.deliveries.filter((d) => !confirmed(d));
  const cancel = () => {
    setCancelError(null);
    emergencySender.cancel(props.id).then(p.reload, setCancelError);
  };

  return (
    <div class="page emergency" data-job={job.id} data-status={job.status}>
      <PageTitle text={job.title}>
        <span class="emergency-tag">{tr('KHẨN CẤP', 'EMERGENCY')}</span> {job.title}
      </PageTitle>
      <p class="meta">
        <Badge tone={job.status === 'active' ? 'bad' : 'warn'}>{jobStatusLabel(job.status)}</Badge>{' '}
        <small class="muted">
          {job.createdBy} · {dateTime(job.createdAt)}
        </small>
      </p>
      <section class="panel" aria-labelledby="confirm-h">
        <h2 id="confirm-h">{tr('Xác nhận từ loa', 'Confirmed by speakers')}</h2>
        <p class="confirm-big" aria-live="polite" data-confirmed={yes} data-total={total} data-percent={pct}>
          <strong>{pct}%</strong> {tr(`· ${yes}/${total} loa đã xác nhận đang phát`, `· ${yes}/${total} speakers confirmed playing`)}
        </p>
        <Bar label={tr('Tỉ lệ loa đã xác nhận', 'Share of speakers confirmed')} total={total} parts={[{ tone: 'ok', value: yes }]} />
        {total > 0 && yes === total ? <Notice tone="ok">{tr('Tất cả loa đã xác nhận phát cảnh báo.', 'Every speaker confirmed the alert.')}</Notice> : null}
        <SummaryCounts summary={p.summary} />
        <ErrorBox error={p.error ?? cancelError} />
        {job.status === 'active' && can(me, 'broadcasts.write') ? (
          <ConfirmButton class="danger" label={tr('Huỷ cảnh báo', 'Cancel the alert')} confirmLabel={tr('Bấm lần nữa để dừng ở mọi loa', 'Press again to stop everywhere')} onConfirm={cancel} />
        ) : null}
        {job.status === 'cancelled' ? <Notice tone="warn">{tr('Cảnh báo đã được huỷ.', 'The alert was cancelled.')}</Notice> : null}
      </section>
      <section class="panel" aria-labelledby="waiting-h">
        <h2 id="waiting-h">
          {tr('Loa chưa xác nhận', 'Speakers not confirmed')} <span class="count" data-waiting={waiting.length + (total - p.deliveries.length)}>({waiting.length + (total - p.deliveries.length)})</span>
        </h2>
        <DeliveryList deliveries={waiting} devices={devices.data} zones={zones.data} caption={tr('Loa chưa xác nhận', 'Speakers not confirmed')} />
      </section>
    </div>
  );
}
