/** Báo cáo: airtime per village for a month (with the CSV the commune files), and how recent broadcasts went. */
import { useId, useState } from 'preact/hooks';
import { ErrorBox, Link, Loading, PageTitle } from '../components/ui.js';
import { api } from '../lib/api.js';
import { dateTime, duration } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { jobStatusLabel, priorityLabel } from '../lib/labels.js';
import { useLoad } from '../lib/use-load.js';
import type { Broadcast } from '../lib/types.js';

interface AirtimeSummary {
  key: string;
  name: string;
  broadcasts: number;
  played: number;
  failed: number;
  playedMs: number;
}

/** 'YYYY-MM' now in Vietnam (UTC+7), the month the controller's report counts in. */
const thisMonth = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
const airtimePath = (month: string) => `/api/v1/reports/airtime?month=${month}`;

/** Hours and minutes for long totals, m:ss below an hour. */
function airtime(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  return h ? `${h} h ${String(Math.floor((ms % 3_600_000) / 60_000)).padStart(2, '0')} min` : duration(ms);
}

export function ReportsPage() {
  return (
    <div class="page">
      <PageTitle text={tr('Báo cáo', 'Reports')}>{tr('Báo cáo', 'Reports')}</PageTitle>
      <Airtime />
      <BroadcastResults />
    </div>
  );
}

function Airtime() {
  const id = useId();
  const [month, setMonth] = useState(thisMonth());
  // Per-village totals only: the per-speaker rows of a large fleet are for the CSV.
  const report = useLoad(() => api.get<{ byVillage: AirtimeSummary[]; total: Omit<AirtimeSummary, 'key' | 'name'> }>(`${airtimePath(month)}&detail=villages`), [month]);
  const rows = report.data?.byVillage ?? [];
  const total = report.data?.total ?? { broadcasts: 0, played: 0, failed: 0, playedMs: 0 };
  const cols = [tr('Thôn', 'Village'), tr('Số bản tin', 'Broadcasts'), tr('Lượt loa đã phát', 'Speaker plays'), tr('Lượt lỗi / không phát', 'Failed / not played'), tr('Thời lượng phát', 'Airtime')];
  return (
    <section class="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{tr('Thời lượng phát theo thôn', 'Airtime per village')}</h2>
      <div class="field inline">
        <label for={`${id}-month`}>{tr('Tháng', 'Month')}</label>
        <input id={`${id}-month`} type="month" value={month} max={thisMonth()} onChange={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)} />
        <a class="button-link" href={`${airtimePath(month)}&format=csv`} download={`airtime-${month}.csv`}>
          {tr(`Tải tệp CSV tháng ${month} (mở bằng Excel)`, `Download the ${month} CSV (opens in Excel)`)}
        </a>
      </div>
      <ErrorBox error={report.error} />
      {report.loading && !report.data ? <Loading /> : null}
      {report.data && !rows.length ? <p class="muted">{tr('Tháng này chưa phát bản tin nào.', 'Nothing was broadcast this month.')}</p> : null}
      {rows.length ? (
        <table class="stack airtime" data-month={month}>
          <ColumnHeads cols={cols} />
          <tbody>
            {rows.map((r) => (
              <AirtimeRow key={r.key} cols={cols} name={r.name} r={r} />
            ))}
          </tbody>
          <tfoot>
            <AirtimeRow cols={cols} name={tr('Cả xã', 'Whole commune')} r={total} />
          </tfoot>
        </table>
      ) : null}
    </section>
  );
}

function AirtimeRow(props: { cols: string[]; name: string; r: Omit<AirtimeSummary, 'key' | 'name'> }) {
  const { r, cols } = props;
  const cells = [String(r.broadcasts), String(r.played), String(r.failed), airtime(r.playedMs)];
  return (
    <tr data-village={props.name}>
      <th scope="row" data-label={cols[0]}>
        {props.name}
      </th>
      <Cells cols={cols} cells={cells} />
    </tr>
  );
}

function BroadcastResults() {
  const list = useLoad(() => api.get<{ items: Broadcast[] }>('/api/v1/broadcasts?limit=30').then((b) => b.items), []);
  const cols = [tr('Bản tin', 'Broadcast'), tr('Lúc', 'When'), tr('Mức', 'Priority'), tr('Số loa', 'Speakers'), tr('Đã phát xong', 'Done'), tr('Lỗi / hết hạn', 'Failed / expired'), tr('Bị ngắt', 'Interrupted'), tr('Trạng thái', 'Status')];
  return (
    <section class="panel" aria-labelledby="results-h">
      <h2 id="results-h">{tr('Kết quả các bản tin gần đây', 'Results of recent broadcasts')}</h2>
      <ErrorBox error={list.error} />
      {!list.data ? <Loading /> : null}
      {list.data?.length === 0 ? <p class="muted">{tr('Chưa có bản tin nào.', 'No broadcasts yet.')}</p> : null}
      {list.data?.length ? (
        <table class="stack results">
          <ColumnHeads cols={cols} />
          <tbody>
            {list.data.map((b) => {
              const s = b.summary;
              const cells = [dateTime(b.createdAt), priorityLabel(b.priority), String(s.targeted), String(s.done), String(s.failed + s.rejected + s.expired), String(s.interrupted), jobStatusLabel(b.status)];
              return (
                <tr key={b.id} data-broadcast={b.id}>
                  <th scope="row" data-label={cols[0]}>
                    <Link href={`/ban-tin/${encodeURIComponent(b.id)}`}>{b.title}</Link>
                  </th>
                  <Cells cols={cols} cells={cells} />
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function ColumnHeads(props: { cols: string[] }) {
  return (
    <thead>
      <tr>
        {props.cols.map((c) => (
          <th key={c} scope="col">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** The cells after a row's heading, each labelled with its column (the table stacks on a phone). */
function Cells(props: { cols: string[]; cells: string[] }) {
  return (
    <>
      {props.cells.map((c, i) => (
        <td key={i} data-label={props.cols[i + 1]}>
          {c}
        </td>
      ))}
    </>
  );
}
