/**
 * npm run sim -- --url mqtt://localhost:1883 --devices devices.json [--speed 20] [--offline 0.1] [--flap 0.05] ...
 * Runs a fleet of simulated speakers against a broker; prints a live summary; stops cleanly on Ctrl-C.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isDeviceId } from '../protocol/index.js';
import { LoaError } from '../controller/errors.js';
import { simErrors } from './errors.js';
import { Fleet, FleetStartError, type FleetDevice, type FleetOptions } from './fleet.js';

const HELP = `Trình mô phỏng loa Loa / Loa speaker simulator
  --url URL            broker: mqtt://host:1883, mqtts://…, ws://host:port/mqtt (bắt buộc / required)
  --devices FILE       [{"id","secret"}] from the controller's provisioning export (bắt buộc / required)
  --speed N            playback speed factor (default 1)
  --offline SHARE      share of devices that stay offline (0..1)
  --flap SHARE         share of devices whose link drops now and then (0..1)
  --flap-interval MS   how often a flapping link drops (default 10000)
  --ack-loss RATE      share of acks lost (0..1)
  --skew MS            clock skew, uniform ±MS
  --seed N             random seed (default 1)
  --concurrency N      connections opened at once (default 200)
  --ca FILE            CA certificate for mqtts:// or wss://
  --insecure           do not verify the broker's certificate`;

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    devices: { type: 'string' },
    speed: { type: 'string' },
    offline: { type: 'string' },
    flap: { type: 'string' },
    'flap-interval': { type: 'string' },
    'ack-loss': { type: 'string' },
    skew: { type: 'string' },
    seed: { type: 'string' },
    concurrency: { type: 'string' },
    ca: { type: 'string' },
    insecure: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

function num(name: string, min: number, max: number): number | undefined {
  const raw = values[name as keyof typeof values];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw simErrors.LOA_SIM_ARGUMENT({ name: `--${name}`, value: raw });
  return n;
}

async function readDevices(path: string): Promise<FleetDevice[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw simErrors.LOA_SIM_DEVICES_FILE({ path });
  }
  if (!Array.isArray(json)) throw simErrors.LOA_SIM_DEVICES_FORMAT({ index: '-' });
  json.forEach((d: unknown, index) => {
    const e = d as Partial<FleetDevice> | null;
    if (typeof e?.id !== 'string' || !isDeviceId(e.id) || typeof e.secret !== 'string') throw simErrors.LOA_SIM_DEVICES_FORMAT({ index });
  });
  return (json as FleetDevice[]).map((d) => ({ id: d.id, secret: d.secret }));
}

async function options(): Promise<FleetOptions> {
  if (!values.url || !values.devices) throw simErrors.LOA_SIM_ARGUMENT({ name: values.url ? '--devices' : '--url', value: '(thiếu / missing)' });
  const opt = (key: keyof FleetOptions, v: unknown) => (v === undefined ? {} : { [key]: v });
  return {
    brokerUrl: values.url,
    devices: await readDevices(values.devices),
    ...opt('speed', num('speed', 0.01, 100_000)),
    ...opt('offlineShare', num('offline', 0, 1)),
    ...opt('flapShare', num('flap', 0, 1)),
    ...opt('flapIntervalMs', num('flap-interval', 100, 86_400_000)),
    ...opt('ackLossRate', num('ack-loss', 0, 1)),
    ...opt('clockSkewMaxMs', num('skew', 0, 86_400_000)),
    ...opt('seed', num('seed', 0, 2 ** 32)),
    ...opt('connectConcurrency', num('concurrency', 1, 10_000)),
    ...(values.ca || values.insecure ? { tls: { ...(values.ca ? { ca: await readFile(values.ca) } : {}), ...(values.insecure ? { rejectUnauthorized: false } : {}) } } : {}),
    shareDownloads: true,
  };
}

function summary(fleet: Fleet): string {
  const s = fleet.stats();
  return `trực tuyến/online ${s.online}/${s.devices} · đang phát/playing ${s.playing} · lượt phát/plays ${s.plays} · ack ${s.acks}`;
}

async function main(): Promise<void> {
  if (values.help) return void console.log(HELP);
  const fleet = new Fleet(await options());
  const started = Date.now();
  await fleet.start().catch((err: unknown) => {
    if (!(err instanceof FleetStartError)) throw err;
    console.error(`Không kết nối được ${err.failures.length} thiết bị / ${err.message}`);
  });
  console.log(`Đã khởi động trong ${Date.now() - started} ms / started in ${Date.now() - started} ms (Ctrl-C để dừng / to stop)`);
  console.log(summary(fleet));
  const ticker = setInterval(() => console.log(summary(fleet)), 2000);
  let stopping = false;
  process.on('SIGINT', () => {
    if (stopping) return;
    stopping = true;
    clearInterval(ticker);
    console.log('Đang dừng... / stopping...');
    void fleet.stop().then(() => console.log(summary(fleet)));
  });
}

main().catch((err: unknown) => {
  if (err instanceof LoaError) console.error(`${err.code}: ${err.messageVi} / ${err.message}`);
  else console.error(err);
  console.error(HELP);
  process.exitCode = 1;
});
