/**
 * CAP 1.2 geometry text. A polygon is "lat,lon lat,lon …" (WGS 84), at least four pairs, the first
 * repeated last; a circle is "lat,lon radius" with the radius in kilometres.
 */
import { openRing, type Area, type LatLon } from '../area.js';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

export type Parsed<T> = { ok: true; value: T } | { ok: false; vi: string; en: string };

function pair(token: string): LatLon | undefined {
  const parts = token.split(',');
  if (parts.length !== 2 || !parts.every((p) => NUMBER.test(p))) return undefined;
  return [Number(parts[0]), Number(parts[1])];
}

/** The polygon's points without the closing repeat (see openRing); geometry is checked by validateArea. */
export function parseCapPolygon(text: string): Parsed<LatLon[]> {
  const tokens = text.trim().split(/\s+/);
  const points: LatLon[] = [];
  for (const token of tokens) {
    const p = pair(token);
    if (!p) return { ok: false, vi: `cặp tọa độ "${token}" không đúng dạng "vĩ độ,kinh độ"`, en: `coordinate pair "${token}" is not "lat,lon"` };
    points.push(p);
  }
  if (points.length < 4) {
    return { ok: false, vi: 'đa giác CAP cần ít nhất 4 cặp tọa độ', en: 'a CAP polygon needs at least 4 coordinate pairs' };
  }
  const [first, last] = [points[0]!, points[points.length - 1]!];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    return { ok: false, vi: 'điểm cuối của đa giác phải trùng điểm đầu', en: 'the last point of the polygon must repeat the first' };
  }
  return { ok: true, value: openRing(points) };
}

export function parseCapCircle(text: string): Parsed<{ lat: number; lon: number; radiusM: number }> {
  const [centre = '', radius = '', ...rest] = text.trim().split(/\s+/);
  const c = pair(centre);
  if (!c || rest.length > 0 || !NUMBER.test(radius)) {
    return { ok: false, vi: `hình tròn "${text}" không đúng dạng "vĩ độ,kinh độ bán_kính_km"`, en: `circle "${text}" is not "lat,lon radiusKm"` };
  }
  return { ok: true, value: { lat: c[0], lon: c[1], radiusM: Number(radius) * 1000 } };
}

/** Plain decimal text (never exponent notation) that parses back to the same double. */
function num(n: number): string {
  const s = String(n);
  return s.includes('e') ? n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '') : s;
}

export function formatCapPolygon(points: LatLon[]): string {
  const ring = openRing(points);
  return [...ring, ring[0]!].map(([lat, lon]) => `${num(lat)},${num(lon)}`).join(' ');
}

export function formatCapCircle(circle: { lat: number; lon: number; radiusM: number }): string {
  return `${num(circle.lat)},${num(circle.lon)} ${num(circle.radiusM / 1000)}`;
}

export function areaToCapShape(area: Area): { polygon: string } | { circle: string } {
  return 'polygon' in area ? { polygon: formatCapPolygon(area.polygon) } : { circle: formatCapCircle(area.circle) };
}
