import { afterAll, describe, expect, it } from 'vitest';
import { Api } from '../helpers/api.js';
import { provision, startTestController, uploadTone } from '../helpers/controller.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('a district-wide broadcast seen from a commune', () => {
  it('shows on the commune’s own speakers only, and only the district may cancel it', async () => {
    const t = await startTestController();
    cleanups.push(() => t.close());
    await provision(t.api, { 'thon-a': 3 }, 'xa-a');
    await provision(t.api, { 'thon-b': 2 }, 'xa-b');
    const tone = await uploadTone(t.api, 1);
    expect((await t.api.post('/api/v1/users', { username: 'canbo-a', password: 'mat-khau-rat-dai-1', role: 'officer', commune: 'xa-a' })).status).toBe(201);
    const officer = new Api(t.c.httpUrl);
    await officer.login('canbo-a', 'mat-khau-rat-dai-1');

    const everywhere = (await t.api.post('/api/v1/broadcasts', { title: 'Thông báo của huyện', mediaId: tone.id, targets: { all: true }, priority: 2 })).body;
    const elsewhere = (await t.api.post('/api/v1/broadcasts', { title: 'Chỉ xã B', mediaId: tone.id, targets: { zones: ['thon-b'] }, priority: 1 })).body;
    expect(everywhere.targeted).toBe(5);

    const listed = (await officer.get('/api/v1/broadcasts')).body.items;
    expect(listed.map((b: { id: string }) => b.id)).toEqual([everywhere.id]);
    expect(listed[0]).toMatchObject({ scope: 'own-speakers', targeted: 3 });
    expect(listed[0].summary.targeted).toBe(3);
    const deliveries = (await officer.get(`/api/v1/broadcasts/${everywhere.id}/deliveries`)).body.items;
    expect(deliveries.map((d: { deviceId: string }) => d.deviceId).sort()).toEqual(['thon-a-0000', 'thon-a-0001', 'thon-a-0002']);
    expect((await officer.get(`/api/v1/broadcasts/${elsewhere.id}`)).status).toBe(404);

    expect((await officer.post(`/api/v1/broadcasts/${everywhere.id}/cancel`)).status).toBe(404);
    expect((await t.api.get(`/api/v1/broadcasts/${everywhere.id}`)).body).toMatchObject({ scope: 'all', targeted: 5, status: 'active' });
  });
});
