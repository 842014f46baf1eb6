import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { SimDevice } from '../../device-sim/index.js';
import { fleetOpsFeature } from '../../controller/fleetops/feature.js';
import { ImportService } from '../../controller/fleetops/provisioning.js';
import { FleetOpsState } from '../../controller/fleetops/state.js';
import type { DeviceRegistry } from '../../controller/devices/registry.js';
import { commonErrors } from '../../controller/errors.js';
import { startTestController, type TestController } from '../helpers/controller.js';
import { ADMIN } from './_rollout.js';

let t: TestController;
const HEADER = 'id,name,village,latitude,longitude,model';

async function postCsv(text: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.c.httpUrl}/api/v1/devices/import`, { method: 'POST', headers: { authorization: `Bearer ${t.api.token}`, 'content-type': 'text/csv; charset=utf-8' }, body: text });
  return { status: res.status, body: await res.json() };
}
const deviceIds = async (): Promise<string[]> => (await t.api.get('/api/v1/devices')).body.items.map((d: { id: string }) => d.id).sort();

beforeAll(async () => {
  t = await startTestController({}, { features: [fleetOpsFeature], processor: null });
  await t.api.post('/api/v1/zones', { id: 'thon-dong', name: 'Thôn Đông', commune: 'xa-demo' });
  await t.api.post('/api/v1/zones', { id: 'thon-tay', name: 'Thôn Tây', commune: 'xa-demo' });
  expect((await t.api.post('/api/v1/devices', { id: 'loa-co-san', zoneId: 'thon-dong' })).status).toBe(201);
});
afterAll(async () => t?.close());

describe('provisioning speakers from the installer CSV', () => {
  it('reports every bad row by line in Vietnamese and English, and registers nothing', async () => {
    const before = await deviceIds();
    const csv = [
      `\uFEFF${HEADER}`,
      'loa-001,Loa đầu làng,Thôn Đông,21.0285,105.8542,LS-100',
      '"loa-002","Loa chợ, cổng chính",thon-tay,"21,03",105.85,LS-100',
      'LOA 003,Loa sai mã,thon-dong,21,105,',
      'loa-001,Loa trùng mã,thon-dong,21,105,',
      'loa-co-san,Đã đăng ký,thon-dong,21,105,',
      'loa-004,Sai thôn,Thôn Bắc,21,105,',
      'loa-005,Sai toạ độ,thon-dong,210.5,105,',
      'loa-006,Thiếu cột,thon-dong,21',
    ].join('\r\n');
    const res = await postCsv(csv);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('LOA_IMPORT_INVALID');
    expect(res.body.error.messageVi).toMatch(/6 dòng lỗi; chưa đăng ký loa nào/);
    const errors = res.body.error.details.errors as Array<{ line: number; code: string; messageVi: string; messageEn: string }>;
    expect(errors.map((e) => [e.line, e.code])).toEqual([
      [4, 'bad_id'],
      [5, 'duplicate_in_file'],
      [6, 'already_registered'],
      [7, 'unknown_village'],
      [8, 'bad_coordinates'],
      [9, 'missing_column'],
    ]);
    expect(errors[1]!.messageVi).toMatch(/trùng với dòng 2/);
    expect(errors[1]!.messageEn).toMatch(/repeats line 2/);
    expect(errors[3]!.messageVi).toContain('Thôn Bắc');
    expect(await deviceIds()).toEqual(before);
  });

  it('reports a header without a needed column at line 1', async () => {
    const res = await postCsv('id,name,village,latitude,model\nloa-1,A,thon-dong,21,LS');
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors).toMatchObject([{ line: 1, code: 'missing_header' }]);
  });

  it('registers a good file, shows the secrets once, and serves the provisioning file exactly once', async () => {
    const nfdVillage = 'Thôn Tây'.normalize('NFD');
    const csv = `\uFEFF${HEADER}\nloa-101,Loa đầu làng,Thôn Đông,21.0285,105.8542,LS-100\nloa-102,"Loa chợ, cổng chính",${nfdVillage},,,\n`;
    const res = await postCsv(csv);
    expect(res.status).toBe(201);
    expect(res.body.count).toBe(2);
    const secrets = new Map<string, string>(res.body.devices.map((d: { id: string; secret: string }) => [d.id, d.secret]));
    expect(res.body.devices.find((d: { id: string }) => d.id === 'loa-102')).toMatchObject({ zoneId: 'thon-tay', name: 'Loa chợ, cổng chính' });
    const listed = (await t.api.get('/api/v1/devices/loa-101')).body;
    expect(listed).toMatchObject({ name: 'Loa đầu làng', zoneId: 'thon-dong', lat: 21.0285, lon: 105.8542, model: 'LS-100' });
    expect(JSON.stringify(listed)).not.toContain(secrets.get('loa-101'));

    const file = await fetch(t.c.httpUrl + res.body.provisioningCsv, { headers: { authorization: `Bearer ${t.api.token}` } });
    expect(file.status).toBe(200);
    const bytes = Buffer.from(await file.arrayBuffer());
    // A UTF-8 BOM, so a spreadsheet shows the Vietnamese names right.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    const rows = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.id, r.secret])).toEqual([...secrets.entries()]);
    expect(rows[1]!.name).toBe('Loa chợ, cổng chính');
    expect((await fetch(t.c.httpUrl + res.body.provisioningCsv, { headers: { authorization: `Bearer ${t.api.token}` } })).status).toBe(410);

    // The secret works: the speaker connects with it.
    const speaker = new SimDevice({ id: 'loa-101', secret: secrets.get('loa-101')!, brokerUrl: t.c.mqttUrl });
    await speaker.start();
    expect(speaker.online).toBe(true);
    await speaker.stop();
  });

  it('registers 500 rows in concurrent batches', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `bulk-${String(i).padStart(5, '0')},Loa số ${i},${i % 2 ? 'Thôn Đông' : 'thon-tay'},${(20 + i / 10_000).toFixed(4)},105.5,LS-100`);
    const res = await postCsv([HEADER, ...lines].join('\n'));
    expect(res.status).toBe(201);
    expect(res.body.count).toBe(500);
    expect(new Set(res.body.devices.map((d: { secret: string }) => d.secret)).size).toBe(500);
    expect((await deviceIds()).filter((id) => id.startsWith('bulk-'))).toHaveLength(500);
  });

  it('undoes every registration when one fails midway (all or nothing)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'loa-import-'));
    const state = await FleetOpsState.open(dir, 20, () => undefined);
    const real = t.c.registry;
    // A registry whose 150th registration is refused, as if someone registered that id meanwhile.
    const flaky = Object.create(real) as DeviceRegistry;
    flaky.register = (actor, input) => (input.id === 'half-0149' ? Promise.reject(commonErrors.LOA_CONFLICT({ what: 'Loa / device', id: input.id })) : real.register(actor, input));
    const imports = new ImportService({ registry: flaky, store: t.c.store, state, clock: { now: () => Date.now() } }, { batchSize: 32 });
    const before = await deviceIds();
    const lines = Array.from({ length: 300 }, (_, i) => `half-${String(i).padStart(4, '0')},Loa ${i},thon-dong,,,`);
    await expect(imports.import(ADMIN, [HEADER, ...lines].join('\n'))).rejects.toMatchObject({ code: 'LOA_IMPORT_ABORTED', status: 409 });
    expect(await deviceIds()).toEqual(before);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
