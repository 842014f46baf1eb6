/** A job's progress: a bar and the counts by state, in words. */
import { tr } from '../lib/i18n.js';
import { finishedCount } from '../lib/progress.js';
import type { Summary } from '../lib/types.js';
import { Bar } from './ui.js';

export function SummaryBar(props: { summary: Summary; label?: string }) {
  const s = props.summary;
  return (
    <Bar
      label={props.label ?? tr('Tiến độ', 'Progress')}
      total={s.targeted}
      parts={[
        { tone: 'ok', value: s.done },
        { tone: 'busy', value: s.playing },
        { tone: 'bad', value: s.failed + s.rejected },
        { tone: 'warn', value: s.expired + s.interrupted },
      ]}
    />
  );
}

export function SummaryCounts(props: { summary: Summary }) {
  const s = props.summary;
  const rows: Array<[string, number, string]> = [
    [tr('Số loa', 'Speakers'), s.targeted, 'total'],
    [tr('Đã nhận', 'Received'), s.reached, 'reached'],
    [tr('Đang phát', 'Playing'), s.playing, 'playing'],
    [tr('Đã phát xong', 'Done'), s.done, 'done'],
    [tr('Lỗi / từ chối', 'Failed / rejected'), s.failed + s.rejected, 'failed'],
    [tr('Hết hạn / bị ngắt', 'Expired / interrupted'), s.expired + s.interrupted, 'ended'],
    [tr('Chưa trả lời', 'No answer'), s.noAnswer, 'no-answer'],
  ];
  return (
    <dl class="counts" aria-live="polite">
      {rows.map(([label, value, key]) => (
        <div key={key} data-count={key}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function finishedText(s: Summary): string {
  return tr(`${finishedCount(s)}/${s.targeted} loa đã kết thúc`, `${finishedCount(s)}/${s.targeted} speakers finished`);
}
