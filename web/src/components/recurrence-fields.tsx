/** When a programme plays, in plain words: every day, chosen weekdays, days of the month or once; times of day; dates. */
import { useId } from 'preact/hooks';
import { weekdayName } from '../lib/calendar.js';
import { tr } from '../lib/i18n.js';
import type { ProgrammeDraft, RepeatKind } from '../lib/programme-draft.js';

type Patch = (p: Partial<ProgrammeDraft>) => void;

const KINDS: Array<[RepeatKind, () => string]> = [
  ['daily', () => tr('Hằng ngày', 'Every day')],
  ['weekly', () => tr('Các ngày trong tuần', 'On chosen weekdays')],
  ['monthly', () => tr('Hằng tháng', 'Every month')],
  ['once', () => tr('Một lần', 'Once')],
];
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

export function RecurrenceFields(props: { draft: ProgrammeDraft; set: Patch }) {
  const id = useId();
  const { draft: d, set } = props;
  if (d.kind === 'cron') {
    return <p class="notice info">{tr(`Chương trình này lặp theo biểu thức cron «${d.cron}» (tạo qua API); lịch lặp được giữ nguyên.`, `This programme repeats by the cron expression «${d.cron}» (made through the API); it is kept as it is.`)}</p>;
  }
  return (
    <>
      <fieldset class="chips">
        <legend>{tr('Lặp lại', 'Repeat')}</legend>
        {KINDS.map(([kind, label]) => (
          <label key={kind}>
            <input type="radio" name={`${id}-kind`} checked={d.kind === kind} onChange={() => set({ kind })} />
            {label()}
          </label>
        ))}
      </fieldset>
      {d.kind === 'weekly' ? <WeekdayFields draft={d} set={set} /> : null}
      {d.kind === 'monthly' ? (
        <div class="field">
          <label for={`${id}-days`}>{tr('Vào các ngày trong tháng (ví dụ: 1, 15)', 'On these days of the month (e.g. 1, 15)')}</label>
          <input id={`${id}-days`} type="text" inputMode="numeric" value={d.monthDays} onInput={(e) => set({ monthDays: e.currentTarget.value })} aria-describedby={`${id}-days-hint`} />
          <small id={`${id}-days-hint`} class="muted">
            {tr('Tháng không có ngày đó (ví dụ ngày 31) thì không phát.', 'A month without that day (e.g. the 31st) is skipped.')}
          </small>
        </div>
      ) : null}
      {d.kind === 'once' ? <OnceFields draft={d} set={set} /> : <TimesFields draft={d} set={set} />}
      {d.kind !== 'once' ? <DateRange draft={d} set={set} /> : null}
    </>
  );
}

function WeekdayFields(props: { draft: ProgrammeDraft; set: Patch }) {
  const { draft: d, set } = props;
  const toggle = (day: number, on: boolean) => set({ weekdays: on ? [...d.weekdays, day] : d.weekdays.filter((x) => x !== day) });
  return (
    <fieldset>
      <legend>{tr('Vào các ngày', 'On')}</legend>
      <div class="weekday-list">
        {WEEKDAYS.map((day) => (
          <label key={day} class="check">
            <input type="checkbox" checked={d.weekdays.includes(day)} onChange={(e) => toggle(day, e.currentTarget.checked)} />
            {weekdayName(day)}
          </label>
        ))}
      </div>
      <button type="button" class="secondary" onClick={() => set({ weekdays: [1, 2, 3, 4, 5] })}>
        {tr('Chọn Thứ Hai – Thứ Sáu', 'Choose Monday – Friday')}
      </button>
    </fieldset>
  );
}

function TimesFields(props: { draft: ProgrammeDraft; set: Patch }) {
  const id = useId();
  const { draft: d, set } = props;
  const setTime = (i: number, v: string) => set({ times: d.times.map((t, j) => (j === i ? v : t)) });
  return (
    <fieldset>
      <legend>{tr('Giờ phát', 'Times of day')}</legend>
      {d.times.map((t, i) => (
        <div key={i} class="field inline">
          <label for={`${id}-t${i}`}>{tr(`Giờ ${i + 1}`, `Time ${i + 1}`)}</label>
          <input id={`${id}-t${i}`} type="time" required value={t} onInput={(e) => setTime(i, e.currentTarget.value)} />
          {d.times.length > 1 ? (
            <button type="button" class="link-button" onClick={() => set({ times: d.times.filter((_, j) => j !== i) })}>
              {tr(`Bỏ giờ ${i + 1}`, `Remove time ${i + 1}`)}
            </button>
          ) : null}
        </div>
      ))}
      <button type="button" class="secondary" onClick={() => set({ times: [...d.times, ''] })}>
        {tr('Thêm giờ phát', 'Add a time')}
      </button>
    </fieldset>
  );
}

function OnceFields(props: { draft: ProgrammeDraft; set: Patch }) {
  const id = useId();
  const { draft: d, set } = props;
  return (
    <div class="form-grid">
      <div class="field">
        <label for={`${id}-date`}>{tr('Ngày phát', 'Date')}</label>
        <input id={`${id}-date`} type="date" required value={d.onceDate} onInput={(e) => set({ onceDate: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label for={`${id}-time`}>{tr('Giờ phát', 'Time')}</label>
        <input id={`${id}-time`} type="time" required value={d.onceTime} onInput={(e) => set({ onceTime: e.currentTarget.value })} />
      </div>
    </div>
  );
}

function DateRange(props: { draft: ProgrammeDraft; set: Patch }) {
  const id = useId();
  const { draft: d, set } = props;
  return (
    <div class="form-grid">
      <div class="field">
        <label for={`${id}-from`}>{tr('Từ ngày', 'From')}</label>
        <input id={`${id}-from`} type="date" value={d.startDate} onInput={(e) => set({ startDate: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label for={`${id}-to`}>{tr('Đến ngày (để trống: không hạn)', 'Until (empty: no end)')}</label>
        <input id={`${id}-to`} type="date" value={d.endDate} min={d.startDate || undefined} onInput={(e) => set({ endDate: e.currentTarget.value })} />
      </div>
    </div>
  );
}
