/** Programmes (lịch phát) as the API keeps them (schedules/model.ts), and the words people read for them. */
import { api } from './api.js';
import { dayLabel, longDate, weekdayName } from './calendar.js';
import { tr } from './i18n.js';
import type { Device, Targets } from './types.js';

export type Recurrence =
  | { kind: 'once'; at: string }
  | { kind: 'daily'; times: string[] }
  | { kind: 'weekly'; weekdays: number[]; times: string[] }
  | { kind: 'monthly'; days: number[]; times: string[] }
  | { kind: 'cron'; expr: string };

export type ProgrammeItem = { kind: 'media'; mediaId: string; durationMs: number } | { kind: 'stream'; url: string; durationMs: number };

export interface ProgrammeBody {
  title: string;
  items: ProgrammeItem[];
  targets: Targets;
  priority: 1 | 2;
  recurrence: Recurrence;
  startDate?: string;
  endDate?: string;
  volume?: number;
  skipDates?: string[];
  paused?: boolean;
}

export interface Programme extends ProgrammeBody {
  id: string;
  paused: boolean;
  createdBy: string;
}

export interface Occurrence {
  programmeId: string;
  at: number;
  /** Wall clock in the programme's zone, 'YYYY-MM-DDTHH:mm'. */
  local: string;
  durationMs: number;
  key: string;
  title: string;
  priority: 1 | 2;
}

export interface Conflict {
  candidate: Occurrence;
  other: Occurrence;
  overlapFrom: number;
  overlapTo: number;
}

const base = '/api/v1/schedules';
const idPath = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const fetchAgenda = (from: number, to: number) => api.get<{ items: Occurrence[] }>(`${base}/agenda?from=${from}&to=${to}`).then((b) => b.items);
export const fetchProgrammes = () => api.get<{ items: Programme[] }>(base).then((b) => b.items);
export const checkProgramme = (body: ProgrammeBody, id?: string) => api.post<{ conflicts: Conflict[] }>(`${base}/check${id ? `?id=${encodeURIComponent(id)}` : ''}`, body).then((b) => b.conflicts);
export const setPaused = (id: string, paused: boolean) => api.post(`${idPath(id)}/${paused ? 'pause' : 'resume'}`);
export const removeProgramme = (id: string) => api.delete(idPath(id));

export function saveProgramme(body: ProgrammeBody, id?: string): Promise<{ programme: Programme; conflicts: Conflict[] }> {
  // An edit leaves out what it does not change: a date range emptied in the form is cleared with null.
  return id ? api.patch(idPath(id), { startDate: null, endDate: null, ...body }) : api.post(base, body);
}

const list = (xs: string[]) => xs.join(', ');

/** A weekday set in words: "Thứ Hai – Thứ Sáu" for a run, else each day named. */
function weekdaysText(days: number[]): string {
  const sorted = [...days].sort((a, b) => a - b);
  const run = sorted.length > 2 && sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  return run ? `${weekdayName(sorted[0]!)} – ${weekdayName(sorted.at(-1)!)}` : list(sorted.map((d) => weekdayName(d)));
}

export function recurrenceText(r: Recurrence): string {
  switch (r.kind) {
    case 'once':
      return tr(`Một lần: ${longDate(r.at.slice(0, 10))} lúc ${r.at.slice(11)}`, `Once: ${longDate(r.at.slice(0, 10))} at ${r.at.slice(11)}`);
    case 'daily':
      return tr(`Hằng ngày lúc ${list(r.times)}`, `Every day at ${list(r.times)}`);
    case 'weekly':
      return tr(`${weekdaysText(r.weekdays)} lúc ${list(r.times)}`, `${weekdaysText(r.weekdays)} at ${list(r.times)}`);
    case 'monthly':
      return tr(`Ngày ${list(r.days.map(String))} hằng tháng lúc ${list(r.times)}`, `Day ${list(r.days.map(String))} of each month at ${list(r.times)}`);
    case 'cron':
      return tr(`Theo biểu thức cron «${r.expr}»`, `By the cron expression «${r.expr}»`);
  }
}

/** "Trùng giờ với «Bản tin sáng»: 22 lần, lần đầu Thứ Hai 24/11 06:30" — one line per programme it collides with. */
export function conflictLines(conflicts: Conflict[]): Array<{ programmeId: string; text: string }> {
  const byOther = new Map<string, Conflict[]>();
  for (const c of conflicts) byOther.set(c.other.programmeId, [...(byOther.get(c.other.programmeId) ?? []), c]);
  return [...byOther.entries()].map(([programmeId, cs]) => {
    const first = cs[0]!.candidate.local;
    const when = `${dayLabel(first.slice(0, 10))} ${first.slice(11)}`;
    const title = cs[0]!.other.title;
    return { programmeId, text: tr(`Trùng giờ với «${title}» trên cùng loa: ${cs.length} lần, lần đầu ${when}`, `Overlaps «${title}» on the same speakers: ${cs.length} times, first on ${when}`) };
  });
}

/** The speakers a programme reaches, as the controller resolves targets (enabled speakers only). */
export function speakersOf(targets: Targets, devices: Device[]): Set<string> {
  const enabled = devices.filter((d) => !d.disabled);
  if ('all' in targets) return new Set(enabled.map((d) => d.id));
  const zones = new Set(targets.zones ?? []);
  const ids = new Set(targets.devices ?? []);
  return new Set(enabled.filter((d) => ids.has(d.id) || (d.zoneId !== null && zones.has(d.zoneId))).map((d) => d.id));
}

/** Keys of occurrences that play over another one on a shared speaker. */
export function clashingKeys(items: Occurrence[], speakers: Map<string, Set<string>>): Set<string> {
  const out = new Set<string>();
  const sorted = [...items].sort((a, b) => a.at - b.at);
  sorted.forEach((a, i) => {
    for (const b of sorted.slice(i + 1)) {
      if (b.at >= a.at + a.durationMs) break;
      if (a.programmeId === b.programmeId) continue;
      const sa = speakers.get(a.programmeId);
      const sb = speakers.get(b.programmeId);
      if (sa && sb && [...sa].some((id) => sb.has(id))) out.add(a.key).add(b.key);
    }
  });
  return out;
}
