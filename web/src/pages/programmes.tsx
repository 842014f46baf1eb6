/** Lịch phát: the commune's programmes in a week or month calendar, with overlaps marked; create and edit in plain words. */
import { useState } from 'preact/hooks';
import { MonthView, WeekView } from '../components/calendar.js';
import { Badge, ConfirmButton, ErrorBox, Loading, Notice, PageTitle } from '../components/ui.js';
import { addDays, addMonths, dayLabel, dayStart, daysFrom, monthGrid, monthLabel, today, weekStart, type Day } from '../lib/calendar.js';
import { countByZone, fetchDevices, fetchZones, zoneName } from '../lib/directory.js';
import { tr } from '../lib/i18n.js';
import { priorityLabel } from '../lib/labels.js';
import { clashingKeys, fetchAgenda, fetchProgrammes, recurrenceText, removeProgramme, setPaused, speakersOf, type Conflict, type Occurrence, type Programme } from '../lib/programmes.js';
import { navigate, useQuery } from '../lib/router.js';
import { can, session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import { useLoad } from '../lib/use-load.js';
import type { Device, Zone } from '../lib/types.js';
import { ConflictList, ProgrammeEditor } from './programme-form.js';

type View = 'week' | 'month';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function groupByDay(items: Occurrence[]): Map<Day, Occurrence[]> {
  const m = new Map<Day, Occurrence[]>();
  for (const o of items) m.set(o.local.slice(0, 10), [...(m.get(o.local.slice(0, 10)) ?? []), o]);
  return m;
}

export function ProgrammesPage() {
  const me = useStore(session);
  const writer = can(me, 'broadcasts.write');
  const query = useQuery();
  const view: View = query.get('xem') === 'thang' ? 'month' : 'week';
  const anchor = DAY.test(query.get('ngay') ?? '') ? query.get('ngay')! : today();
  const days = view === 'week' ? daysFrom(weekStart(anchor), 7) : monthGrid(anchor);
  const from = dayStart(days[0]!);
  const to = dayStart(addDays(days.at(-1)!, 1));
  const agenda = useLoad(() => fetchAgenda(from, to), [from, to]);
  const programmes = useLoad(fetchProgrammes, []);
  const place = useLoad(() => Promise.all([fetchZones(), fetchDevices()]), []);
  const [editing, setEditing] = useState<Programme | 'new' | null>(null);
  const [saved, setSaved] = useState<{ programme: Programme; conflicts: Conflict[] } | null>(null);
  const [zones, devices] = place.data ?? [[], []];

  const go = (v: View, day: Day) => navigate(`/lich-phat?xem=${v === 'month' ? 'thang' : 'tuan'}&ngay=${day}`, { replace: true });
  const step = (n: number) => go(view, view === 'week' ? addDays(anchor, 7 * n) : addMonths(anchor, n));
  const reload = () => {
    agenda.reload();
    programmes.reload();
  };
  const open = (p: Programme | 'new') => {
    setSaved(null);
    setEditing(p);
    window.scrollTo(0, 0);
  };
  const pick = writer
    ? (id: string) => {
        const p = programmes.data?.find((x) => x.id === id);
        if (p) open(p);
      }
    : undefined;
  const speakers = new Map((programmes.data ?? []).map((p) => [p.id, speakersOf(p.targets, devices)]));
  const byDay = groupByDay(agenda.data ?? []);
  const clashes = clashingKeys(agenda.data ?? [], speakers);
  const title = view === 'week' ? `${dayLabel(days[0]!)} – ${dayLabel(days[6]!)}` : monthLabel(anchor);

  return (
    <div class="page">
      <PageTitle text={tr('Lịch phát', 'Programmes')}>{tr('Lịch phát', 'Programmes')}</PageTitle>
      {writer && !editing ? (
        <p>
          <button type="button" onClick={() => open('new')}>
            {tr('Tạo chương trình mới', 'New programme')}
          </button>
        </p>
      ) : null}
      {editing ? (
        <ProgrammeEditor
          programme={editing === 'new' ? null : editing}
          place={{ zones, counts: countByZone(devices), total: devices.filter((d) => !d.disabled).length }}
          canUpload={can(me, 'media.write')}
          onClose={() => setEditing(null)}
          onSaved={(s) => {
            setEditing(null);
            setSaved(s);
            reload();
          }}
        />
      ) : null}
      {saved ? <Saved programme={saved.programme} conflicts={saved.conflicts} /> : null}
      <section class="panel" aria-labelledby="cal-h">
        <div class="cal-bar">
          <fieldset class="chips">
            <legend>{tr('Xem theo', 'Show')}</legend>
            <label>
              <input type="radio" name="cal-view" checked={view === 'week'} onChange={() => go('week', anchor)} />
              {tr('Tuần', 'Week')}
            </label>
            <label>
              <input type="radio" name="cal-view" checked={view === 'month'} onChange={() => go('month', anchor)} />
              {tr('Tháng', 'Month')}
            </label>
          </fieldset>
          <div class="actions">
            <button type="button" class="secondary" onClick={() => step(-1)}>
              ‹ {view === 'week' ? tr('Tuần trước', 'Previous week') : tr('Tháng trước', 'Previous month')}
            </button>
            <button type="button" class="secondary" onClick={() => go(view, today())}>
              {tr('Hôm nay', 'Today')}
            </button>
            <button type="button" class="secondary" onClick={() => step(1)}>
              {view === 'week' ? tr('Tuần sau', 'Next week') : tr('Tháng sau', 'Next month')} ›
            </button>
          </div>
        </div>
        <h2 id="cal-h" aria-live="polite">
          {title}
        </h2>
        <ErrorBox error={agenda.error} />
        {!agenda.data ? <Loading /> : null}
        {view === 'week' ? (
          <WeekView days={days} byDay={byDay} clashes={clashes} onPick={pick} />
        ) : (
          <MonthView days={days} byDay={byDay} clashes={clashes} onPick={pick} month={anchor.slice(0, 7)} onDay={(day) => go('week', day)} />
        )}
      </section>
      <ProgrammeList items={programmes.data} error={programmes.error} zones={zones} devices={devices} writer={writer} onEdit={open} onChanged={reload} />
    </div>
  );
}

function Saved(props: { programme: Programme; conflicts: Conflict[] }) {
  return (
    <section class="panel" aria-label={tr('Đã lưu', 'Saved')}>
      <Notice tone="ok">{tr(`Đã lưu «${props.programme.title}»: ${recurrenceText(props.programme.recurrence)}.`, `Saved «${props.programme.title}»: ${recurrenceText(props.programme.recurrence)}.`)}</Notice>
      {props.conflicts.length ? <ConflictList conflicts={props.conflicts} /> : null}
    </section>
  );
}

function whereText(p: Programme, zones: Zone[]): string {
  const t = p.targets;
  if ('all' in t) return tr('Tất cả các thôn', 'Every village');
  const names = (t.zones ?? []).map((z) => zoneName(zones, z));
  if (t.devices?.length) names.push(tr(`${t.devices.length} loa`, `${t.devices.length} speakers`));
  return names.join(', ');
}

interface ListProps {
  items: Programme[] | undefined;
  error: unknown;
  zones: Zone[];
  devices: Device[];
  writer: boolean;
  onEdit: (p: Programme) => void;
  onChanged: () => void;
}

function ProgrammeList(props: ListProps) {
  const [error, setError] = useState<unknown>(null);
  const act = (action: Promise<unknown>) => {
    setError(null);
    action.then(props.onChanged, setError);
  };
  return (
    <section class="panel" aria-labelledby="programmes-h">
      <h2 id="programmes-h">{tr('Các chương trình', 'All programmes')}</h2>
      <ErrorBox error={props.error ?? error} />
      {!props.items ? <Loading /> : null}
      {props.items?.length === 0 ? <p class="muted">{tr('Chưa có chương trình nào.', 'No programmes yet.')}</p> : null}
      <ul class="rows programme-list">
        {props.items?.map((p) => (
          <li key={p.id} data-programme={p.id}>
            <strong>{p.title}</strong>
            {p.priority === 2 ? <Badge tone="warn">{priorityLabel(2)}</Badge> : null}
            {p.paused ? <Badge tone="idle">{tr('Tạm dừng', 'Paused')}</Badge> : null}
            <span>{recurrenceText(p.recurrence)}</span>
            <small class="muted">
              {whereText(p, props.zones)} · {speakersOf(p.targets, props.devices).size} {tr('loa', 'speakers')} · {p.createdBy}
            </small>
            {props.writer ? (
              <span class="row-actions">
                <button type="button" class="secondary" onClick={() => props.onEdit(p)}>
                  {tr('Sửa', 'Edit')}
                </button>
                <button type="button" class="secondary" onClick={() => act(setPaused(p.id, !p.paused))}>
                  {p.paused ? tr('Tiếp tục', 'Resume') : tr('Tạm dừng', 'Pause')}
                </button>
                <ConfirmButton label={tr('Xoá', 'Delete')} confirmLabel={tr('Xoá thật?', 'Really delete?')} onConfirm={() => act(removeProgramme(p.id))} />
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
