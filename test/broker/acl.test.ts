import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { provision, startTestController, type TestController } from '../helpers/controller.js';

let t: TestController;
let devices: Array<{ id: string; secret: string }>;

beforeAll(async () => {
  t = await startTestController();
  devices = await provision(t.api, { 'thon-a': 3 });
});
afterAll(async () => t.close());

function connect(clientId: string, username: string | undefined, password: string | undefined, url = t.c.mqttUrl): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { clientId, username, password, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000 });
    client.once('connect', () => resolve(client));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
  });
}

/** The SUBACK's granted QoS for one topic (128: refused). */
function grantedQos(c: MqttClient, topic: string): Promise<number> {
  return c.subscribeAsync(topic, { qos: 1 }).then(
    (granted) => granted[0]!.qos,
    (err: { packet?: { granted?: number[] } }) => err.packet?.granted?.[0] ?? -1,
  );
}

function refusalCode(p: Promise<MqttClient>): Promise<number | undefined> {
  return p.then(
    (c) => {
      c.end(true);
      return 0;
    },
    (err: { code?: number }) => err.code,
  );
}

describe('broker authentication', () => {
  it('accepts a registered device with its secret, over TCP and WebSocket', async () => {
    const d = devices[0]!;
    const tcp = await connect(d.id, d.id, d.secret);
    expect(tcp.connected).toBe(true);
    await tcp.endAsync();
    const ws = await connect(d.id, d.id, d.secret, t.c.mqttWsUrl!);
    expect(ws.connected).toBe(true);
    await ws.endAsync();
  });

  it('refuses a wrong secret, an unknown device, a missing password and a client id that is not the username', async () => {
    const d = devices[0]!;
    expect(await refusalCode(connect(d.id, d.id, 'wrong-secret'))).toBe(4);
    expect(await refusalCode(connect('ghost', 'ghost', 'whatever'))).toBe(4);
    expect(await refusalCode(connect(d.id, d.id, undefined))).toBe(4);
    expect(await refusalCode(connect('other-id', d.id, d.secret))).toBe(4);
  });

  it('refuses a disabled device, and a rotated secret replaces the old one', async () => {
    const d = devices[1]!;
    expect((await t.api.patch(`/api/v1/devices/${d.id}`, { disabled: true })).status).toBe(200);
    expect(await refusalCode(connect(d.id, d.id, d.secret))).toBe(5);
    await t.api.patch(`/api/v1/devices/${d.id}`, { disabled: false });
    const rotated = await t.api.post(`/api/v1/devices/${d.id}/secret`);
    expect(rotated.status).toBe(200);
    expect(await refusalCode(connect(d.id, d.id, d.secret))).toBe(4);
    const c = await connect(d.id, d.id, rotated.body.secret);
    await c.endAsync();
  });

  it("hands a device its retained config the moment it subscribes, and a changed config again", async () => {
    const d = devices[2]!;
    const c = await connect(d.id, d.id, d.secret);
    const configs: Array<{ heartbeatS: number; volume: number; tz: string }> = [];
    const first = new Promise<void>((resolve) => c.on('message', (_t, payload) => (configs.push(JSON.parse(payload.toString())), resolve())));
    await c.subscribeAsync(`loa/v1/d/${d.id}/config`, { qos: 1 });
    await first;
    expect(configs[0]).toMatchObject({ v: 1, heartbeatS: 30, volume: 70, tz: 'Asia/Ho_Chi_Minh' });
    const changed = new Promise<void>((resolve) => c.on('message', () => configs.length === 2 && resolve()));
    await t.api.patch(`/api/v1/devices/${d.id}`, { volume: 45, heartbeatS: 60 });
    await changed;
    expect(configs[1]).toMatchObject({ heartbeatS: 60, volume: 45 });
    await c.endAsync();
  });

  it('never stores the secret itself', async () => {
    const stored = t.c.store.devices.get(devices[0]!.id)!;
    expect(stored.secretHash).not.toContain(devices[0]!.secret);
    expect(stored.secretHash.startsWith('scrypt$')).toBe(true);
  });
});

