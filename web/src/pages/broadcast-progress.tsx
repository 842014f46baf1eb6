/** One broadcast, live: counts and every speaker's state until all have finished; cancel while it runs. */
import { useState } from 'preact/hooks';
import { DeliveryList } from '../components/delivery-list.js';
import { SummaryBar, SummaryCounts, finishedText } from '../components/summary.js';
import { Badge, ConfirmButton, ErrorBox, Loading, Notice, PageTitle } from '../components/ui.js';
import { cancelBroadcast, loadBroadcast } from '../lib/broadcast-job.js';
import { fetchDevices, useZones } from '../lib/directory.js';
import { dateTime } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { jobStatusLabel, priorityLabel } from '../lib/labels.js';
import { finishedCount } from '../lib/progress.js';
import { can, session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import { useJob } from '../lib/use-job.js';
import { useLoad } from '../lib/use-load.js';

export function BroadcastProgressPage(props: { id: string }) {
  const me = useStore(session);
  const p = useJob(props.id, () => loadBroadcast(props.id));
  const zones = useZones();
  const devices = useLoad(() => fetchDevices(), []);
  const [cancelError, setCancelError] = useState<unknown>(null);
  const job = p.job;
  const allFinished = p.summary.targeted > 0 && finishedCount(p.summary) === p.summary.targeted;

  const cancel = () => {
    setCancelError(null);
    cancelBroadcast(props.id).then(p.reload, setCancelError);
  };

  if (!job) return <div class="page">{p.error ? <ErrorBox error={p.error} /> : <Loading />}</div>;
  return (
    <div class="page" data-job={job.id} data-status={job.status} data-finished={String(allFinished)}>
      <PageTitle text={job.title}>{job.title}</PageTitle>
      <p class="meta">
        <Badge tone={job.priority === 3 ? 'bad' : job.priority === 2 ? 'warn' : 'idle'}>{priorityLabel(job.priority)}</Badge> <Badge tone={job.status === 'active' ? 'busy' : 'ok'}>{jobStatusLabel(job.status)}</Badge>{' '}
        <small class="muted">
          {job.createdBy} · {dateTime(job.createdAt)}
        </small>
      </p>
      <section class="panel" aria-labelledby="progress-h">
        <h2 id="progress-h">{tr('Tiến độ', 'Progress')}</h2>
        <SummaryBar summary={p.summary} />
        <p class="big-line" aria-live="polite">
          {finishedText(p.summary)}
        </p>
        <SummaryCounts summary={p.summary} />
        {allFinished ? <Notice tone="ok">{tr('Tất cả loa đã kết thúc bản tin này.', 'Every speaker has finished this broadcast.')}</Notice> : null}
        <ErrorBox error={p.error ?? cancelError} />
        {job.status === 'active' && can(me, 'broadcasts.write') ? (
          <ConfirmButton class="danger" label={tr('Dừng phát', 'Stop broadcast')} confirmLabel={tr('Bấm lần nữa để dừng ở mọi loa', 'Press again to stop everywhere')} onConfirm={cancel} />
        ) : null}
      </section>
      <section class="panel" aria-labelledby="speakers-h">
        <h2 id="speakers-h">{tr('Từng loa', 'Each speaker')}</h2>
        <DeliveryList deliveries={p.deliveries} devices={devices.data} zones={zones.data} />
      </section>
    </div>
  );
}
