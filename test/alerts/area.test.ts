import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  AreaSchema, areaContains, distanceM, selectInArea, selectInAreas, validateArea, type Area, type LatLon,
} from '../../controller/alerts/area.js';
import { SPEAKERS, refusal } from './fixtures.js';

const square: LatLon[] = [[16.0, 108.0], [16.0, 108.01], [16.01, 108.01], [16.01, 108.0]];
const poly = (polygon: LatLon[]): Area => ({ polygon });
const circle = (lat: number, lon: number, radiusM: number): Area => ({ circle: { lat, lon, radiusM } });
const at = (lat: number, lon: number) => ({ lat, lon });

describe('polygon containment (a point on the boundary counts as inside)', () => {
  const area = poly(square);

  it('contains its vertices and points on its edges', () => {
    for (const [lat, lon] of square) expect(areaContains(area, at(lat, lon))).toBe(true);
    expect(areaContains(area, at(16.0, 108.005))).toBe(true); // on the southern edge
    expect(areaContains(area, at(16.005, 108.01))).toBe(true); // on the eastern edge
    expect(areaContains(area, at(16.005, 108.005))).toBe(true); // the middle
  });

  it('leaves out points just outside (1e-6 degrees, about 11 cm)', () => {
    expect(areaContains(area, at(16.0 - 1e-6, 108.005))).toBe(false);
    expect(areaContains(area, at(16.005, 108.01 + 1e-6))).toBe(false);
    expect(areaContains(area, at(16.01 + 1e-6, 108.0))).toBe(false); // beyond a vertex
  });

  it('counts a point on a slanted edge as inside, and one just off it as outside', () => {
    const triangle = poly([[16.0, 108.0], [16.0, 108.02], [16.02, 108.02]]);
    expect(areaContains(triangle, at(16.01, 108.01))).toBe(true); // midpoint of the hypotenuse
    expect(areaContains(triangle, at(16.0101, 108.0099))).toBe(false); // 0.00014° beyond it
    expect(areaContains(triangle, at(16.005, 108.015))).toBe(true);
  });

  it('keeps a point typed on a slanted edge inside although floating point puts it a hair outside', () => {
    // 0.0009/0.03 = 0.0021/0.07 = 0.03 exactly, but in binary the point lands ~1e-17° off the edge
    const triangle = poly([[16.0, 108.0], [16.0, 108.07], [16.03, 108.07]]);
    expect(areaContains(triangle, at(16.0009, 108.0021))).toBe(true);
    expect(areaContains(triangle, at(16.0009 + 1e-6, 108.0021))).toBe(false);
  });

  it('gives the same answer whether or not the first point is repeated last', () => {
    const closed = poly([...square, square[0]!]);
    for (const p of [at(16.005, 108.005), at(16.0, 108.005), at(16.02, 108.005)]) {
      expect(areaContains(closed, p)).toBe(areaContains(area, p));
    }
  });
});

