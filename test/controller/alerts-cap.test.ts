import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertsFeature } from '../../controller/alerts/feature.js';
import { parseCap } from '../../controller/alerts/cap/parse.js';
import { startTestController, uploadTone, type TestController } from '../helpers/controller.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../alerts/cap-corpus');
const SENDER = 'canhbao@pctt-tinh.example.vn';
const KEY = 'khoa-bi-mat-cua-tinh';
let t: TestController;

// Speakers placed by hand around the corpus's areas (Đà Nẵng): a 500 m circle at 16.05,108.10
// and a polygon 16.000–16.030 N, 108.100–108.120 E.
const PLACES = {
  'in-circle': [16.051, 108.1],
  'circle-centre': [16.05, 108.1],
  'out-circle': [16.06, 108.1],
  'in-poly': [16.01, 108.11],
  'on-edge': [16.0, 108.11],
  'out-poly': [16.04, 108.11],
} as const;

/** A corpus document moved to tomorrow, so its expiry is in the future. */
async function corpus(name: string): Promise<string> {
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return (await fs.readFile(path.join(CORPUS, name), 'utf8')).replace(/\d{4}-\d{2}-\d{2}T/g, `${tomorrow}T`);
}

function postCap(body: string, key = KEY, type = 'application/cap+xml'): Promise<{ status: number; body: any }> {
  return fetch(`${t.c.httpUrl}/api/v1/alerts/cap`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': type }, body }).then(async (r) => ({ status: r.status, body: await r.json() }));
}

beforeAll(async () => {
  t = await startTestController({}, { features: [createAlertsFeature({ senders: [{ sender: SENDER, key: KEY, commune: null }], geocodeTable: {} })] });
  await t.api.post('/api/v1/zones', { id: 'thon-4', name: 'Thôn 4', commune: 'xa-hoa-phong' });
  for (const [id, [lat, lon]] of Object.entries(PLACES)) expect((await t.api.post('/api/v1/devices', { id, zoneId: 'thon-4', lat, lon })).status).toBe(201);
});
afterAll(async () => t.close());

describe('area targeting', () => {
  const targetsOf = (body: { repetitions: Array<{ broadcastId: string }> }) =>
    t.api.get(`/api/v1/broadcasts/${body.repetitions[0]!.broadcastId}/deliveries`).then((r) => (r.body.items as Array<{ deviceId: string }>).map((d) => d.deviceId).sort());

  it('a polygon selects exactly the speakers inside it, its edge included', async () => {
    const tone = await uploadTone(t.api, 1);
    const polygon = [[16.0, 108.1], [16.0, 108.12], [16.03, 108.12], [16.03, 108.1]];
    const res = await t.api.post('/api/v1/alerts', { hazard: 'flood', riskLevel: 3, title: 'Lũ', message: { mediaId: tone.id }, areas: [{ polygon }], signal: 'none' });
    expect(res.status).toBe(201);
    expect(await targetsOf(res.body)).toEqual(['in-poly', 'on-edge']);
  });

  it('a circle selects by distance; radius 0 holds only its centre', async () => {
    const tone = await uploadTone(t.api, 1);
    const big = await t.api.post('/api/v1/alerts', { hazard: 'fire', riskLevel: 2, title: 'Cháy', message: { mediaId: tone.id }, areas: [{ circle: { lat: 16.05, lon: 108.1, radiusM: 500 } }], signal: 'none' });
    expect(await targetsOf(big.body)).toEqual(['circle-centre', 'in-circle']);
    const zero = await t.api.post('/api/v1/alerts', { hazard: 'fire', riskLevel: 2, title: 'Cháy', message: { mediaId: tone.id }, areas: [{ circle: { lat: 16.05, lon: 108.1, radiusM: 0 } }], signal: 'none' });
    expect(await targetsOf(zero.body)).toEqual(['circle-centre']);
  });

  it('refuses a polygon crossing itself, and an area with no speaker', async () => {
    const tone = await uploadTone(t.api, 1);
    const bowtie = [[16.0, 108.1], [16.03, 108.12], [16.0, 108.12], [16.03, 108.1]];
    const crossed = await t.api.post('/api/v1/alerts', { hazard: 'flood', riskLevel: 3, title: 'x', message: { mediaId: tone.id }, areas: [{ polygon: bowtie }] });
    expect(crossed.status).toBe(422);
    expect(crossed.body.error.code).toBe('LOA_ALERT_AREA');
    const empty = await t.api.post('/api/v1/alerts', { hazard: 'flood', riskLevel: 3, title: 'x', message: { mediaId: tone.id }, areas: [{ circle: { lat: 10, lon: 106, radiusM: 10 } }] });
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('LOA_ALERT_NO_TARGETS');
  });
});

describe('CAP 1.2 in and out', () => {
  it('turns an Actual alert with embedded audio into an alert on the speakers in its circle, once', async () => {
    const doc = await corpus('10-forest-fire-audio.xml');
    const first = await postCap(doc);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ duplicate: false, kind: 'alert', state: 'active', hazard: 'forest-fire', targeted: 2 });
    const again = await postCap(doc);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, id: first.body.id });
    const list = await t.api.get('/api/v1/alerts');
    expect(list.body.items.filter((a: { cap: { identifier: string } | null }) => a.cap?.identifier === 'DNG-2025-0610-002')).toHaveLength(1);
  });

  it('stores a System message without playing it', async () => {
    const res = await postCap(await corpus('08-system-heartbeat.xml'));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.state).toBe('stored');
    expect(res.body.repetitions).toEqual([]);
  });

  it('refuses unknown senders, a sender using another’s key, and hostile documents', async () => {
    const doc = await corpus('10-forest-fire-audio.xml');
    expect((await postCap(doc, 'sai-khoa')).status).toBe(401);
    const spoofed = doc.replace(SENDER, 'ke-gia-mao@example.vn').replace('DNG-2025-0610-002', 'X-1');
    expect((await postCap(spoofed)).status).toBe(403);
    for (const name of ['billion-laughs.xml', 'xxe.xml', 'malformed.xml', 'cap-1.1-namespace.xml']) {
      const res = await postCap(await fs.readFile(path.join(CORPUS, 'hostile', name), 'utf8'));
      expect(res.status, name).toBeGreaterThanOrEqual(400);
      expect(res.status, name).toBeLessThan(500);
      expect(res.body.error.messageVi, name).toBeTruthy();
    }
    expect((await postCap(doc, KEY, 'text/plain')).status).toBe(415);
  });

  it('renders any alert as CAP 1.2 that parses back with its meaning', async () => {
    const tone = await uploadTone(t.api, 1);
    const a = await t.api.post('/api/v1/alerts', { hazard: 'storm', riskLevel: 5, title: 'Bão rất mạnh', message: { mediaId: tone.id }, targets: { zones: ['thon-4'] }, signal: 'none', drill: true });
    const res = await fetch(`${t.c.httpUrl}/api/v1/alerts/${a.body.id}/cap`, { headers: { authorization: `Bearer ${t.api.token}` } });
    expect(res.headers.get('content-type')).toMatch(/application\/cap\+xml/);
    const cap = parseCap(await res.text(), { maxBytes: 1_000_000 });
    expect(cap.status).toBe('Exercise');
    expect(cap.msgType).toBe('Alert');
    expect(cap.info[0]!.headline).toBe('Bão rất mạnh');
    expect(cap.info[0]!.areas.some((x) => x.geocodes.some((g) => g.value === 'thon-4'))).toBe(true);
  });
});
