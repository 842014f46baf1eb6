import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import { afterAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { Fleet } from '../../device-sim/index.js';
import { provision, startTestController, testConfig, uploadTone } from '../helpers/controller.js';
import { startController } from '../../controller/runtime.js';
import { readEvents } from '../helpers/events.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** Reads server-sent events until `enough` says stop; returns them. */
describe('live event stream', () => {
  it('streams devices going up and down and every delivery state of a broadcast', async () => {
    const t = await startTestController();
    cleanups.push(() => t.close());
    const devices = await provision(t.api, { 'thon-a': 5 });
    const tone = await uploadTone(t.api, 1);
    const fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 20 });
    cleanups.push(() => fleet.stop());

    let streaming!: () => void;
    const isStreaming = new Promise<void>((r) => (streaming = r));
    const collected = readEvents(`${t.c.httpUrl}/api/v1/events`, t.api.token!, (evs) => evs.filter((e) => e.event === 'delivery' && e.data.state === 'done').length === 5 && evs.some((e) => e.event === 'device.offline'), streaming);
    await isStreaming;
    await fleet.start();
    await whenOnline(t.c, devices.map((d) => d.id));
    const b = await t.api.post('/api/v1/broadcasts', { title: 'Sự kiện', mediaId: tone.id, targets: { all: true }, priority: 1 });
    await whenSummary(t.c, b.body.id, (s) => s.done === 5);
    await fleet.get(devices[0]!.id)!.stop();
    const events = await collected;

    expect(events.filter((e) => e.event === 'device.online').map((e) => e.data.deviceId).sort()).toEqual(devices.map((d) => d.id).sort());
    expect(events.find((e) => e.event === 'device.offline')?.data).toMatchObject({ deviceId: devices[0]!.id, reason: 'shutdown' });
    for (const d of devices) {
      const states = events.filter((e) => e.event === 'delivery' && e.data.deviceId === d.id && e.data.jobId === b.body.id).map((e) => e.data.state);
      expect(states).toEqual(['received', 'downloading', 'ready', 'playing', 'done']);
    }
  });
});

describe('TLS', () => {
  it('serves MQTT over TLS and the API over HTTPS when given a certificate and key', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'loa-tls-'));
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const ca = await fs.readFile(cert);
    const config = await testConfig({ tls: { cert: ca, key: await fs.readFile(key) } });
    const c = await startController(config, { logger: false, processor: null });
    cleanups.push(() => c.close());
    const t = { c };
    expect(t.c.mqttUrl.startsWith('mqtts://')).toBe(true);
    expect(t.c.httpUrl.startsWith('https://')).toBe(true);

    const status = await new Promise<number>((resolve, reject) =>
      https.get(`${t.c.httpUrl}/healthz`, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject),
    );
    expect(status).toBe(200);

    // Registering needs the API; over HTTPS the test's fetch would need the CA, so register in-process.
    const { secret } = await t.c.registry.register({ id: 'a', username: 'admin', role: 'admin', commune: null }, { id: 'loa-tls' });
    const fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices: [{ id: 'loa-tls', secret }], tls: { ca } });
    cleanups.push(() => fleet.stop());
    await fleet.start();
    await whenOnline(t.c, ['loa-tls']);
    // A plain-text connection to the TLS port gets nowhere.
    const plain = mqtt.connect(t.c.mqttUrl.replace('mqtts://', 'mqtt://'), { clientId: 'loa-tls', username: 'loa-tls', password: secret, reconnectPeriod: 0, connectTimeout: 2000 });
    const outcome = await new Promise<string>((resolve) => {
      plain.once('connect', () => resolve('connected'));
      plain.once('error', () => resolve('refused'));
      plain.once('close', () => resolve('closed'));
    });
    plain.end(true);
    expect(outcome).not.toBe('connected');
  });
});
