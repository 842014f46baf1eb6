/** Loa alert → CAP 1.2 → parseCap → the same meaning. */
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { capToIntent } from '../../controller/alerts/cap/map.js';
import { parseCap } from '../../controller/alerts/cap/parse.js';
import { renderCap, ZONE_GEOCODE, type LoaAlertForCap } from '../../controller/alerts/cap/render.js';
import { HAZARD_IDS, type RiskLevel } from '../../controller/alerts/hazards.js';
import { refusal, speakersFor } from './fixtures.js';

const ZONES = [
  { id: 'thon-1', name: 'Thôn Phước Thuận' },
  { id: 'thon-4', name: 'Thôn 4 – "Thạch Nham" <Tây>' },
];
const zoneTable = Object.fromEntries(ZONES.map((z) => [`${ZONE_GEOCODE}:${z.id}`, [z.id]]));
const roundTrip = (a: LoaAlertForCap) => {
  const xml = renderCap(a);
  const alert = parseCap(xml, { maxBytes: 1024 * 1024 });
  return { xml, alert, intent: capToIntent(alert, { geocodeTable: zoneTable }) };
};

const flood: LoaAlertForCap = {
  identifier: 'loa-hoa-phong-2025-0042',
  sender: 'loa@xa-hoa-phong.example.vn',
  senderName: 'UBND xã Hòa Phong',
  sent: Date.UTC(2025, 8, 12, 8, 0, 0),
  expires: Date.UTC(2025, 8, 12, 20, 0, 0),
  status: 'Actual',
  msgType: 'Alert',
  hazard: 'flash-flood',
  riskLevel: 4,
  title: 'Cảnh báo lũ quét: sơ tán ngay & không qua ngầm <tràn>',
  text: 'Nước suối Tà Lang lên nhanh.\nBà con ven suối di chuyển lên đồi; mang theo giấy tờ "quan trọng".',
  areas: [
    { polygon: [[16.0, 108.1], [16.0, 108.12], [16.03, 108.12], [16.03, 108.1]] },
    { circle: { lat: 16.01, lon: 108.14, radiusM: 1500 } },
  ],
  areaDesc: 'Ven suối Tà Lang',
  zones: ZONES,
};

describe('renderCap', () => {
  it('writes well-formed CAP 1.2 that parses back with the same meaning', () => {
    const { xml, alert, intent } = roundTrip(flood);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">');
    expect(alert.sent.text).toBe('2025-09-12T15:00:00+07:00');
    expect([alert.identifier, alert.sender, alert.status, alert.scope]).toEqual([flood.identifier, flood.sender, 'Actual', 'Public']);
    expect(intent).toMatchObject({
      action: 'alert', msgType: 'Alert', sent: flood.sent, notAfter: flood.expires, hazard: 'flash-flood',
      riskLevel: 4, title: flood.title, language: 'vi-VN', references: [], zones: ['thon-1', 'thon-4'],
    });
    expect(intent.areas).toEqual(flood.areas);
    const info = alert.info[0]!;
    expect([info.headline, info.description, info.senderName]).toEqual([flood.title, flood.text, flood.senderName]);
    expect(info.areas.map((a) => a.areaDesc)).toEqual(['Ven suối Tà Lang', ...ZONES.map((z) => z.name)]);
    expect(speakersFor(intent)).toEqual(['loa-01', 'loa-02', 'loa-03', 'loa-06', 'loa-07', 'loa-08', 'loa-09', 'loa-10', 'loa-11']);
  });

  it('carries an Exercise Update and a Cancel with their references', () => {
    const first = roundTrip({ ...flood, status: 'Exercise' }).intent;
    const update = roundTrip({ ...flood, status: 'Exercise', msgType: 'Update', identifier: 'loa-0043', references: [first.ref], riskLevel: 5 }).intent;
    const cancel = roundTrip({ ...flood, msgType: 'Cancel', identifier: 'loa-0044', references: [first.ref, update.ref] }).intent;
    expect([first.action, update.action, update.msgType, update.riskLevel]).toEqual(['drill', 'drill', 'Update', 5]);
    expect(update.references).toEqual([{ sender: flood.sender, identifier: flood.identifier, sent: '2025-09-12T15:00:00+07:00' }]);
    expect([cancel.msgType, cancel.references]).toEqual(['Cancel', [first.ref, update.ref]]);
  });

  it('round-trips every hazard at every risk level, also from the CAP axes alone', () => {
    for (const hazard of HAZARD_IDS) {
      for (const riskLevel of [1, 2, 3, 4, 5] as RiskLevel[]) {
        const { xml, intent } = roundTrip({ ...flood, hazard, riskLevel });
        expect([intent.hazard, intent.riskLevel]).toEqual([hazard, riskLevel]);
        const withoutParameter = xml.replace(/<parameter>[\s\S]*?<\/parameter>/, '');
        expect(capToIntent(parseCap(withoutParameter, { maxBytes: 1e6 }), { geocodeTable: zoneTable }).riskLevel).toBe(riskLevel);
      }
    }
  });

  it('escapes markup in text, and drops characters XML cannot carry', () => {
    const title = 'Bão </headline><script>alert(1)</script> ]]> &amp; \u0007xong';
    const { xml, alert } = roundTrip({ ...flood, title, text: 'Dòng 1\u0000\nDòng 2\uFFFF' });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(alert.info[0]!.headline).toBe('Bão </headline><script>alert(1)</script> ]]> &amp; xong');
    expect(alert.info[0]!.description).toBe('Dòng 1\nDòng 2');
  });

  it('writes times in Vietnam time to the whole second', () => {
    const { alert } = roundTrip({ ...flood, sent: Date.UTC(2025, 11, 31, 17, 30, 5, 999) });
    expect(alert.sent).toEqual({ text: '2026-01-01T00:30:05+07:00', ms: Date.UTC(2025, 11, 31, 17, 30, 5) });
  });

  it('refuses what CAP cannot carry: spaces in identifiers, a self-crossing area', () => {
    expect(refusal(() => renderCap({ ...flood, identifier: 'loa 42' })).code).toBe('LOA_CAP_BAD_VALUE');
    const bowTie = { polygon: [[16, 108], [16, 108.01], [16.01, 108], [16.01, 108.01]] as Array<[number, number]> };
    expect(refusal(() => renderCap({ ...flood, areas: [bowTie] })).code).toBe('LOA_CAP_BAD_AREA');
  });
});
