import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLowStore } from '../../controller/store/lowdb-store.js';
import type { Delivery, Zone } from '../../controller/store/records.js';
import type { Store } from '../../controller/store/store.js';

const dirs: string[] = [];
const stores: Store[] = [];
async function open(dataDir?: string, flushMs = 20): Promise<Store> {
  const dir = dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'loa-store-')));
  dirs.push(dir);
  const s = await openLowStore({ dataDir: dir, flushMs });
  stores.push(s);
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

const zone = (id: string): Zone => ({ id, name: `Thôn ${id}`, commune: 'xa', kind: 'village', createdAt: 1 });
const delivery = (deviceId: string): Delivery => ({ deviceId, cmdId: `j~${deviceId}`, state: 'pending', at: {}, attempts: 0, lastSentAt: null, nextRetryAt: null, error: null, lateMs: null });

describe('lowdb store', () => {
  it('keeps collections across a reopen once flushed, and Vietnamese text intact', async () => {
    const s = await open();
    s.zones.put({ ...zone('a'), name: 'Thôn Đông Hưng' });
    s.zones.put(zone('b'));
    s.zones.delete('b');
    await s.flush();
    const again = await open(s.dataDir);
    expect(again.zones.all()).toEqual([{ ...zone('a'), name: 'Thôn Đông Hưng' }]);
  });

  it('coalesces many changes into few writes', async () => {
    const s = await open(undefined, 50);
    const file = path.join(s.dataDir, 'config', 'zones.json');
    let writes = 0;
    const watcher = fs.watch(path.dirname(file));
    const counting = (async () => {
      for await (const e of watcher) if (e.filename === 'zones.json') writes++;
    })().catch(() => undefined);
    for (let i = 0; i < 500; i++) s.zones.put(zone(`z${i}`));
    await s.flush();
    const onDisk = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(Object.keys(onDisk.items)).toHaveLength(500);
    // 500 puts, one rename (plus at most a couple of fs events for it).
    expect(writes).toBeLessThanOrEqual(4);
    void counting;
  });

  it('writes each job in a document of its own, durable when create() resolves', async () => {
    const s = await open(undefined, 10_000);
    await s.deliveries.create('job-1', [delivery('d1'), delivery('d2')]);
    const onDisk = JSON.parse(await fs.readFile(path.join(s.dataDir, 'deliveries', 'job-1.json'), 'utf8'));
    expect(onDisk.deliveries.map((d: Delivery) => d.deviceId)).toEqual(['d1', 'd2']);
    const live = s.deliveries.loaded('job-1')!;
    live.get('d1')!.state = 'done';
    s.deliveries.touch('job-1');
    await s.deliveries.flush();
    const again = await open(s.dataDir);
    expect((await again.deliveries.read('job-1')).find((d) => d.deviceId === 'd1')!.state).toBe('done');
  });

  it('refuses a job id that could leave the deliveries folder', async () => {
    const s = await open();
    await expect(s.deliveries.create('../evil', [])).rejects.toThrow(/unsafe/);
    expect(await s.deliveries.read('../../config/users')).toEqual([]);
  });

  it('appends history as JSON lines per day and answers range queries', async () => {
    const s = await open();
    const day1 = Date.UTC(2026, 10, 22, 23, 59);
    const day2 = Date.UTC(2026, 10, 23, 0, 1);
    s.audit.append({ ts: day1, userId: 'u', username: 'cán bộ', action: 'POST /x', target: null, ip: null });
    s.audit.append({ ts: day2, userId: 'u', username: 'cán bộ', action: 'POST /y', target: null, ip: null });
    await s.flush();
    const files = (await fs.readdir(path.join(s.dataDir, 'history', 'audit'))).sort();
    expect(files).toEqual(['2026-11-22.jsonl', '2026-11-23.jsonl']);
    expect((await s.audit.query({ from: day2 })).map((e) => e.action)).toEqual(['POST /y']);
    expect((await s.audit.query({})).map((e) => e.username)).toEqual(['cán bộ', 'cán bộ']);
  });

  it('splits a fleet’s telemetry into shard files; one speaker’s query reads only its shard', async () => {
    const s = await open();
    const ts = Date.UTC(2026, 10, 23, 8, 0);
    const ids = Array.from({ length: 200 }, (_, i) => `loa-${i}`);
    for (const [i, deviceId] of ids.entries()) s.telemetry.append({ ts: ts + i, deviceId, data: { rssi: -60 - (i % 30) } });
    await s.flush();
    const files = await fs.readdir(path.join(s.dataDir, 'history', 'telemetry'));
    expect(files.length).toBeGreaterThan(16);
    expect(files.every((f) => /^2026-11-23\.s\d{2}\.jsonl$/.test(f))).toBe(true);

    const one = await s.telemetry.query({ from: ts, to: ts + 1000, key: 'loa-7' }, (e) => e.deviceId === 'loa-7');
    expect(one).toEqual([{ ts: ts + 7, deviceId: 'loa-7', data: { rssi: -67 } }]);
    // Unfiltered, the key's shard holds only a share of the fleet.
    const shard = await s.telemetry.query({ from: ts, to: ts + 1000, key: 'loa-7' });
    expect(shard.length).toBeLessThan(40);
    expect(shard.map((e) => e.deviceId)).toContain('loa-7');
    expect((await s.telemetry.query({ from: ts, to: ts + 1000 })).length).toBe(200);
  });
});
