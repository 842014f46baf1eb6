/**
 * Reads the installer's spreadsheet (CSV: id,name,village,latitude,longitude,model) into devices to
 * register, or into every bad row with its line number and the reason in Vietnamese and English.
 * Pure: what exists (villages, registered ids) is passed in.
 */
import { parse, type Info } from 'csv-parse/sync';
import { DEVICE_ID_PATTERN } from '../../protocol/index.js';
import type { Zone } from '../store/records.js';

export const COLUMNS = ['id', 'name', 'village', 'latitude', 'longitude', 'model'] as const;
type Column = (typeof COLUMNS)[number];
const ALIASES: Record<string, Column> = { lat: 'latitude', lon: 'longitude', lng: 'longitude', zone: 'village', thon: 'village' };
const DEVICE_ID = new RegExp(DEVICE_ID_PATTERN);
const NUMBER = /^-?\d{1,3}(?:[.,]\d+)?$/;

export interface ImportRow {
  line: number;
  id: string;
  name: string;
  zoneId: string;
  village: string;
  lat: number | null;
  lon: number | null;
  model: string | null;
}

export type RowErrorCode =
  | 'csv_syntax'
  | 'missing_header'
  | 'missing_column'
  | 'extra_column'
  | 'bad_id'
  | 'duplicate_in_file'
  | 'already_registered'
  | 'unknown_village'
  | 'ambiguous_village'
  | 'bad_coordinates'
  | 'bad_name'
  | 'bad_model';

export interface RowError {
  line: number;
  id: string | null;
  code: RowErrorCode;
  message: string;
  messageVi: string;
  messageEn: string;
}

const REASONS: Record<RowErrorCode, { vi: string; en: string }> = {
  csv_syntax: { vi: 'Lỗi cú pháp CSV: {value}', en: 'CSV syntax error: {value}' },
  missing_header: { vi: 'Dòng tiêu đề thiếu cột "{value}"', en: 'The header lacks column "{value}"' },
  missing_column: { vi: 'Dòng chỉ có {value} cột, cần {want}', en: 'The row has only {value} columns, {want} expected' },
  extra_column: { vi: 'Dòng có {value} cột, nhiều hơn {want}', en: 'The row has {value} columns, more than {want}' },
  bad_id: { vi: 'Mã loa "{value}" không hợp lệ (chữ thường không dấu, số, "-", "_"; tối đa 64 ký tự)', en: 'Speaker id "{value}" is not valid (lower-case a-z, digits, "-", "_"; at most 64 characters)' },
  duplicate_in_file: { vi: 'Mã loa "{value}" trùng với dòng {want}', en: 'Speaker id "{value}" repeats line {want}' },
  already_registered: { vi: 'Loa "{value}" đã được đăng ký', en: 'Speaker "{value}" is already registered' },
  unknown_village: { vi: 'Không có thôn "{value}" (ghi mã hoặc tên thôn trong xã của bạn)', en: 'No village "{value}" (give a zone id or name within your area)' },
  ambiguous_village: { vi: 'Có nhiều thôn tên "{value}"; hãy ghi mã thôn', en: 'Several villages are named "{value}"; give the zone id' },
  bad_coordinates: { vi: 'Toạ độ "{value}" không hợp lệ (vĩ độ -90..90, kinh độ -180..180, ghi cả hai hoặc bỏ trống cả hai)', en: 'Coordinates "{value}" are not valid (latitude -90..90, longitude -180..180, both or neither)' },
  bad_name: { vi: 'Tên loa dài quá 128 ký tự', en: 'The speaker name is longer than 128 characters' },
  bad_model: { vi: 'Loại loa dài quá 64 ký tự', en: 'The model is longer than 64 characters' },
};

function rowError(line: number, id: string | null, code: RowErrorCode, value: string, want = ''): RowError {
  const fill = (t: string) => t.replace('{value}', value).replace('{want}', want);
  const vi = fill(REASONS[code].vi);
  const en = fill(REASONS[code].en);
  return { line, id, code, message: `Dòng ${line}: ${vi} / Line ${line}: ${en}`, messageVi: vi, messageEn: en };
}

/** Village names compare in Unicode NFC (spreadsheets may save decomposed Vietnamese), ignoring case and spacing. */
export function nameKey(s: string): string {
  return s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi');
}

export type VillageMatch = { zoneId: string } | 'unknown' | 'ambiguous';

