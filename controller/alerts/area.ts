/**
 * Alert areas: a polygon or a circle on WGS 84, and which speakers lie inside.
 *
 * - A point ON a polygon's boundary (an edge or a vertex) counts as inside: a speaker on the line a
 *   province drew is warned rather than left out. "On" means within BOUNDARY_TOLERANCE_DEG (about
 *   0.1 mm), so that a point computed on an edge is not lost to floating-point rounding.
 * - Polygons are treated as planar in (lon, lat): exact enough at a commune's or a province's scale.
 *   Polygons spanning more than 180° of longitude (crossing the antimeridian) are refused.
 * - A circle contains the points whose great-circle (haversine) distance to its centre is ≤ its
 *   radius; a circle of radius 0 contains only its centre.
 * - A polygon may repeat its first point last (as CAP does) or not; consecutive repeated points are ignored.
 */
import pointInPolygon from 'point-in-polygon-hao';
import { orient2d } from 'robust-predicates';
import { Type, type Static } from 'typebox';
import { defineErrors } from '../errors.js';

// Self-crossing checks cost O(n log n) for usual shapes but O(n²) at worst (a comb: ~160 ms at 2,000 points).
export const MAX_POLYGON_POINTS = 4000;
export const EARTH_RADIUS_M = 6_371_008.8; // IUGG mean Earth radius
export const BOUNDARY_TOLERANCE_DEG = 1e-9;

const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
export const PolygonAreaSchema = Type.Object(
  { polygon: Type.Array(Type.Tuple([Lat, Lon]), { minItems: 3, maxItems: MAX_POLYGON_POINTS + 1 }) },
  { additionalProperties: false },
);
export const CircleAreaSchema = Type.Object(
  {
    circle: Type.Object(
      { lat: Lat, lon: Lon, radiusM: Type.Number({ minimum: 0 }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export const AreaSchema = Type.Union([PolygonAreaSchema, CircleAreaSchema]);
export type Area = Static<typeof AreaSchema>;
export type LatLon = [lat: number, lon: number];

export interface Reason {
  vi: string;
  en: string;
}

export const areaErrors = defineErrors({
  LOA_AREA_INVALID: {
    status: 422,
    vi: 'Vùng cảnh báo không hợp lệ: {reasonVi}',
    en: 'Invalid alert area: {reasonEn}',
  },
});

const reason = (vi: string, en: string): Reason => ({ vi, en });

/** Why the area is refused, in Vietnamese and English; null when it is valid. */
export function areaProblem(area: Area): Reason | null {
  if ('polygon' in area) return polygonProblem(area.polygon);
  return circleProblem(area.circle);
}

/** "lý do / reason" when the area is refused, null when it is valid. */
export function validateArea(area: Area): string | null {
  const problem = areaProblem(area);
  return problem ? `${problem.vi} / ${problem.en}` : null;
}

function pointProblem(lat: unknown, lon: unknown): Reason | null {
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon)) {
    return reason('Tọa độ không phải là số hữu hạn', 'coordinates are not finite numbers');
  }
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
    return reason(`Tọa độ (${lat}, ${lon}) nằm ngoài phạm vi`, `coordinates (${lat}, ${lon}) are out of range`);
  }
  return null;
}

function circleProblem(circle: { lat: number; lon: number; radiusM: number }): Reason | null {
  const bad = pointProblem(circle.lat, circle.lon);
  if (bad) return bad;
  if (typeof circle.radiusM !== 'number' || !Number.isFinite(circle.radiusM)) {
    return reason('Bán kính không phải là số hữu hạn', 'radius is not a finite number');
  }
  if (circle.radiusM < 0) return reason('Bán kính âm', 'negative radius');
  return null;
}

function polygonProblem(points: LatLon[]): Reason | null {
  if (!Array.isArray(points)) return reason('Đa giác không có danh sách điểm', 'polygon has no point list');
  if (points.length > MAX_POLYGON_POINTS + 1) {
    return reason(`Đa giác có quá ${MAX_POLYGON_POINTS} điểm`, `polygon has more than ${MAX_POLYGON_POINTS} points`);
  }
  for (const p of points) {
    const bad = Array.isArray(p) ? pointProblem(p[0], p[1]) : reason('Điểm không hợp lệ', 'invalid point');
    if (bad) return bad;
  }
  const ring = openRing(points);
  if (new Set(ring.map((p) => `${p[0]},${p[1]}`)).size < 3) {
    return reason('Đa giác có ít hơn 3 điểm khác nhau', 'polygon has fewer than 3 distinct points');
  }
  const [west, east] = extent(ring.map((p) => p[1]));
  if (east - west > 180) {
    return reason('Đa giác vắt qua kinh tuyến 180° (không hỗ trợ)', 'polygon crosses the antimeridian (not supported)');
  }
  if (selfIntersects(ring)) {
    return reason('Các cạnh của đa giác cắt hoặc chồng lên nhau', 'polygon edges cross or overlap each other (self-intersecting)');
  }
  return null;
}

function extent(values: number[]): [min: number, max: number] {
  return values.reduce<[number, number]>(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
}

/** The ring without consecutive repeats and without the closing repeat of the first point. */
export function openRing(points: LatLon[]): LatLon[] {
  const ring: LatLon[] = [];
  for (const p of points) {
    const last = ring[ring.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) ring.push([p[0], p[1]]);
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (ring.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) ring.pop();
  return ring;
}

// Exact orientation (robust-predicates) in the plane x = lon, y = lat: -1, 0 or 1.
function orient(a: LatLon, b: LatLon, c: LatLon): number {
  return Math.sign(orient2d(a[1], a[0], b[1], b[0], c[1], c[0]));
}

// For c collinear with a–b: is c within the segment's bounding box, hence on it?
function withinBox(a: LatLon, b: LatLon, c: LatLon): boolean {
  return (
    Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1])
  );
}

function boxesApart(p1: LatLon, p2: LatLon, q1: LatLon, q2: LatLon): boolean {
  return (
    Math.max(p1[0], p2[0]) < Math.min(q1[0], q2[0]) || Math.max(q1[0], q2[0]) < Math.min(p1[0], p2[0]) ||
    Math.max(p1[1], p2[1]) < Math.min(q1[1], q2[1]) || Math.max(q1[1], q2[1]) < Math.min(p1[1], p2[1])
  );
}

function segmentsTouch(p1: LatLon, p2: LatLon, q1: LatLon, q2: LatLon): boolean {
  if (boxesApart(p1, p2, q1, q2)) return false;
  const o1 = orient(p1, p2, q1);
  const o2 = orient(p1, p2, q2);
  const o3 = orient(q1, q2, p1);
  const o4 = orient(q1, q2, p2);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && withinBox(p1, p2, q1)) ||
    (o2 === 0 && withinBox(p1, p2, q2)) ||
    (o3 === 0 && withinBox(q1, q2, p1)) ||
    (o4 === 0 && withinBox(q1, q2, p2))
  );
}

