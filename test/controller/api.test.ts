import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../helpers/api.js';
import { provision, startTestController, type TestController } from '../helpers/controller.js';

let t: TestController;
const as: Record<string, Api> = {};

beforeAll(async () => {
  t = await startTestController();
  await provision(t.api, { 'thon-dong': 2 }, 'xa-a');
  await provision(t.api, { 'thon-tay': 2 }, 'xa-b');
  const accounts = [
    { username: 'canbo-a', role: 'officer', commune: 'xa-a' },
    { username: 'kythuat', role: 'technician', commune: null },
    { username: 'xem', role: 'viewer', commune: null },
  ];
  for (const a of accounts) {
    const res = await t.api.post('/api/v1/users', { ...a, password: 'mat-khau-123' });
    expect(res.status).toBe(201);
    as[a.username] = new Api(t.c.httpUrl);
    await as[a.username]!.login(a.username, 'mat-khau-123');
  }
});
afterAll(async () => t.close());

describe('errors', () => {
  it('answers invalid input with 400, a code and a message in Vietnamese and English, never a stack', async () => {
    const res = await t.api.post('/api/v1/broadcasts', { title: '', targets: { all: true }, priority: 9 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('LOA_BAD_REQUEST');
    expect(res.body.error.messageVi).toMatch(/không hợp lệ/);
    expect(res.body.error.messageEn).toMatch(/not valid/);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers an unknown id with 404 and an unknown path with 404', async () => {
    const res = await t.api.get('/api/v1/devices/khong-co');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('LOA_NOT_FOUND');
    expect((await t.api.get('/api/v1/khong-co')).status).toBe(404);
  });

  it('answers a broadcast to nobody with 422 and one with two sources with 400', async () => {
    await t.api.patch('/api/v1/devices/thon-dong-0000', { disabled: true });
    await t.api.patch('/api/v1/devices/thon-dong-0001', { disabled: true });
    const none = await t.api.post('/api/v1/broadcasts', { title: 'x', streamUrl: 'http://127.0.0.1:9/live', targets: { zones: ['thon-dong'] }, priority: 1 });
    expect(none.status).toBe(422);
    expect(none.body.error.code).toBe('LOA_BROADCAST_NO_TARGETS');
    await t.api.patch('/api/v1/devices/thon-dong-0000', { disabled: false });
    await t.api.patch('/api/v1/devices/thon-dong-0001', { disabled: false });
    const two = await t.api.post('/api/v1/broadcasts', { title: 'x', mediaId: 'm-1', streamUrl: 'http://x/y', targets: { all: true }, priority: 1 });
    expect(two.status).toBe(400);
    expect(two.body.error.code).toBe('LOA_BROADCAST_SOURCE');
  });
});

describe('sign-in, roles and areas', () => {
  it('refuses requests without a session and wrong passwords', async () => {
    expect((await new Api(t.c.httpUrl).get('/api/v1/devices')).status).toBe(401);
    const bad = await new Api(t.c.httpUrl).post('/api/v1/auth/login', { username: 'admin', password: 'sai' });
    expect(bad.status).toBe(401);
    expect(bad.body.error.messageVi).toMatch(/Sai tên đăng nhập/);
  });

  it('lets each role do only its own work', async () => {
    const stream = { title: 'Tin sáng', streamUrl: 'http://127.0.0.1:9/live', targets: { all: true }, priority: 1 };
    expect((await as.xem!.post('/api/v1/broadcasts', stream)).status).toBe(403);
    expect((await as.kythuat!.post('/api/v1/broadcasts', stream)).status).toBe(403);
    expect((await as['canbo-a']!.post('/api/v1/devices', { id: 'moi-1', zoneId: 'thon-dong' })).status).toBe(403);
    expect((await as.kythuat!.post('/api/v1/devices/thon-tay-0000/commands', { type: 'volume', volume: 40 })).status).toBe(202);
    expect((await as.xem!.post('/api/v1/devices/thon-tay-0000/commands', { type: 'reboot' })).status).toBe(403);
    expect((await as['canbo-a']!.get('/api/v1/users')).status).toBe(403);
    expect((await as.xem!.get('/api/v1/devices')).status).toBe(200);
  });

  it("shows a commune account only its own commune's zones and speakers", async () => {
    const zones = await as['canbo-a']!.get('/api/v1/zones');
    expect(zones.body.items.map((z: { id: string }) => z.id)).toEqual(['thon-dong']);
    const devices = await as['canbo-a']!.get('/api/v1/devices');
    expect(devices.body.items.map((d: { id: string }) => d.id).sort()).toEqual(['thon-dong-0000', 'thon-dong-0001']);
    expect((await as['canbo-a']!.get('/api/v1/devices/thon-tay-0000')).status).toBe(404);
    const all = await as['canbo-a']!.post('/api/v1/broadcasts', { title: 'Tin xã A', streamUrl: 'http://127.0.0.1:9/live', targets: { all: true }, priority: 1 });
    expect(all.status).toBe(201);
    expect(all.body.summary.targeted).toBe(2);
    const other = await as['canbo-a']!.post('/api/v1/broadcasts', { title: 'x', streamUrl: 'http://127.0.0.1:9/live', targets: { zones: ['thon-tay'] }, priority: 1 });
    expect(other.status).toBe(404);
  });

  it('writes every change to the audit log with who, what and from where', async () => {
    await t.c.store.flush();
    const audit = await t.api.get('/api/v1/audit');
    expect(audit.status).toBe(200);
    const entries = audit.body.items as Array<{ username: string; action: string; ip: string; details: { status: number } }>;
    const created = entries.find((e) => e.username === 'canbo-a' && e.action === 'POST /api/v1/broadcasts' && e.details.status === 201);
    expect(created?.ip).toBe('127.0.0.1');
    expect(entries.some((e) => e.action === 'POST /api/v1/auth/login' && e.username === 'admin' && e.details.status === 401)).toBe(true);
    expect((await as.xem!.get('/api/v1/audit')).status).toBe(403);
  });

  it('serves the OpenAPI document at /docs and liveness at /healthz', async () => {
    const doc = await new Api(t.c.httpUrl).get('/docs/json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/broadcasts');
    const health = await new Api(t.c.httpUrl).get('/healthz');
    expect(health.body.ok).toBe(true);
  });
});