describe('broker access rules', () => {
  it('lets a device subscribe only to its own cmd and config, never with wildcards', async () => {
    const [a, b] = [devices[0]!, devices[2]!];
    const c = await connect(a.id, a.id, a.secret);
    const topics = [`loa/v1/d/${a.id}/cmd`, `loa/v1/d/${a.id}/config`, `loa/v1/d/${b.id}/cmd`, `loa/v1/d/${a.id}/ack`, 'loa/v1/d/+/cmd', '#'];
    const byTopic: Record<string, number> = {};
    for (const topic of topics) byTopic[topic] = await grantedQos(c, topic);
    expect(byTopic[`loa/v1/d/${a.id}/cmd`]).toBe(1);
    expect(byTopic[`loa/v1/d/${a.id}/config`]).toBe(1);
    expect(byTopic[`loa/v1/d/${b.id}/cmd`]).toBe(128);
    expect(byTopic[`loa/v1/d/${a.id}/ack`]).toBe(128);
    expect(byTopic['loa/v1/d/+/cmd']).toBe(128);
    expect(byTopic['#']).toBe(128);
    await c.endAsync();
  });

  it("drops and disconnects a device that publishes a cmd or on another device's topics; the victim hears nothing", async () => {
    const [attacker, victim] = [devices[0]!, devices[2]!];
    const v = await connect(victim.id, victim.id, victim.secret);
    await v.subscribeAsync(`loa/v1/d/${victim.id}/cmd`, { qos: 1 });
    const heard: string[] = [];
    v.on('message', (topic) => heard.push(topic));

    for (const topic of [`loa/v1/d/${victim.id}/cmd`, `loa/v1/d/${attacker.id}/cmd`, `loa/v1/d/${victim.id}/ack`]) {
      const a = await connect(attacker.id, attacker.id, attacker.secret);
      const closed = new Promise<void>((resolve) => a.once('close', () => resolve()));
      a.publish(topic, JSON.stringify({ v: 1, id: 'evil', ts: 1, type: 'play' }), { qos: 1 });
      await closed;
      a.end(true);
    }
    // A round trip through the broker after the attempts: anything forwarded would have arrived first.
    const probe = await connect(attacker.id, attacker.id, attacker.secret);
    const stateSeen = new Promise<void>((resolve) => t.c.bus.on('device.online', (e) => e.deviceId === attacker.id && resolve()));
    probe.publish(`loa/v1/d/${attacker.id}/state`, JSON.stringify({ v: 1, ts: Date.now(), online: true, session: 99, model: 'x', fw: '1', formats: ['mp3'], stream: true }), { qos: 1 });
    await stateSeen;
    expect(heard).toEqual([]);
    await probe.endAsync();
    await v.endAsync();
  });

  it('counts and drops malformed device payloads without stopping the controller', async () => {
    const d = devices[2]!;
    const c = await connect(d.id, d.id, d.secret);
    const before = t.c.link.stats.malformed;
    await c.publishAsync(`loa/v1/d/${d.id}/ack`, 'not json', { qos: 1 });
    await c.publishAsync(`loa/v1/d/${d.id}/ack`, JSON.stringify({ v: 1, ts: 'yesterday', cmd: 5, state: 'done' }), { qos: 1 });
    await c.publishAsync(`loa/v1/d/${d.id}/tele`, JSON.stringify({ v: 2 }), { qos: 1 });
    await expect.poll(() => t.c.link.stats.malformed - before, { timeout: 5000 }).toBe(3);
    // 1 MB of garbage: the broker refuses it (over the 16 KiB limit) and closes the session.
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    c.publish(`loa/v1/d/${d.id}/tele`, Buffer.alloc(1024 * 1024, 0x41), { qos: 1 });
    await closed;
    c.end(true);
    expect((await t.api.get('/healthz')).body.ok).toBe(true);
  });
});
