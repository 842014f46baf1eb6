/**
 * bench/import: provisioning N speakers from one CSV file through the whole controller (HTTP →
 * CSV parse and validation → registry: scrypt hash, store, retained config), beside a baseline in
 * the same run: N plain scrypt hashes at the same cost and the same concurrency.
 *
 *   npx tsx bench/import.ts [--rows 10000] [--n 4096] [--batch 64]
 *
 * --n: the scrypt cost (LOA_SECRET_HASH_N; default: the controller's default).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashSecret, newSecret } from '../controller/auth/hash.js';
import { loadConfig } from '../controller/config.js';
import { fleetOpsFeatureWith } from '../controller/fleetops/feature.js';
import { startController } from '../controller/runtime.js';
import { Api } from '../test/helpers/api.js';

const defaults = loadConfig({});
const { values } = parseArgs({ options: { rows: { type: 'string', default: '10000' }, n: { type: 'string', default: String(defaults.deviceSecretHashN) }, batch: { type: 'string', default: '64' } } });
const ROWS = Number(values.rows);
const N = Number(values.n);
const BATCH = Number(values.batch);
const VILLAGES = ['Thôn Đông', 'Thôn Tây', 'Thôn Nam', 'Thôn Bắc', 'Thôn Thượng', 'Thôn Hạ', 'Xóm Mới', 'Xóm Chợ', 'Tổ dân phố 1', 'Tổ dân phố 2'];

function csvFile(): string {
  const lines = Array.from({ length: ROWS }, (_, i) => {
    const lat = (20.5 + (i % 1000) / 10_000).toFixed(5);
    const lon = (105.5 + Math.floor(i / 1000) / 1000).toFixed(5);
    return `loa-${String(i).padStart(5, '0')},"Loa ${VILLAGES[i % VILLAGES.length]}, cột ${i}",${VILLAGES[i % VILLAGES.length]},${lat},${lon},LS-100`;
  });
  return ['\uFEFFid,name,village,latitude,longitude,model', ...lines].join('\r\n');
}

async function baseline(): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < ROWS; i += BATCH) await Promise.all(Array.from({ length: Math.min(BATCH, ROWS - i) }, () => hashSecret(newSecret(), N)));
  return performance.now() - t0;
}

async function throughController(): Promise<{ importMs: number; registered: number; csvBytes: number }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'loa-bench-import-'));
  const config = { ...defaults, dataDir, httpHost: '127.0.0.1', httpPort: 0, mqttHost: '127.0.0.1', mqttPort: 0, mqttWsPort: null, adminPassword: 'bench-admin-pw', demo: false, deviceSecretHashN: N, logLevel: 'silent' };
  const c = await startController(config, { logger: false, processor: null, features: [fleetOpsFeatureWith({ import: { batchSize: BATCH } })] });
  try {
    const api = new Api(c.httpUrl);
    await api.login('admin', 'bench-admin-pw');
    for (const [i, name] of VILLAGES.entries()) await api.post('/api/v1/zones', { id: `thon-${i}`, name, commune: 'xa-bench' });
    const body = csvFile();
    const t0 = performance.now();
    const res = await fetch(`${c.httpUrl}/api/v1/devices/import`, { method: 'POST', headers: { authorization: `Bearer ${api.token}`, 'content-type': 'text/csv' }, body });
    const answer = (await res.json()) as { count?: number; error?: unknown };
    const importMs = performance.now() - t0;
    if (res.status !== 201) throw new Error(`import: ${res.status} ${JSON.stringify(answer).slice(0, 500)}`);
    return { importMs, registered: c.store.devices.all().length, csvBytes: Buffer.byteLength(body) };
  } finally {
    await c.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

const result = await throughController();
const baseMs = await baseline();
const s = (ms: number) => (ms / 1000).toFixed(1);
console.log(`rows ${ROWS}, scrypt N=${N} r=8 p=1, batch ${BATCH}, CSV ${(result.csvBytes / 1024).toFixed(0)} KiB, ${os.cpus().length} cores`);
console.log(`import through the controller: ${s(result.importMs)} s (${(result.importMs / ROWS).toFixed(2)} ms/row), ${result.registered} devices registered`);
console.log(`baseline, ${ROWS} plain scrypt hashes: ${s(baseMs)} s (${(baseMs / ROWS).toFixed(2)} ms/hash)`);
console.log(`ratio import / baseline: ${(result.importMs / baseMs).toFixed(2)}`);
