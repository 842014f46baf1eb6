/**
 * Airtime: what played, where, when, for how long and with what result — per speaker, village and
 * month, from the broadcasts' delivery records. This is the report communes file every month.
 */
import type { Actor } from '../auth/permissions.js';
import { inScope } from '../auth/permissions.js';
import type { Broadcast, Delivery } from '../store/records.js';
import type { Store } from '../store/store.js';

export interface AirtimeRow {
  broadcastId: string;
  title: string;
  priority: number;
  deviceId: string;
  deviceName: string;
  zone: string;
  startedAt: number | null;
  playedMs: number;
  result: string;
}

export interface AirtimeSummary {
  key: string;
  name: string;
  broadcasts: number;
  played: number;
  failed: number;
  playedMs: number;
}

/** [from, to) of a month 'YYYY-MM' in Vietnam time (UTC+7 all year). */
export function monthRange(month: string): { from: number; to: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const offset = 7 * 3_600_000;
  return { from: Date.UTC(y, m - 1, 1) - offset, to: Date.UTC(y, m, 1) - offset };
}

function playedMs(b: Broadcast, d: Delivery): number {
  if (d.state !== 'done' && d.state !== 'interrupted') return 0;
  const start = d.at.playing;
  const end = d.at[d.state];
  if (start === undefined || end === undefined) return 0;
  const full = 'durationMs' in b.template.media ? b.template.media.durationMs * b.repeat : end - start;
  return d.state === 'done' ? full : Math.min(full, end - start);
}

export async function airtimeRows(store: Store, actor: Actor, from: number, to: number): Promise<AirtimeRow[]> {
  const rows: AirtimeRow[] = [];
  const broadcasts = store.broadcasts.all().filter((b) => inScope(actor, b.commune) && b.createdAt >= from && b.createdAt < to);
  for (const b of broadcasts.sort((x, y) => x.createdAt - y.createdAt)) {
    for (const d of await store.deliveries.read(b.id)) {
      const device = store.devices.get(d.deviceId);
      const zone = device?.zoneId ? store.zones.get(device.zoneId) : undefined;
      rows.push({
        broadcastId: b.id,
        title: b.title,
        priority: b.priority,
        deviceId: d.deviceId,
        deviceName: device?.name ?? d.deviceId,
        zone: zone?.name ?? '',
        startedAt: d.at.playing ?? null,
        playedMs: playedMs(b, d),
        result: d.state === 'pending' ? 'no_answer' : d.state,
      });
    }
  }
  return rows;
}

export function summarizeBy(rows: AirtimeRow[], key: (r: AirtimeRow) => [string, string]): AirtimeSummary[] {
  const out = new Map<string, AirtimeSummary & { ids: Set<string> }>();
  for (const r of rows) {
    const [k, name] = key(r);
    const s = out.get(k) ?? { key: k, name, broadcasts: 0, played: 0, failed: 0, playedMs: 0, ids: new Set<string>() };
    s.ids.add(r.broadcastId);
    s.broadcasts = s.ids.size;
    if (r.playedMs > 0) s.played++;
    if (['failed', 'rejected', 'expired', 'no_answer'].includes(r.result)) s.failed++;
    s.playedMs += r.playedMs;
    out.set(k, s);
  }
  return [...out.values()].map(({ ids: _i, ...s }) => s).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}

const RESULT_VI: Record<string, string> = {
  done: 'Đã phát xong',
  interrupted: 'Bị ngắt',
  failed: 'Lỗi',
  rejected: 'Từ chối',
  expired: 'Quá hạn',
  no_answer: 'Không phản hồi',
  playing: 'Đang phát',
  received: 'Đã nhận',
  downloading: 'Đang tải',
  ready: 'Sẵn sàng',
};

/** CSV in UTF-8 with a BOM, so spreadsheet programs show Vietnamese correctly. */
export function airtimeCsv(rows: AirtimeRow[]): string {
  const header = ['Bản tin / Broadcast', 'Mức / Priority', 'Thôn / Village', 'Loa / Speaker', 'Mã loa / Speaker id', 'Bắt đầu / Started (UTC+7)', 'Thời lượng (giây) / Played (s)', 'Kết quả / Result'];
  const local = (ms: number | null) => (ms === null ? '' : new Date(ms + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '));
  const lines = rows.map((r) => [r.title, String(r.priority), r.zone, r.deviceName, r.deviceId, local(r.startedAt), (r.playedMs / 1000).toFixed(1), `${RESULT_VI[r.result] ?? r.result} / ${r.result}`]);
  return '\uFEFF' + [header, ...lines].map((cols) => cols.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  // A leading = + - @ would be taken as a formula by spreadsheet programs.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
