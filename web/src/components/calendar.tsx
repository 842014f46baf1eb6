/** The programme calendar: a week of days with every occurrence, or a month grid with counts. */
import { dayLabel, isoWeekday, today, weekdayName, type Day } from '../lib/calendar.js';
import { tr } from '../lib/i18n.js';
import { priorityLabel } from '../lib/labels.js';
import type { Occurrence } from '../lib/programmes.js';
import { Badge } from './ui.js';

export interface CalendarProps {
  days: Day[];
  byDay: Map<Day, Occurrence[]>;
  clashes: Set<string>;
  /** Opens the programme (for those who may edit it). */
  onPick?: (programmeId: string) => void;
}

function OccurrenceLine(props: { o: Occurrence; clash: boolean; onPick?: (id: string) => void }) {
  const { o } = props;
  const title = props.onPick ? (
    <button type="button" class="link-button" onClick={() => props.onPick!(o.programmeId)}>
      {o.title}
    </button>
  ) : (
    <span>{o.title}</span>
  );
  return (
    <li class="occ" data-programme={o.programmeId} data-local={o.local} data-clash={String(props.clash)}>
      <time dateTime={o.local}>{o.local.slice(11)}</time> {title}
      {o.priority === 2 ? <Badge tone="warn">{priorityLabel(2)}</Badge> : null}
      {props.clash ? <Badge tone="bad">⚠ {tr('Trùng giờ', 'Overlap')}</Badge> : null}
    </li>
  );
}

export function WeekView(props: CalendarProps) {
  const now = today();
  return (
    <div class="cal-week">
      {props.days.map((day) => {
        const items = props.byDay.get(day) ?? [];
        return (
          <section key={day} class={`cal-day${day === now ? ' today' : ''}`} data-day={day} aria-label={dayLabel(day)}>
            <h3>
              {dayLabel(day)}
              {day === now ? <small> · {tr('hôm nay', 'today')}</small> : null}
            </h3>
            {items.length ? (
              <ul>
                {items.map((o) => (
                  <OccurrenceLine key={o.key} o={o} clash={props.clashes.has(o.key)} onPick={props.onPick} />
                ))}
              </ul>
            ) : (
              <p class="muted small">{tr('Không phát', 'Nothing')}</p>
            )}
          </section>
        );
      })}
    </div>
  );
}

const SHOWN_PER_DAY = 3;

export function MonthView(props: CalendarProps & { month: string; onDay: (day: Day) => void }) {
  const weeks = Array.from({ length: props.days.length / 7 }, (_, i) => props.days.slice(i * 7, i * 7 + 7));
  const now = today();
  return (
    <table class="cal-month">
      <thead>
        <tr>
          {weeks[0]!.map((d) => (
            <th key={d} scope="col" abbr={weekdayName(isoWeekday(d))}>
              {weekdayName(isoWeekday(d), 'short')}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week) => (
          <tr key={week[0]}>
            {week.map((day) => (
              <MonthCell key={day} day={day} items={props.byDay.get(day) ?? []} clashes={props.clashes} outside={!day.startsWith(props.month)} today={day === now} onDay={props.onDay} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MonthCell(props: { day: Day; items: Occurrence[]; clashes: Set<string>; outside: boolean; today: boolean; onDay: (day: Day) => void }) {
  const clash = props.items.some((o) => props.clashes.has(o.key));
  const n = props.items.length;
  const label = `${dayLabel(props.day)}: ${tr(`${n} lần phát`, `${n} broadcasts`)}${clash ? `, ${tr('có trùng giờ', 'with an overlap')}` : ''}`;
  return (
    <td class={`${props.outside ? 'outside' : ''}${props.today ? ' today' : ''}`} data-day={props.day} data-count={n}>
      <button type="button" class="day-button" aria-label={label} onClick={() => props.onDay(props.day)}>
        <span class="day-number">{Number(props.day.slice(8))}</span>
        {n ? <span class="day-count">{n}</span> : null}
        {clash ? <span class="day-clash" aria-hidden="true">⚠</span> : null}
      </button>
      <ul class="day-titles" aria-hidden="true">
        {props.items.slice(0, SHOWN_PER_DAY).map((o) => (
          <li key={o.key}>
            {o.local.slice(11)} {o.title}
          </li>
        ))}
        {n > SHOWN_PER_DAY ? <li>+{n - SHOWN_PER_DAY}</li> : null}
      </ul>
    </td>
  );
}
