/**
 * The demo commune `npm start` brings up unless LOA_DEMO=0: a few villages and simulated speakers
 * (the same simulator technicians train with). Demo secrets are kept in data/demo-fleet.json
 * (mode 0600) so the demo fleet reconnects after a restart; real speakers' secrets are never kept.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Fleet } from '../device-sim/index.js';
import type { Actor } from './auth/permissions.js';
import type { Controller } from './runtime.js';

const COMMUNE = 'xa-tan-lap';
const VILLAGES = [
  { id: 'thon-dong', name: 'Thôn Đông', lat: 21.0285, lon: 105.8542 },
  { id: 'thon-tay', name: 'Thôn Tây', lat: 21.0301, lon: 105.8401 },
  { id: 'thon-trung', name: 'Thôn Trung', lat: 21.0352, lon: 105.8477 },
  { id: 'to-dan-pho-1', name: 'Tổ dân phố 1', lat: 21.0233, lon: 105.8488 },
];
const SYSTEM: Actor = { id: 'system', username: 'demo', role: 'admin', commune: null };

type DemoSecrets = Record<string, string>;

/** The file is `[{id, secret}]`, the format `npm run sim -- --devices <file>` reads. */
async function readSecrets(file: string): Promise<DemoSecrets> {
  try {
    const list = JSON.parse(await fs.readFile(file, 'utf8')) as Array<{ id: string; secret: string }>;
    return Object.fromEntries(list.map((d) => [d.id, d.secret]));
  } catch {
    return {};
  }
}

async function ensureFleet(c: Controller, count: number, secrets: DemoSecrets): Promise<Array<{ id: string; secret: string }>> {
  for (const v of VILLAGES) if (!c.store.zones.get(v.id)) await c.zones.create(SYSTEM, { id: v.id, name: v.name, commune: COMMUNE, kind: v.id.startsWith('to-') ? 'residential_group' : 'village' });
  const devices: Array<{ id: string; secret: string }> = [];
  for (let i = 0; i < count; i++) {
    const v = VILLAGES[i % VILLAGES.length]!;
    const id = `loa-${v.id}-${String(Math.floor(i / VILLAGES.length) + 1).padStart(2, '0')}`;
    let secret = secrets[id];
    if (!c.store.devices.get(id)) {
      const jitter = (n: number) => ((((i * 7919 + n) % 1000) / 1000) - 0.5) * 0.006;
      secret = (await c.registry.register(SYSTEM, { id, name: `Loa ${v.name} ${Math.floor(i / VILLAGES.length) + 1}`, zoneId: v.id, lat: v.lat + jitter(1), lon: v.lon + jitter(2), model: 'loa-sim' })).secret;
    } else if (!secret || (await c.registry.verifyDevice(id, secret)) !== 'ok') {
      secret = await c.registry.rotateSecret(SYSTEM, id);
    }
    devices.push({ id, secret: secret! });
  }
  return devices;
}

export async function startDemo(c: Controller, count: number): Promise<{ devices: number; zones: number; stop(): Promise<void> }> {
  const file = path.join(c.config.dataDir, 'demo-fleet.json');
  const devices = await ensureFleet(c, count, await readSecrets(file));
  await fs.writeFile(file, JSON.stringify(devices, null, 1), { mode: 0o600 });
  const fleet = new Fleet({ brokerUrl: c.mqttUrl, devices, speed: 1, seed: 1 });
  await fleet.start();
  return { devices: devices.length, zones: VILLAGES.length, stop: () => fleet.stop() };
}
