/** Starts a real controller (embedded aedes broker, lowdb store, HTTP) on ephemeral ports for a test. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../controller/config.js';
import { startController, type Controller, type ControllerOptions } from '../../controller/runtime.js';
import { Api } from './api.js';
import { sineWav } from './audio.js';
import { createAudioEngine } from '../../controller/media/processor.js';

export const ADMIN_PASSWORD = 'test-admin-password';

export interface TestController {
  c: Controller;
  api: Api;
  dataDir: string;
  config: Config;
  /** Stops the controller; keeps the data directory (for restart tests). */
  stop(): Promise<void>;
  /** Stops and removes the data directory. */
  close(): Promise<void>;
}

export async function testConfig(overrides: Partial<Config> = {}): Promise<Config> {
  const dataDir = overrides.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'loa-test-')));
  return {
    ...loadConfig({}),
    dataDir,
    httpHost: '127.0.0.1',
    httpPort: 0,
    mqttHost: '127.0.0.1',
    mqttPort: 0,
    mqttWsPort: 0,
    adminPassword: ADMIN_PASSWORD,
    demo: false,
    retryMs: 300,
    expiryGraceMs: 300,
    flushMs: 50,
    deviceSecretHashN: 1024,
    logLevel: 'silent',
    // Uploads answer with the media, not a job, however loaded the machine (tests of jobs set their own).
    mediaSyncMs: 120_000,
    ...overrides,
  };
}

export async function startTestController(overrides: Partial<Config> = {}, opts: ControllerOptions = {}): Promise<TestController> {
  const config = await testConfig(overrides);
  const audio = opts.processor === undefined && opts.audio === undefined ? await createAudioEngine(config) : opts.audio;
  const c = await startController(config, { logger: false, ...opts, audio });
  const api = new Api(c.httpUrl);
  await api.login('admin', ADMIN_PASSWORD);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await c.close();
  };
  return {
    c,
    api,
    dataDir: config.dataDir,
    config,
    stop,
    close: async () => {
      await stop();
      await fs.rm(config.dataDir, { recursive: true, force: true });
    },
  };
}

/** Registers zones and devices through the API; returns each device's id and secret. */
export async function provision(api: Api, layout: Record<string, number>, commune = 'xa-demo'): Promise<Array<{ id: string; secret: string; zoneId: string }>> {
  const out: Array<{ id: string; secret: string; zoneId: string }> = [];
  for (const [zoneId, count] of Object.entries(layout)) {
    const z = await api.post('/api/v1/zones', { id: zoneId, name: `Thôn ${zoneId}`, commune });
    if (z.status !== 201) throw new Error(`zone: ${z.status} ${JSON.stringify(z.body)}`);
    const regs = await Promise.all(
      Array.from({ length: count }, (_, i) => api.post('/api/v1/devices', { id: `${zoneId}-${String(i).padStart(4, '0')}`, zoneId, lat: 21 + i / 1000, lon: 105 + i / 1000 })),
    );
    for (const r of regs) {
      if (r.status !== 201) throw new Error(`device: ${r.status} ${JSON.stringify(r.body)}`);
      out.push({ id: r.body.device.id, secret: r.body.secret, zoneId });
    }
  }
  return out;
}

/** Uploads a generated tone through the API; returns the media record. */
export async function uploadTone(api: Api, seconds: number, title = 'Bản tin thử'): Promise<{ id: string; durationMs: number; sha256: string }> {
  const res = await api.upload('/api/v1/media', sineWav(seconds), 'tone.wav', { title });
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
