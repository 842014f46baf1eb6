/** Cập nhật phần mềm: firmware rollouts with their progress; pause, resume or abort (technicians). */
import { useEffect, useState } from 'preact/hooks';
import { Badge, Bar, ConfirmButton, ErrorBox, Link, Loading, PageTitle, type Tone } from '../components/ui.js';
import { api } from '../lib/api.js';
import { dateTime } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { can, session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import { useLoad } from '../lib/use-load.js';

type Status = 'running' | 'paused' | 'stopped' | 'completed' | 'aborted';

interface Rollout {
  id: string;
  version: string;
  status: Status;
  reason: string | null;
  createdAt: number;
  createdBy: string;
  groupCount: number;
  currentGroup: number | null;
  totals: { targeted: number; waiting: number; updating: number; updated: number; failed: number; skipped: number };
}

/** The rollout moves on without events to the console: while one runs, ask again this often. */
const POLL_MS = 3000;

const STATUS: Record<Status, [vi: string, en: string, tone: Tone]> = {
  running: ['Đang cập nhật', 'Running', 'busy'],
  paused: ['Tạm dừng', 'Paused', 'warn'],
  stopped: ['Đã dừng (lỗi vượt ngưỡng)', 'Stopped (too many errors)', 'bad'],
  completed: ['Hoàn tất', 'Completed', 'ok'],
  aborted: ['Đã huỷ', 'Aborted', 'warn'],
};

export function RolloutsPage() {
  const me = useStore(session);
  const list = useLoad(() => api.get<{ items: Rollout[] }>('/api/v1/rollouts').then((b) => [...b.items].sort((a, b) => b.createdAt - a.createdAt)), []);
  const [error, setError] = useState<unknown>(null);
  const busy = list.data?.some((r) => r.status === 'running') ?? false;
  useEffect(() => {
    if (!busy) return;
    const t = setInterval(list.reload, POLL_MS);
    return () => clearInterval(t);
  }, [busy]);
  const act = (r: Rollout, action: 'pause' | 'resume' | 'abort') => {
    setError(null);
    api.post(`/api/v1/rollouts/${encodeURIComponent(r.id)}/${action}`).then(list.reload, setError);
  };
  return (
    <div class="page">
      <p class="crumbs">
        <Link href="/thiet-bi">← {tr('Tất cả loa', 'All speakers')}</Link>
      </p>
      <PageTitle text={tr('Cập nhật phần mềm', 'Firmware rollouts')}>{tr('Cập nhật phần mềm', 'Firmware rollouts')}</PageTitle>
      <ErrorBox error={list.error ?? error} />
      {!list.data ? <Loading /> : null}
      {list.data?.length === 0 ? <p class="muted">{tr('Chưa có đợt cập nhật nào.', 'No rollouts yet.')}</p> : null}
      <ul class="cards">
        {list.data?.map((r) => (
          <RolloutCard key={r.id} r={r} canAct={can(me, 'devices.command')} act={(a) => act(r, a)} />
        ))}
      </ul>
    </div>
  );
}

function RolloutCard(props: { r: Rollout; canAct: boolean; act: (a: 'pause' | 'resume' | 'abort') => void }) {
  const { r } = props;
  const [vi, en, tone] = STATUS[r.status];
  const t = r.totals;
  const open = r.status === 'running' || r.status === 'paused';
  return (
    <li class="panel rollout" data-rollout={r.id} data-status={r.status}>
      <div class="line">
        <strong>{tr(`Phiên bản ${r.version}`, `Version ${r.version}`)}</strong> <Badge tone={tone}>{tr(vi, en)}</Badge>
      </div>
      <Bar label={tr(`Tiến độ cập nhật ${r.version}`, `Rollout progress ${r.version}`)} total={t.targeted} parts={[{ tone: 'ok', value: t.updated }, { tone: 'busy', value: t.updating }, { tone: 'bad', value: t.failed }]} />
      <p class="small">
        {tr(
          `${t.updated}/${t.targeted} loa đã cập nhật · ${t.updating} đang cập nhật · ${t.failed} lỗi · ${t.waiting} chờ · ${t.skipped} bỏ qua`,
          `${t.updated}/${t.targeted} updated · ${t.updating} updating · ${t.failed} failed · ${t.waiting} waiting · ${t.skipped} skipped`,
        )}
        {r.currentGroup !== null ? ` · ${tr(`nhóm ${r.currentGroup + 1}/${r.groupCount}`, `group ${r.currentGroup + 1}/${r.groupCount}`)}` : ''}
      </p>
      <small class="muted">
        {r.createdBy} · {dateTime(r.createdAt)}
        {r.reason ? ` · ${r.reason}` : ''}
      </small>
      {props.canAct && open ? (
        <div class="actions">
          {r.status === 'running' ? (
            <button type="button" class="secondary" onClick={() => props.act('pause')}>
              {tr('Tạm dừng', 'Pause')}
            </button>
          ) : (
            <button type="button" class="secondary" onClick={() => props.act('resume')}>
              {tr('Tiếp tục', 'Resume')}
            </button>
          )}
          <ConfirmButton label={tr('Huỷ đợt cập nhật', 'Abort the rollout')} confirmLabel={tr('Bấm lần nữa để huỷ', 'Press again to abort')} onConfirm={() => props.act('abort')} />
        </div>
      ) : null}
    </li>
  );
}
