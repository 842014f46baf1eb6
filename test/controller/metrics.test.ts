import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../device-sim/index.js';
import { provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';

let t: TestController;
let fleet: Fleet;

beforeAll(async () => {
  t = await startTestController({ metricsToken: 'scrape-token' });
  const devices = await provision(t.api, { 'thon-a': 6 });
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices: devices.slice(0, 4), speed: 20 });
  await fleet.start();
  await whenOnline(t.c, devices.slice(0, 4).map((d) => d.id));
});
afterAll(async () => {
  await fleet.stop();
  await t.close();
});

/** Prometheus text format → { 'name{labels}': value }, refusing any line that is not a sample, comment or blank. */
function parseProm(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    samples.set(m[1]!, Number(m[2]));
  }
  return samples;
}

describe('/metrics', () => {
  it('parses as Prometheus text and its figures match the store', async () => {
    const tone = await uploadTone(t.api, 1);
    const b = await t.api.post('/api/v1/broadcasts', { title: 'Đo', mediaId: tone.id, targets: { all: true }, priority: 1 });
    await whenSummary(t.c, b.body.id, (s) => s.done === 4);
    const res = await fetch(`${t.c.httpUrl}/metrics`, { headers: { authorization: 'Bearer scrape-token' } });
    expect(res.status).toBe(200);
    const m = parseProm(await res.text());
    const devices = (await t.api.get('/api/v1/devices')).body.items as Array<{ health: { state: string } }>;
    const count = (state: string) => devices.filter((d) => d.health.state === state).length;
    expect(m.get('loa_speakers{state="ok"}')).toBe(count('ok'));
    expect(m.get('loa_speakers{state="never_seen"}')).toBe(count('never_seen'));
    expect(count('ok')).toBe(4);
    // Active: the broadcast to all still waits on the two speakers that never connected.
    expect(m.get('loa_active_deliveries{state="noAnswer"}')).toBe(2);
    expect(m.get('loa_active_deliveries{state="done"}')).toBe(4);
    expect(m.get('loa_mqtt_connections')).toBe(5); // four speakers and the controller
    // Acks alone: four speakers × five states; telemetry may add more after the scrape, never fewer.
    expect(m.get('loa_mqtt_messages_received_total')).toBeGreaterThanOrEqual(20);
    expect(m.get('loa_mqtt_messages_received_total')).toBeLessThanOrEqual(t.c.link.stats.received);
    expect(m.get('loa_dispatch_latency_seconds_count{state="done"}')).toBe(4);
  });

  it('refuses a scrape without the token', async () => {
    expect((await fetch(`${t.c.httpUrl}/metrics`)).status).toBe(403);
  });
});