describe('validateArea', () => {
  it('accepts a simple polygon, a circle, and a circle of radius 0', () => {
    expect(validateArea(poly(square))).toBeNull();
    expect(validateArea(circle(16, 108, 1500))).toBeNull();
    expect(validateArea(circle(16, 108, 0))).toBeNull();
  });

  it('refuses a bow-tie (self-crossing) polygon, with the reason in Vietnamese and English', () => {
    const bowTie = poly([[16.0, 108.0], [16.0, 108.01], [16.01, 108.0], [16.01, 108.01]]);
    expect(validateArea(bowTie)).toBe(
      'Các cạnh của đa giác cắt hoặc chồng lên nhau / polygon edges cross or overlap each other (self-intersecting)',
    );
    const e = refusal(() => selectInArea(bowTie, SPEAKERS));
    expect([e.code, e.status]).toEqual(['LOA_AREA_INVALID', 422]);
  });

  it('refuses polygons that touch themselves at a vertex or fold back along an edge', () => {
    const figureEight = poly([[0, 0], [0, 2], [1, 1], [2, 2], [2, 0], [1, 1]]);
    const foldBack = poly([[16, 108], [16, 108.02], [16, 108.01], [16.01, 108.01]]);
    const flat = poly([[16, 108], [16, 108.01], [16, 108.02]]);
    for (const area of [figureEight, foldBack, flat]) expect(validateArea(area)).toMatch(/self-intersecting/);
  });

  it('refuses fewer than 3 distinct points', () => {
    expect(validateArea(poly([[16, 108], [16, 108], [16.01, 108]]))).toMatch(/fewer than 3 distinct points/);
    expect(validateArea(poly([[16, 108], [16.01, 108], [16, 108], [16.01, 108]]))).toMatch(/fewer than 3/);
  });

  it('refuses non-finite and out-of-range coordinates, and a negative radius', () => {
    expect(validateArea(poly([[16, 108], [NaN, 108.01], [16.01, 108]]))).toMatch(/not finite/);
    expect(validateArea(circle(16, Infinity, 10))).toMatch(/not finite/);
    expect(validateArea(poly([[16, 108], [91, 108.01], [16.01, 108]]))).toMatch(/out of range/);
    expect(validateArea(circle(16, -181, 10))).toMatch(/out of range/);
    expect(validateArea(circle(16, 108, -1))).toBe('Bán kính âm / negative radius');
  });

  it('refuses a polygon across the antimeridian', () => {
    expect(validateArea(poly([[0, 179], [0, -179], [1, -179], [1, 179]]))).toMatch(/antimeridian/);
  });

  it('has a schema that agrees on shape', () => {
    const check = new Ajv({ strict: false }).compile(AreaSchema);
    expect(check({ polygon: square })).toBe(true);
    expect(check({ circle: { lat: 16, lon: 108, radiusM: 0 } })).toBe(true);
    expect(check({ circle: { lat: 16, lon: 108, radiusM: -5 } })).toBe(false);
    expect(check({ polygon: [[16, 108, 3], [16, 109], [17, 109]] })).toBe(false);
    expect(check({ polygon: [[16, 108], [16, 109]] })).toBe(false);
  });
});

describe('circles (haversine distance ≤ radius)', () => {
  // On a meridian the haversine distance is R·Δφ: 1 m of latitude = 180/(π·6,371,008.8)° = 8.99320e-6°.
  it('measures one degree of latitude as 111,195.08 m', () => {
    expect(distanceM(at(16, 108), at(17, 108))).toBeCloseTo(111_195.08, 1);
  });

  it('contains only its centre when the radius is 0', () => {
    const area = circle(16.01, 108.14, 0);
    expect(areaContains(area, at(16.01, 108.14))).toBe(true);
    expect(areaContains(area, at(16.01 + 1e-7, 108.14))).toBe(false); // about 1.1 cm away
    expect(selectInArea(area, SPEAKERS)).toEqual(['loa-06']);
  });

  it('draws the line at the radius: 999 m in, 1,001 m out (north), 990 m in, 1,010 m out (east)', () => {
    const area = circle(16, 108, 1000);
    // north: 999 × 8.99320e-6 = 0.0089842°, 1001 × 8.99320e-6 = 0.0090022°
    expect(distanceM(at(16, 108), at(16.0089842, 108))).toBeCloseTo(999, 0);
    expect(areaContains(area, at(16.0089842, 108))).toBe(true);
    expect(areaContains(area, at(16.0090022, 108))).toBe(false);
    // east at 16° N: 1 m = 8.99320e-6° / cos 16° (0.961262) = 9.35562e-6° of longitude
    expect(areaContains(area, at(16, 108 + 990 * 9.35562e-6))).toBe(true);
    expect(areaContains(area, at(16, 108 + 1010 * 9.35562e-6))).toBe(false);
  });

  it('selects the speakers within 1.5 km of the pumping station (1,197 m in, 1,801 m out)', () => {
    expect(selectInArea(circle(16.01, 108.14, 1500), SPEAKERS)).toEqual(['loa-06', 'loa-11']);
  });
});

describe('selecting speakers', () => {
  it('never selects a device without coordinates, even with a circle around the whole Earth', () => {
    const devices = [{ id: 'a' }, { id: 'b', lat: 16 }, { id: 'c', lat: null, lon: null }, { id: 'd', lat: 16, lon: 108 }];
    expect(selectInArea(circle(0, 0, 2.1e7), devices)).toEqual(['d']);
  });

  it('unites several areas, each speaker once, in the devices’ order', () => {
    const areas = [poly(square.map(([la, lo]) => [la, lo + 0.1] as LatLon)), circle(16.01, 108.14, 1500), circle(16.01, 108.14, 0)];
    expect(selectInAreas(areas, SPEAKERS)).toEqual(['loa-01', 'loa-06', 'loa-09', 'loa-10', 'loa-11']);
  });
});
