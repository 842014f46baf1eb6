/** Every document of the CAP corpus, parsed, mapped to Loa's intent, and to exactly the right speakers. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import { describe, expect, it } from 'vitest';
import { capToIntent, type CapIntent } from '../../controller/alerts/cap/map.js';
import { parseCap, pickInfo } from '../../controller/alerts/cap/parse.js';
import { corpus, GEOCODES, speakersFor } from './fixtures.js';

const load = (file: string) => parseCap(corpus(file), { maxBytes: 1024 * 1024 });
const intentOf = (file: string) => capToIntent(load(file), { geocodeTable: GEOCODES });
const ms = (capTime: string) => Date.parse(capTime);
const PROVINCE = 'canhbao@pctt-tinh.example.vn';

type Expected = Pick<CapIntent, 'action' | 'msgType' | 'hazard' | 'riskLevel' | 'language' | 'zones'> & {
  speakers: string[];
  notAfter: number | undefined;
};

// Speakers worked out by hand from fixtures.ts (distances from the circle centres in brackets).
const CASES: Array<[string, Expected]> = [
  ['01-flash-flood-polygon.xml', {
    action: 'alert', msgType: 'Alert', hazard: 'flash-flood', riskLevel: 3, language: 'vi-VN', zones: [],
    // inside 16.00–16.03 N × 108.10–108.12 E; loa-09 on a vertex, loa-10 on the southern edge
    speakers: ['loa-01', 'loa-02', 'loa-03', 'loa-09', 'loa-10'], notAfter: ms('2025-09-12T22:30:00+07:00'),
  }],
  ['02-storm-circle-prefixed.xml', {
    action: 'alert', msgType: 'Alert', hazard: 'storm', riskLevel: 5, language: 'vi-VN', zones: [],
    // 2 km around 16.02, 108.12: loa-02 (771 m), loa-03 (1,697 m), loa-04 (1,751 m); loa-12 is 2,246 m away
    speakers: ['loa-02', 'loa-03', 'loa-04'], notAfter: ms('2025-09-14T18:00:00+07:00'),
  }],
  ['03-heat-wave-geocode-multilang.xml', {
    action: 'alert', msgType: 'Alert', hazard: 'heat-wave', riskLevel: 2, language: 'vi-VN', zones: ['thon-4'],
    speakers: ['loa-07', 'loa-08'], notAfter: ms('2025-05-22T19:00:00+07:00'), // loa-08 has no coordinates, only a zone
  }],
  ['04-flash-flood-update.xml', {
    action: 'alert', msgType: 'Update', hazard: 'flash-flood', riskLevel: 4, language: 'vi-VN', zones: [],
    speakers: ['loa-01', 'loa-02', 'loa-03', 'loa-04', 'loa-09', 'loa-10'], notAfter: ms('2025-09-13T05:00:00+07:00'),
  }],
  ['05-flash-flood-cancel.xml', {
    action: 'alert', msgType: 'Cancel', hazard: 'other', riskLevel: 1, language: 'vi-VN', zones: [],
    speakers: [], notAfter: undefined,
  }],
  ['06-tsunami-exercise.xml', {
    action: 'drill', msgType: 'Alert', hazard: 'tsunami', riskLevel: 4, language: 'vi-VN',
    zones: ['thon-1', 'thon-2', 'thon-3', 'thon-4', 'thon-5'],
    speakers: ['loa-01', 'loa-02', 'loa-03', 'loa-04', 'loa-05', 'loa-06', 'loa-07', 'loa-08', 'loa-09', 'loa-10'],
    notAfter: ms('2025-11-05T11:00:00+07:00'),
  }],
  ['07-system-test.xml', {
    action: 'drill', msgType: 'Alert', hazard: 'other', riskLevel: 1, language: 'vi-VN', zones: [],
    speakers: ['loa-06', 'loa-11'], notAfter: undefined, // 1.5 km: loa-06 (0 m), loa-11 (1,197 m); loa-12 (1,801 m) out
  }],
  ['08-system-heartbeat.xml', {
    action: 'store', msgType: 'Alert', hazard: 'other', riskLevel: 1, language: 'vi-VN', zones: [],
    speakers: [], notAfter: undefined,
  }],
  ['09-landslide-draft.xml', {
    action: 'store', msgType: 'Alert', hazard: 'landslide', riskLevel: 2, language: 'vi-VN', zones: [],
    speakers: ['loa-05', 'loa-09'], notAfter: undefined, // loa-05 on the slanted edge, loa-09 on a vertex
  }],
  ['10-forest-fire-audio.xml', {
    action: 'alert', msgType: 'Alert', hazard: 'forest-fire', riskLevel: 4, language: 'vi-VN', zones: [],
    speakers: ['loa-07'], notAfter: ms('2025-06-10T19:15:00+07:00'),
  }],
  ['11-dengue-vi-not-first.xml', {
    action: 'alert', msgType: 'Alert', hazard: 'epidemic', riskLevel: 2, language: 'vi', zones: ['thon-1'],
    speakers: ['loa-01', 'loa-02'], notAfter: undefined,
  }],
];

describe('CAP corpus → intent → speakers', () => {
  it.each(CASES)('%s', (file, want) => {
    const intent = intentOf(file);
    const { speakers, ...fields } = want;
    expect({
      action: intent.action, msgType: intent.msgType, hazard: intent.hazard, riskLevel: intent.riskLevel,
      language: intent.language, zones: intent.zones, notAfter: intent.notAfter,
    }).toEqual(fields);
    expect(intent.priority).toBe(3);
    expect(speakersFor(intent)).toEqual(speakers);
  });
});

describe('CAP corpus details', () => {
  it('speaks Vietnamese text with its diacritics: headline, description and instruction as sentences', () => {
    const intent = intentOf('01-flash-flood-polygon.xml');
    expect(intent.title).toBe('Cảnh báo lũ quét tại thung lũng suối Tà Lang');
    expect(intent.text).toBe(
      'Cảnh báo lũ quét tại thung lũng suối Tà Lang.\n' +
        'Mưa lớn kéo dài, nguy cơ xảy ra lũ quét ở các khe suối trong 6 giờ tới.\n' +
        'Người dân ở ven suối di chuyển ngay đến nơi an toàn; không đi qua ngầm, tràn.',
    );
    expect(intent.ref).toEqual({ sender: PROVINCE, identifier: 'DNG-2025-0912-001', sent: '2025-09-12T14:30:00+07:00' });
    expect(intent.sent).toBe(Date.UTC(2025, 8, 12, 7, 30));
  });

  it('takes the risk level from a "capDoRuiRo" parameter over the CAP axes (which would give 4)', () => {
    const alert = load('01-flash-flood-polygon.xml');
    const info = alert.info[0]!;
    expect([info.severity, info.urgency, info.certainty]).toEqual(['Severe', 'Immediate', 'Likely']);
    expect(capToIntent(alert, { geocodeTable: {} }).riskLevel).toBe(3);
  });

  it('reads a prefixed namespace, decodes references once, and keeps CDATA as written', () => {
    const info = load('02-storm-circle-prefixed.xml').info[0]!;
    expect(info.headline).toBe('Bão số 5 đổ bộ: gió mạnh cấp 12 & mưa rất to');
    expect(info.description).toBe(
      'Tâm bão cách bờ 50 km. Sức gió mạnh nhất cấp 12 (118–133 km/h), giật cấp 15. Đề phòng nước dâng <2 m>.',
    );
    expect(info.instruction).toBe('Ở yên trong nhà kiên cố; không ra khỏi nhà khi bão đang đổ bộ <khẩn cấp> & chờ thông báo.');
    expect(info.areas[0]!.circles).toEqual([{ lat: 16.02, lon: 108.12, radiusM: 2000 }]);
  });

  it('keeps every info block and chooses vi-VN even when it is not first', () => {
    const alert = load('03-heat-wave-geocode-multilang.xml');
    expect(alert.info.map((i) => i.language)).toEqual(['en-US', 'vi-VN']);
    expect(pickInfo(alert)!.event).toBe('Nắng nóng');
    expect(pickInfo(alert, 'en-US')!.event).toBe('Heat wave');
    const intent = capToIntent(alert, { geocodeTable: GEOCODES });
    expect(intent.title).toBe('Nắng nóng diện rộng, nhiệt độ cao nhất 39 đến 41 độ');
    expect(intent.unknownGeocodes).toEqual(['VN-THON:9999999']);
    expect(alert.info[1]!.areas[0]!.geocodes).toEqual([
      { valueName: 'VN-THON', value: '2030804' }, { valueName: 'VN-THON', value: '9999999' },
    ]);
  });

  it('falls back to a plain "vi" block, and reads a missing <language> as en-US', () => {
    const alert = load('11-dengue-vi-not-first.xml');
    expect(alert.info.map((i) => i.language)).toEqual(['en-US', 'vi']);
    expect(pickInfo(alert)!.headline).toBe('Ổ dịch sốt xuất huyết tại thôn 1');
  });

  it('chains an Update and a Cancel to earlier alerts by (sender, identifier, sent)', () => {
    const first = intentOf('01-flash-flood-polygon.xml');
    const update = intentOf('04-flash-flood-update.xml');
    const cancel = intentOf('05-flash-flood-cancel.xml');
    expect(update.references).toEqual([first.ref]);
    expect(cancel.references).toEqual([first.ref, update.ref]);
    expect(cancel.title).toBe('Hủy bản tin cảnh báo');
    expect(cancel.text).toBe('Hủy bản tin cảnh báo.\nNguy cơ lũ quét đã qua. Hủy các bản tin cảnh báo trước.');
  });

  it('reads a "Z" time although CAP 1.2 asks for "-00:00" (its meaning is unambiguous)', () => {
    expect(load('07-system-test.xml').sent).toEqual({ text: '2025-10-01T08:00:00Z', ms: Date.UTC(2025, 9, 1, 8) });
  });

  it('decodes embedded audio that ffmpeg can play, checked against its SHA-1 digest', async () => {
    const alert = load('10-forest-fire-audio.xml');
    const resource = alert.info[0]!.resources[0]!;
    const intent = capToIntent(alert, { geocodeTable: {} });
    expect(intent.audio?.mimeType).toBe('audio/mpeg');
    const bytes = intent.audio!.bytes;
    expect(bytes.length).toBe(resource.size);
    expect(createHash('sha1').update(bytes).digest('hex')).toBe(resource.digest);
    const probe = await decodeWithFfmpeg(bytes);
    expect(probe.code).toBe(0);
    expect(probe.stderr).toMatch(/Audio: mp3, 8000 Hz, mono/);
  });
});

function decodeWithFfmpeg(bytes: Buffer): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg.path, ['-hide_banner', '-i', 'pipe:0', '-f', 'null', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.end(bytes);
  });
}
