/** The programme form's state in plain words, and its translation to and from the API's programme. */
import type { ZoneChoice } from '../components/zone-picker.js';
import { today } from './calendar.js';
import type { Programme, ProgrammeBody, ProgrammeItem, Recurrence } from './programmes.js';
import type { Media, Targets } from './types.js';

export type RepeatKind = 'daily' | 'weekly' | 'monthly' | 'once';

export interface ProgrammeDraft {
  title: string;
  media: Media | null;
  kind: RepeatKind | 'cron';
  weekdays: number[];
  /** Days of the month as typed: "1, 15". */
  monthDays: string;
  times: string[];
  onceDate: string;
  onceTime: string;
  /** Only for a programme made through the API with a cron expression: kept as it is. */
  cron: string;
  startDate: string;
  endDate: string;
  choice: ZoneChoice;
  /** Speakers named one by one (through the API): kept beside the villages. */
  devices: string[];
  priority: 1 | 2;
  /** Items the form cannot edit (several, or a stream): kept as they are. */
  keptItems: ProgrammeItem[] | null;
}

export function newDraft(): ProgrammeDraft {
  return { title: '', media: null, kind: 'weekly', weekdays: [], monthDays: '', times: ['06:00'], onceDate: today(), onceTime: '06:00', cron: '', startDate: today(), endDate: '', choice: { all: false, zones: [] }, devices: [], priority: 1, keptItems: null };
}

export function parseMonthDays(text: string): number[] | null {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const days = parts.map(Number);
  if (!days.length || days.some((d) => !Number.isInteger(d) || d < 1 || d > 31)) return null;
  return [...new Set(days)].sort((a, b) => a - b);
}

function recurrenceOf(d: ProgrammeDraft): Recurrence | null {
  const times = [...new Set(d.times.filter(Boolean))].sort();
  if (d.kind === 'once') return d.onceDate && d.onceTime ? { kind: 'once', at: `${d.onceDate}T${d.onceTime}` } : null;
  if (d.kind === 'cron') return { kind: 'cron', expr: d.cron };
  if (!times.length) return null;
  if (d.kind === 'daily') return { kind: 'daily', times };
  if (d.kind === 'weekly') return d.weekdays.length ? { kind: 'weekly', weekdays: [...d.weekdays].sort((a, b) => a - b), times } : null;
  const days = parseMonthDays(d.monthDays);
  return days ? { kind: 'monthly', days, times } : null;
}

function targetsOf(d: ProgrammeDraft): Targets | null {
  if (d.choice.all) return { all: true };
  if (!d.choice.zones.length && !d.devices.length) return null;
  return { ...(d.choice.zones.length ? { zones: d.choice.zones } : {}), ...(d.devices.length ? { devices: d.devices } : {}) };
}

/** The body to send, or null while something needed is missing. */
export function toBody(d: ProgrammeDraft): ProgrammeBody | null {
  const items: ProgrammeItem[] | null = d.media ? [{ kind: 'media', mediaId: d.media.id, durationMs: d.media.durationMs }] : d.keptItems;
  const recurrence = recurrenceOf(d);
  const targets = targetsOf(d);
  const title = d.title.trim() || d.media?.title || '';
  if (!items || !recurrence || !targets || !title) return null;
  const once = recurrence.kind === 'once';
  return { title, items, targets, priority: d.priority, recurrence, ...(d.startDate && !once ? { startDate: d.startDate } : {}), ...(d.endDate && !once ? { endDate: d.endDate } : {}) };
}

export function fromProgramme(p: Programme, media: Media | null): ProgrammeDraft {
  const r = p.recurrence;
  const single = p.items.length === 1 && p.items[0]!.kind === 'media';
  const t = p.targets;
  return {
    ...newDraft(),
    title: p.title,
    media: single ? media : null,
    keptItems: single && media ? null : p.items,
    kind: r.kind,
    weekdays: r.kind === 'weekly' ? r.weekdays : [],
    monthDays: r.kind === 'monthly' ? r.days.join(', ') : '',
    times: 'times' in r ? r.times : ['06:00'],
    onceDate: r.kind === 'once' ? r.at.slice(0, 10) : today(),
    onceTime: r.kind === 'once' ? r.at.slice(11) : '06:00',
    cron: r.kind === 'cron' ? r.expr : '',
    startDate: p.startDate ?? '',
    endDate: p.endDate ?? '',
    choice: 'all' in t ? { all: true, zones: [] } : { all: false, zones: t.zones ?? [] },
    devices: 'all' in t ? [] : (t.devices ?? []),
    priority: p.priority,
  };
}