/** Resolves a village cell: a zone id first, else a zone name, among the zones the account may use. */
export function villageResolver(zones: Zone[]): (value: string) => VillageMatch {
  const ids = new Set(zones.map((z) => z.id));
  const byName = new Map<string, string[]>();
  for (const z of zones) byName.set(nameKey(z.name), [...(byName.get(nameKey(z.name)) ?? []), z.id]);
  return (value) => {
    if (ids.has(value)) return { zoneId: value };
    const found = byName.get(nameKey(value)) ?? [];
    if (found.length === 1) return { zoneId: found[0]! };
    return found.length === 0 ? 'unknown' : 'ambiguous';
  };
}

export interface CsvContext {
  village(value: string): VillageMatch;
  registered(id: string): boolean;
}

interface Parsed {
  record: string[];
  line: number;
}

/** Parses with csv-parse, keeping each record's first line (a quoted cell may span lines). */
function records(text: string): Parsed[] {
  // With `info`, each record comes as { record, info } (the typings do not say so).
  const out = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as Array<{ record: string[]; info: Info }>;
  let lastEnd = 0;
  let lastEmpty = 0;
  return out.map(({ record, info }) => {
    const line = lastEnd + 1 + (info.empty_lines - lastEmpty);
    lastEnd = info.lines;
    lastEmpty = info.empty_lines;
    return { record, line };
  });
}

function headerMap(header: string[]): { index: Map<Column, number>; missing: Column[] } {
  const index = new Map<Column, number>();
  header.forEach((h, i) => {
    const key = h.normalize('NFC').trim().toLowerCase();
    const col = (COLUMNS as readonly string[]).includes(key) ? (key as Column) : ALIASES[key];
    if (col && !index.has(col)) index.set(col, i);
  });
  return { index, missing: COLUMNS.filter((c) => !index.has(c)) };
}

function coordinate(raw: string, limit: number): number | null | undefined {
  if (raw === '') return null;
  if (!NUMBER.test(raw)) return undefined;
  const n = Number(raw.replace(',', '.'));
  return Math.abs(n) <= limit ? n : undefined;
}

function readRow(p: Parsed, index: Map<Column, number>, width: number, ctx: CsvContext, seen: Map<string, number>): ImportRow | RowError[] {
  const { record, line } = p;
  const cell = (c: Column) => (record[index.get(c)!] ?? '').normalize('NFC');
  const id = cell('id');
  if (record.length < width) return [rowError(line, id || null, 'missing_column', String(record.length), String(width))];
  if (record.length > width) return [rowError(line, id || null, 'extra_column', String(record.length), String(width))];
  const errors: RowError[] = [];
  if (!DEVICE_ID.test(id)) errors.push(rowError(line, id || null, 'bad_id', id));
  else if (seen.has(id)) errors.push(rowError(line, id, 'duplicate_in_file', id, String(seen.get(id))));
  else if (ctx.registered(id)) errors.push(rowError(line, id, 'already_registered', id));
  if (DEVICE_ID.test(id) && !seen.has(id)) seen.set(id, line);
  const village = cell('village');
  const match = ctx.village(village);
  if (match === 'unknown' || match === 'ambiguous') errors.push(rowError(line, id || null, `${match}_village`, village));
  const lat = coordinate(cell('latitude'), 90);
  const lon = coordinate(cell('longitude'), 180);
  if (lat === undefined || lon === undefined || (lat === null) !== (lon === null)) errors.push(rowError(line, id || null, 'bad_coordinates', `${cell('latitude')}, ${cell('longitude')}`));
  const name = cell('name');
  if (name.length > 128) errors.push(rowError(line, id || null, 'bad_name', name.slice(0, 20)));
  const model = cell('model');
  if (model.length > 64) errors.push(rowError(line, id || null, 'bad_model', model.slice(0, 20)));
  if (errors.length > 0 || typeof match === 'string') return errors;
  return { line, id, name: name || id, zoneId: match.zoneId, village, lat: lat ?? null, lon: lon ?? null, model: model || null };
}

export function readDeviceCsv(text: string, ctx: CsvContext): { rows: ImportRow[]; errors: RowError[] } {
  let parsed: Parsed[];
  try {
    parsed = records(text);
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    return { rows: [], errors: [rowError(e.lines ?? 1, null, 'csv_syntax', e.message ?? String(err))] };
  }
  const [header, ...body] = parsed;
  if (!header) return { rows: [], errors: [rowError(1, null, 'missing_header', COLUMNS.join(','))] };
  const { index, missing } = headerMap(header.record);
  if (missing.length > 0) return { rows: [], errors: [rowError(header.line, null, 'missing_header', missing.join('", "'))] };
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  for (const p of body) {
    const r = readRow(p, index, header.record.length, ctx, seen);
    if (Array.isArray(r)) errors.push(...r);
    else rows.push(r);
  }
  return { rows, errors };
}
