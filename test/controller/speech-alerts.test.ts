import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../device-sim/index.js';
import { provision, startTestController, type TestController } from '../helpers/controller.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';

let t: TestController;
let fleet: Fleet;

beforeAll(async () => {
  t = await startTestController();
  const devices = await provision(t.api, { 'thon-a': 4 });
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 50 });
  await fleet.start();
  await whenOnline(t.c, devices.map((d) => d.id));
});
afterAll(async () => {
  await fleet.stop();
  await t.close();
});

describe('text to speech through the API', () => {
  it('speaks Vietnamese text into a medium that keeps the text, longer text longer', async () => {
    expect(t.c.speech.available).toBe(true);
    const short = await t.api.post('/api/v1/media/tts', { text: 'Thông báo khẩn.' });
    const long = await t.api.post('/api/v1/media/tts', { text: 'Thông báo khẩn: bão số 3 sắp đổ bộ, đề nghị bà con chằng chống nhà cửa. Không ra biển, không đi qua ngầm tràn.' });
    expect(short.status).toBe(201);
    expect(long.body.text).toBe('Thông báo khẩn: bão số 3 sắp đổ bộ, đề nghị bà con chằng chống nhà cửa. Không ra biển, không đi qua ngầm tràn.');
    expect(long.body.durationMs).toBeGreaterThan(short.body.durationMs * 2);
  });
});

describe('alert audio', () => {
  it('a drill from text: siren, the drill announcement and the spoken message, marked as a drill end to end', async () => {
    const spoken = await t.api.post('/api/v1/media/tts', { text: 'Sạt lở đất ở thôn A.' });
    const res = await t.api.post('/api/v1/alerts', { hazard: 'landslide', riskLevel: 3, title: 'Sạt lở', message: { text: 'Sạt lở đất ở thôn A.' }, targets: { all: true }, signal: 'siren', drill: true });
    expect(res.status).toBe(201);
    expect(res.body.kind).toBe('drill');
    const media = await t.api.get(`/api/v1/media/${res.body.mediaId}`);
    // Six seconds of siren and the drill announcement come before the message itself.
    expect(media.body.durationMs).toBeGreaterThan(spoken.body.durationMs + 6000);
    const b = await t.api.get(`/api/v1/broadcasts/${res.body.repetitions[0].broadcastId}`);
    expect(b.body.title).toMatch(/^\[DIỄN TẬP \/ DRILL\]/);
    expect(b.body.priority).toBe(3);
    await whenSummary(t.c, b.body.id, (s) => s.done === 4);
  });
});
