import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../device-sim/index.js';
import { provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { freePort } from '../helpers/process.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';

// The same controller against Mosquitto, configured the way docs/external-broker.md says:
// devices by password file, the protocol's access rules as pattern ACLs, no queue limit.
let mosquitto: ChildProcess;
let t: TestController;
let fleet: Fleet;
let port: number;
let dir: string;

async function startMosquitto(devices: Array<{ id: string; secret: string }>): Promise<void> {
  const passwd = path.join(dir, 'passwd');
  await fs.writeFile(passwd, '');
  execFileSync('mosquitto_passwd', ['-b', passwd, 'loa-controller', 'controller-secret']);
  for (const d of devices) execFileSync('mosquitto_passwd', ['-b', passwd, d.id, d.secret]);
  await fs.writeFile(
    path.join(dir, 'acl'),
    ['user loa-controller', 'topic readwrite loa/v1/#', '', 'pattern read loa/v1/d/%u/cmd', 'pattern read loa/v1/d/%u/config', 'pattern write loa/v1/d/%u/ack', 'pattern write loa/v1/d/%u/state', 'pattern write loa/v1/d/%u/tele', ''].join('\n'),
  );
  await fs.writeFile(
    path.join(dir, 'mosquitto.conf'),
    [`listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${passwd}`, `acl_file ${path.join(dir, 'acl')}`, 'max_queued_messages 0', 'persistence false', ...(process.getuid?.() === 0 ? ['user root'] : []), ''].join('\n'),
  );
  mosquitto = spawn('mosquitto', ['-c', path.join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const onData = (b: Buffer) => {
      log += b.toString();
      if (log.includes('running')) resolve();
    };
    mosquitto.stdout!.on('data', onData);
    mosquitto.stderr!.on('data', onData);
    mosquitto.once('exit', (code) => reject(new Error(`mosquitto exited ${code}: ${log}`)));
  });
}

beforeAll(async () => {
  port = await freePort();
  // A first controller only to register devices and get their secrets; the one under test uses Mosquitto.
  const registrar = await startTestController();
  dir = registrar.dataDir;
  const devices = await provision(registrar.api, { 'thon-a': 20 });
  await registrar.stop();
  await startMosquitto(devices);
  t = await startTestController({ dataDir: dir, mqttUrl: `mqtt://127.0.0.1:${port}`, mqttUsername: 'loa-controller', mqttPassword: 'controller-secret' });
  fleet = new Fleet({ brokerUrl: `mqtt://127.0.0.1:${port}`, devices, speed: 20, seed: 5 });
  await fleet.start();
  await whenOnline(t.c, devices.map((d) => d.id));
});
afterAll(async () => {
  await fleet?.stop();
  await t?.close();
  mosquitto?.kill();
});

describe('against an external broker (Mosquitto)', () => {
  it('starts no broker of its own and delivers a broadcast through Mosquitto', async () => {
    expect(t.c.broker).toBeNull();
    const tone = await uploadTone(t.api, 1);
    const res = await t.api.post('/api/v1/broadcasts', { title: 'Qua Mosquitto', mediaId: tone.id, targets: { all: true }, priority: 1 });
    const s = await whenSummary(t.c, res.body.id, (x) => x.done === 20);
    expect(s).toMatchObject({ targeted: 20, done: 20, noAnswer: 0 });
  });
});
