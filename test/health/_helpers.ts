/** Helpers of the health tests: a clock the test moves, a webhook receiver, the feature's handle, heartbeats awaited. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../controller/config.js';
import type { Feature } from '../../controller/feature.js';
import { startHealth, type HealthOptions, type RunningHealth } from '../../controller/health/feature.js';
import type { Alarm } from '../../controller/health/alarm-model.js';
import type { Controller } from '../../controller/runtime.js';
import { Fleet, type SimDevice } from '../../device-sim/index.js';
import { provision, startTestController, type TestController } from '../helpers/controller.js';
import { whenOnline } from '../helpers/wait.js';

export interface ManualClock {
  now(): number;
  set(t: number): void;
  advance(ms: number): number;
}

/** Stands still until the test moves it: hours pass in no time, and every time is known exactly. */
export function manualClock(start: number): ManualClock {
  let t = start;
  return {
    now: () => t,
    set: (x) => void (t = x),
    advance: (ms) => (t += ms),
  };
}

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export interface Hook {
  url: string;
  bodies: any[];
  /** Answer to each request by its index (0-based): a status, or 'hang' to never answer. */
  answer: (n: number) => number | 'hang';
  requests: number;
  until(pred: (bodies: any[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A local webhook receiver on an ephemeral port, recording each JSON body it accepted. */
export async function webhookServer(): Promise<Hook> {
  const waiters = new Set<() => void>();
  const sockets = new Set<import('node:net').Socket>();
  const hook: Hook = {
    url: '',
    bodies: [],
    answer: () => 200,
    requests: 0,
    until(pred, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pred(hook.bodies)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`webhook: timed out; got ${JSON.stringify(hook.bodies.map((b) => `${b.event} ${b.alarm?.type} ${b.alarm?.deviceId}`))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = hook.answer(hook.requests++);
      if (answer === 'hang') return;
      if (answer < 300) hook.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(answer).end();
      for (const w of [...waiters]) w();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return hook;
}

export interface HealthRig {
  t: TestController;
  health: () => RunningHealth;
  fleet: Fleet;
  devices: Array<{ id: string; secret: string; zoneId: string }>;
  sim(id: string): SimDevice;
  close(): Promise<void>;
}

export interface RigOptions {
  clock?: ManualClock;
  health?: Partial<HealthOptions>;
  /** Villages and their number of speakers, per commune. */
  communes: Record<string, Record<string, number>>;
  /** Heartbeat interval given to every speaker (s); long, so no speaker beats unless the test says so. */
  heartbeatS?: number;
  config?: Partial<Config>;
  /** Ids not to connect at start. */
  notStarted?: (id: string) => boolean;
}

/** The feature, keeping a handle on its running parts; its timer is slow unless asked: the test ticks. */
export function healthHandle(opts: Partial<HealthOptions> = {}): { feature: Feature; running: () => RunningHealth } {
  let running: RunningHealth | null = null;
  const feature: Feature = { name: 'health', start: async (ctx) => (running = await startHealth(ctx, { tickMs: HOUR, ...opts })) };
  return { feature, running: () => running! };
}

/** A controller with the health feature alone, speakers registered and simulated, all online. */
export async function healthRig(o: RigOptions): Promise<HealthRig> {
  const { feature, running } = healthHandle(o.health);
  const t = await startTestController({ sessionTtlMs: 400 * DAY, ...o.config }, { features: [feature], processor: null, ...(o.clock ? { clock: o.clock } : {}) });
  const devices = [];
  for (const [commune, layout] of Object.entries(o.communes)) devices.push(...(await provision(t.api, layout, commune)));
  for (const d of devices) await t.api.patch(`/api/v1/devices/${d.id}`, { heartbeatS: o.heartbeatS ?? 600 });
  const fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, reconnectMs: 30, seed: 3, heartbeatS: o.heartbeatS ?? 600 });
  const start = fleet.devices.filter((d) => !o.notStarted?.(d.id));
  await Promise.all(start.map((d) => d.start()));
  await whenOnline(t.c, start.map((d) => d.id));
  await clockSynced(t.c, start.map((d) => d.id));
  return {
    t,
    health: running,
    fleet,
    devices,
    sim: (id) => fleet.get(id)!,
    close: async () => {
      await fleet.stop();
      await t.close();
    },
  };
}

/**
 * Resolves once each speaker answered the controller's clock probe (sent at every birth): its acks
 * count as being heard, so a test that times silence waits for them first. No event tells this: a
 * bounded poll.
 */
export async function clockSynced(c: Controller, ids: string[], timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ids.every((id) => c.presence.get(id)?.clockOffsetMs != null)) {
    if (Date.now() > until) throw new Error('timed out waiting for the clock probes');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function busEvent(c: Controller, name: 'device.telemetry' | 'device.online' | 'device.offline', deviceId: string, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${name} of ${deviceId}`));
    }, timeoutMs);
    const off = c.bus.on(name, (e: { deviceId: string }) => {
      if (e.deviceId !== deviceId) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** Sends a heartbeat and resolves once the controller has taken it in. */
export async function beat(c: Controller, ...sims: SimDevice[]): Promise<void> {
  await Promise.all(
    sims.map((d) => {
      const seen = busEvent(c, 'device.telemetry', d.id);
      d.sendTelemetry();
      return seen;
    }),
  );
}

export function whenOffline(c: Controller, id: string): Promise<void> {
  return busEvent(c, 'device.offline', id);
}

export function whenBack(c: Controller, id: string): Promise<void> {
  return busEvent(c, 'device.online', id);
}

/** Resolves with the first alarm change matching `pred`. */
export function whenAlarm(h: RunningHealth, pred: (event: string, a: Alarm) => boolean, timeoutMs = 10_000): Promise<Alarm> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('timed out waiting for an alarm change'));
    }, timeoutMs);
    const off = h.alarms.onChange((event, a) => {
      if (!pred(event, a)) return;
      clearTimeout(timer);
      off();
      resolve(a);
    });
  });
}
