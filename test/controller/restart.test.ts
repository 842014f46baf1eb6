import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../device-sim/index.js';
import { Api } from '../helpers/api.js';
import { sineWav } from '../helpers/audio.js';
import { freePort, startControllerProcess, type ControllerProcess } from '../helpers/process.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** Polls the API: the other process's state has no event this process can subscribe to. */
async function until<T>(read: () => Promise<T>, pred: (x: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const x = await read();
    if (pred(x)) return x;
    if (Date.now() > end) throw new Error(`timed out; last: ${JSON.stringify(x)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a new controller process on the same data directory', () => {
  it('started mid-broadcast, loses no delivery and plays nothing twice', { timeout: 150_000 }, async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'loa-restart-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const env = {
      LOA_DATA_DIR: dataDir,
      LOA_HTTP_HOST: '127.0.0.1',
      LOA_HTTP_PORT: String(await freePort()),
      LOA_MQTT_HOST: '127.0.0.1',
      LOA_MQTT_PORT: String(await freePort()),
      LOA_MQTT_WS_PORT: 'off',
      LOA_ADMIN_PASSWORD: 'restart-admin-pw',
      LOA_SECRET_HASH_N: '1024',
      LOA_RETRY_MS: '300',
      // A long flush window, so the crash really loses acknowledgements that had arrived.
      LOA_FLUSH_MS: '2000',
    };
    const base = `http://127.0.0.1:${env.LOA_HTTP_PORT}`;
    let first: ControllerProcess | null = await startControllerProcess(env);
    cleanups.push(() => first?.stop() ?? Promise.resolve());
    const api = new Api(base);
    await api.login('admin', env.LOA_ADMIN_PASSWORD);
    await api.post('/api/v1/zones', { id: 'thon-a', name: 'Thôn A', commune: 'xa' });
    const devices: Array<{ id: string; secret: string }> = [];
    for (let i = 0; i < 30; i++) {
      const r = await api.post('/api/v1/devices', { id: `loa-${i}`, zoneId: 'thon-a' });
      devices.push({ id: r.body.device.id, secret: r.body.secret });
    }
    const media = await api.upload('/api/v1/media', sineWav(3), 'a.wav');
    expect(media.status).toBe(201);
    const fleet = new Fleet({ brokerUrl: `mqtt://127.0.0.1:${env.LOA_MQTT_PORT}`, devices, speed: 2, seed: 3 });
    cleanups.push(() => fleet.stop());
    await fleet.start();
    await until(() => api.get('/api/v1/devices'), (r) => r.body.items.every((d: { health: { state: string } }) => d.health.state === 'ok'));

    // Every speaker downloads at once and waits for startAt; the controller dies in between.
    const startAt = Date.now() + 2500;
    const b = await api.post('/api/v1/broadcasts', { title: 'Khởi động lại', mediaId: media.body.id, targets: { all: true }, priority: 1, startAt });
    expect(b.status).toBe(201);
    await until(() => api.get(`/api/v1/broadcasts/${b.body.id}`), (r) => r.body.summary.reached === 30);
    await first.crash();
    first = null;

    const second = await startControllerProcess(env);
    cleanups.push(() => second.stop());
    await api.login('admin', env.LOA_ADMIN_PASSWORD);
    const done = await until(() => api.get(`/api/v1/broadcasts/${b.body.id}`), (r) => r.body.summary.done === 30, 60_000);
    expect(done.body.summary).toMatchObject({ targeted: 30, done: 30, noAnswer: 0, failed: 0 });
    for (const d of fleet.devices) {
      expect(d.executions.get(`${b.body.id}~${d.id}`)).toBe(1);
      expect(d.plays.filter((p) => p.broadcastId === b.body.id)).toHaveLength(1);
    }
    const deliveries = await api.get(`/api/v1/broadcasts/${b.body.id}/deliveries`);
    expect(deliveries.body.items).toHaveLength(30);
  });
});
