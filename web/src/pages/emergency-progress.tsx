/** An alert, live: how many speakers confirmed they are playing it, which have not, and cancel. */
import { useState } from 'preact/hooks';
import { RiskBadge } from '../components/alert-fields.js';
import { DeliveryList } from '../components/delivery-list.js';
import { SummaryCounts } from '../components/summary.js';
import { Bar, Badge, ConfirmButton, ErrorBox, Link, Loading, Notice, PageTitle } from '../components/ui.js';
import { loadBroadcast } from '../lib/broadcast-job.js';
import { fetchDevices, useZones } from '../lib/directory.js';
import { cancelAlert, firstBroadcastId, loadAlert } from '../lib/emergency.js';
import { useEvent } from '../lib/events.js';
import { dateTime, percent } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { jobStatusLabel } from '../lib/labels.js';
import { confirmed } from '../lib/progress.js';
import { can, session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import { useJob } from '../lib/use-job.js';
import { useLoad } from '../lib/use-load.js';
import type { Alert } from '../lib/types.js';

export function EmergencyProgressPage(props: { id: string }) {
  const alert = useLoad(() => loadAlert(props.id), [props.id]);
  const a = alert.data;
  useEvent('job.finished', (e) => a?.repetitions.some((r) => r.broadcastId === e.jobId) && alert.reload());
  const broadcastId = a && firstBroadcastId(a);
  if (!a || !broadcastId) return <div class="page emergency">{alert.error ? <ErrorBox error={alert.error} /> : <Loading />}</div>;
  return <AlertProgress alert={a} broadcastId={broadcastId} onChanged={alert.reload} />;
}

function stateLabel(a: Alert): string {
  return a.state === 'cancelled' ? tr('Đã huỷ', 'Cancelled') : tr('Đang cảnh báo', 'Active');
}

function AlertProgress(props: { alert: Alert; broadcastId: string; onChanged: () => void }) {
  const { alert: a } = props;
  const me = useStore(session);
  // The first repetition's deliveries are the proof, as on the controller (controller/alerts/service.ts `view`).
  const p = useJob(props.broadcastId, () => loadBroadcast(props.broadcastId));
  const zones = useZones();
  const devices = useLoad(() => fetchDevices(), []);
  const [cancelError, setCancelError] = useState<unknown>(null);

  const total = Math.max(p.summary.targeted, a.targeted);
  const yes = p.deliveries.filter(confirmed).length;
  const pct = percent(yes, total);
  const waiting = p.deliveries.filter((d) => !confirmed(d));
  const unanswered = waiting.length + Math.max(0, total - p.deliveries.length);
  const cancel = () => {
    setCancelError(null);
    cancelAlert(a.id).then(() => {
      props.onChanged();
      p.reload();
    }, setCancelError);
  };

  return (
    <div class="page emergency" data-job={a.id} data-broadcast={props.broadcastId} data-status={a.state}>
      <PageTitle text={a.title}>
        <span class="emergency-tag">{a.kind === 'drill' ? tr('DIỄN TẬP', 'DRILL') : tr('KHẨN CẤP', 'EMERGENCY')}</span> {a.title}
      </PageTitle>
      <p class="meta">
        <RiskBadge risk={a.risk} /> <span>{tr(a.hazardName.vi, a.hazardName.en)}</span> <Badge tone={a.state === 'active' ? 'bad' : 'warn'}>{stateLabel(a)}</Badge>{' '}
        <small class="muted">
          {a.createdBy} · {dateTime(a.createdAt)}
        </small>
      </p>
      <section class="panel" aria-labelledby="confirm-h">
        <h2 id="confirm-h">{tr('Xác nhận từ loa', 'Confirmed by speakers')}</h2>
        <p class="confirm-big" aria-live="polite" data-confirmed={yes} data-total={total} data-percent={pct}>
          <strong>{pct}%</strong> {tr(`· ${yes}/${total} loa đã xác nhận đang phát`, `· ${yes}/${total} speakers confirmed playing`)}
        </p>
        <Bar label={tr('Tỉ lệ loa đã xác nhận', 'Share of speakers confirmed')} total={total} parts={[{ tone: 'ok', value: yes }]} />
        {total > 0 && yes === total ? <Notice tone="ok">{tr('Tất cả loa đã xác nhận phát cảnh báo.', 'Every speaker confirmed the alert.')}</Notice> : null}
        {a.followUpDue && unanswered > 0 && a.state === 'active' ? (
          <Notice tone="warn">{tr('Đã quá thời gian xác nhận: hãy liên hệ các thôn có loa chưa xác nhận.', 'The confirmation time has passed: contact the villages whose speakers have not confirmed.')}</Notice>
        ) : null}
        <SummaryCounts summary={p.summary} />
        <ErrorBox error={p.error ?? cancelError} />
        {a.state === 'active' && can(me, 'broadcasts.write') ? (
          <ConfirmButton class="danger" label={tr('Huỷ cảnh báo', 'Cancel the alert')} confirmLabel={tr('Bấm lần nữa để dừng ở mọi loa', 'Press again to stop everywhere')} onConfirm={cancel} />
        ) : null}
        {a.state === 'cancelled' ? <Notice tone="warn">{tr('Cảnh báo đã được huỷ.', 'The alert was cancelled.')}</Notice> : null}
        {a.repetitions.length > 1 ? <Repetitions alert={a} /> : null}
      </section>
      <section class="panel" aria-labelledby="waiting-h">
        <h2 id="waiting-h">
          {tr('Loa chưa xác nhận', 'Speakers not confirmed')} <span class="count" data-waiting={unanswered}>({unanswered})</span>
        </h2>
        <DeliveryList deliveries={waiting} devices={devices.data} zones={zones.data} caption={tr('Loa chưa xác nhận', 'Speakers not confirmed')} />
      </section>
    </div>
  );
}

function Repetitions(props: { alert: Alert }) {
  return (
    <ol class="repetitions" aria-label={tr('Các lần phát', 'Repetitions')}>
      {props.alert.repetitions.map((r) => (
        <li key={r.broadcastId}>
          <Link href={`/ban-tin/${encodeURIComponent(r.broadcastId)}`}>{r.startAt ? dateTime(r.startAt) : tr('Ngay khi gửi', 'At once')}</Link> · {jobStatusLabel(r.status)} ·{' '}
          {tr(`${r.summary.done}/${r.summary.targeted} loa đã phát xong`, `${r.summary.done}/${r.summary.targeted} done`)}
        </li>
      ))}
    </ol>
  );
}