// Two consecutive edges a→b→c fold back over each other when c is collinear and on a's side of b.
function foldsBack(a: LatLon, b: LatLon, c: LatLon): boolean {
  if (orient(a, b, c) !== 0) return false;
  return (c[0] - b[0]) * (a[0] - b[0]) > 0 || (c[1] - b[1]) * (a[1] - b[1]) > 0;
}

function selfIntersects(ring: LatLon[]): boolean {
  const n = ring.length;
  const at = (i: number) => ring[((i % n) + n) % n]!;
  for (let i = 0; i < n; i++) {
    if (foldsBack(at(i - 1), at(i), at(i + 1))) return true;
  }
  // Sweep and prune: edges sorted by their southern end; only edges whose latitude spans overlap are compared.
  const edges = ring.map((_, i) => ({ i, south: Math.min(at(i)[0], at(i + 1)[0]), north: Math.max(at(i)[0], at(i + 1)[0]) }));
  edges.sort((a, b) => a.south - b.south);
  for (let k = 0; k < n; k++) {
    const e = edges[k]!;
    for (let m = k + 1; m < n && edges[m]!.south <= e.north; m++) {
      const [i, j] = [Math.min(e.i, edges[m]!.i), Math.max(e.i, edges[m]!.i)];
      if (j - i === 1 || (i === 0 && j === n - 1)) continue; // neighbours share a vertex (checked by foldsBack)
      if (segmentsTouch(at(i), at(i + 1), at(j), at(j + 1))) return true;
    }
  }
  return false;
}

function nearSegment(a: LatLon, b: LatLon, p: LatLon): boolean {
  const dx = b[1] - a[1];
  const dy = b[0] - a[0];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[1] - a[1]) * dx + (p[0] - a[0]) * dy) / len2));
  const ex = a[1] + t * dx - p[1];
  const ey = a[0] + t * dy - p[0];
  return Math.hypot(ex, ey) <= BOUNDARY_TOLERANCE_DEG;
}

/** A containment test for one polygon, prepared once for many points. */
function polygonTest(points: LatLon[]): (p: LatLon) => boolean {
  const ring = openRing(points);
  const edges = ring.map((a, i) => [a, ring[(i + 1) % ring.length]!] as const);
  const closed = [...ring, ring[0]!].map(([lat, lon]) => [lon, lat]);
  const [south, north] = extent(ring.map((p) => p[0]));
  const [west, east] = extent(ring.map((p) => p[1]));
  const t = BOUNDARY_TOLERANCE_DEG;
  return (p) => {
    if (p[0] < south - t || p[0] > north + t || p[1] < west - t || p[1] > east + t) return false;
    if (edges.some(([a, b]) => nearSegment(a, b, p))) return true;
    return pointInPolygon([p[1], p[0]], [closed]) !== false; // 0 means on an edge: inside
  };
}

function containmentTest(area: Area): (point: { lat: number; lon: number }) => boolean {
  const finite = (p: { lat: number; lon: number }) => Number.isFinite(p.lat) && Number.isFinite(p.lon);
  if ('circle' in area) return (p) => finite(p) && distanceM(area.circle, p) <= area.circle.radiusM;
  const inPolygon = polygonTest(area.polygon);
  return (p) => finite(p) && inPolygon([p.lat, p.lon]);
}

const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whether the point lies in the area (boundary included). Assumes a valid area (see validateArea). */
export function areaContains(area: Area, point: { lat: number; lon: number }): boolean {
  return containmentTest(area)(point);
}

export interface Located {
  id: string;
  lat?: number | null;
  lon?: number | null;
}

function hasPosition(d: Located): d is Located & { lat: number; lon: number } {
  return typeof d.lat === 'number' && typeof d.lon === 'number' && Number.isFinite(d.lat) && Number.isFinite(d.lon);
}

/** Ids of the devices inside the area; devices without coordinates are never selected. Throws on an invalid area. */
export function selectInArea(area: Area, devices: Located[]): string[] {
  const problem = areaProblem(area);
  if (problem) throw areaErrors.LOA_AREA_INVALID({ reasonVi: problem.vi, reasonEn: problem.en });
  const contains = containmentTest(area);
  return devices.filter((d) => hasPosition(d) && contains(d)).map((d) => d.id);
}

/** Ids of the devices inside any of the areas, in the devices' order, each once. */
export function selectInAreas(areas: Area[], devices: Located[]): string[] {
  const chosen = new Set(areas.flatMap((area) => selectInArea(area, devices)));
  return devices.filter((d) => chosen.has(d.id)).map((d) => d.id);
}
