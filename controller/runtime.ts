/**
 * Wires the parts together: store → registry/broker → MQTT link → presence and dispatcher →
 * services → HTTP. `startController` is what `npm start`, the tests and the benchmarks run.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { CONTROLLER_USERNAME, startBroker, type RunningBroker } from '../broker/index.js';
import { AuthService } from './auth/service.js';
import { inScope } from './auth/permissions.js';
import { BroadcastService } from './broadcasts/service.js';
import { systemClock, type Clock } from './clock.js';
import { CommandService } from './commands/service.js';
import type { Config } from './config.js';
import { DeviceRegistry } from './devices/registry.js';
import { ClockSync } from './dispatch/clock-sync.js';
import { Dispatcher } from './dispatch/dispatcher.js';
import { MqttLink } from './dispatch/link.js';
import { PresenceTracker } from './dispatch/presence.js';
import { EventBus } from './events/bus.js';
import { buildHttpApp } from './http/app.js';
import { JobViews } from './jobs/views.js';
import { IngestJobs } from './media/ingest-jobs.js';
import { MediaLibrary, type AudioProcessor } from './media/library.js';
import type { AudioEngine } from './media/processor.js';
import { SpeechService } from './media/speech.js';
import { UrlSigner } from './media/signing.js';
import { openLowStore } from './store/lowdb-store.js';
import type { Store } from './store/store.js';
import { deviceCommune } from './zones/commune.js';
import { ZoneService } from './zones/service.js';
import { createMetrics } from './metrics/plugin.js';
import type { Feature, RunningFeature } from './feature.js';
import { FEATURES } from './features.js';

export const TIMEZONE = 'Asia/Ho_Chi_Minh';
const PREROLL_MS = 1500;

export interface ControllerOptions {
  clock?: Clock;
  /** The audio engine (ffmpeg, ingest, text to speech); without one, media endpoints answer 503 and the rest works. */
  audio?: AudioEngine | null;
  /** Only the upload pipeline (tests); `audio` wins when both are given. */
  processor?: AudioProcessor | null;
  /** false: silent (tests). */
  logger?: boolean;
  /** Replaces the default feature list (tests start a feature alone). */
  features?: Feature[];
}

export interface Controller {
  readonly config: Config;
  readonly store: Store;
  readonly app: FastifyInstance;
  readonly bus: EventBus;
  readonly broker: RunningBroker | null;
  readonly link: MqttLink;
  readonly presence: PresenceTracker;
  readonly dispatcher: Dispatcher;
  readonly registry: DeviceRegistry;
  readonly auth: AuthService;
  readonly zones: ZoneService;
  readonly library: MediaLibrary;
  readonly speech: SpeechService;
  readonly broadcasts: BroadcastService;
  readonly commands: CommandService;
  readonly jobs: JobViews;
  /** Where people and devices reach the HTTP API. */
  readonly httpUrl: string;
  /** Where devices reach MQTT (TCP) and MQTT over WebSocket. */
  readonly mqttUrl: string;
  readonly mqttWsUrl: string | null;
  readonly admin: { username: string; password: string | null };
  close(): Promise<void>;
}

async function signingKey(store: Store): Promise<Buffer> {
  const existing = store.settings.get('media-signing-key');
  if (existing) return Buffer.from(existing.value, 'base64url');
  const key = randomBytes(32);
  store.settings.put({ id: 'media-signing-key', value: key.toString('base64url') });
  await store.settings.flush();
  return key;
}

/** The embedded broker starts empty: nobody is connected, whatever the store last knew. */
function markAllOffline(store: Store, now: number): void {
  for (const p of store.presence.all()) if (p.online) store.presence.put({ ...p, online: false, reason: 'lost', since: now });
}

export async function startController(config: Config, opts: ControllerOptions = {}): Promise<Controller> {
  const clock = opts.clock ?? systemClock;
  const bus = new EventBus();
  const store = await openLowStore({ dataDir: config.dataDir, flushMs: config.flushMs });
  const auth = new AuthService(store, clock, config.sessionTtlMs);
  const admin = await auth.ensureFirstAdmin(config.adminPassword);

  const logger = makeLogger(opts.logger, config.logLevel);
  const controllerPassword = config.mqttUrl ? config.mqttPassword : randomBytes(24).toString('base64url');
  const link = new MqttLink({ url: '', username: null, password: null, logger });
  const registry = new DeviceRegistry(store, link, clock, { secretHashN: config.deviceSecretHashN, timezone: TIMEZONE, prerollMs: PREROLL_MS });

  let broker: RunningBroker | null = null;
  if (!config.mqttUrl) {
    markAllOffline(store, clock.now());
    broker = await startBroker({ host: config.mqttHost, port: config.mqttPort, wsPort: config.mqttWsPort, tls: config.tls, controllerPassword: controllerPassword!, devices: registry, logger });
  }
  const localHost = (host: string) => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  const brokerUrl = config.mqttUrl ?? broker!.url.replace(config.mqttHost, localHost(config.mqttHost));
  link.configure({ url: brokerUrl, username: config.mqttUrl ? config.mqttUsername : CONTROLLER_USERNAME, password: controllerPassword, ca: config.tls?.cert });

  const presence = new PresenceTracker(store, bus, clock);
  const dispatcher = new Dispatcher(store, link, presence, bus, clock, logger, { retryMs: config.retryMs, retryMaxMs: config.retryMaxMs, expiryGraceMs: config.expiryGraceMs });
  const clockSync = new ClockSync(clock, (id, cmd) => link.publishCommand(id, cmd), (id, offset) => presence.setClockOffset(id, offset));
  // Pending commands go out once the device's clock offset is known (one round trip, at most 1 s),
  // so a timed start lands in the device's own clock.
  bus.on('device.online', (e) => void clockSync.probe(e.deviceId).then(() => dispatcher.onDeviceOnline(e.deviceId)));
  await link.connect({
    ack: (id, ack) => {
      presence.touch(id);
      if (ClockSync.owns(ack.cmd)) clockSync.onAck(id, ack);
      else dispatcher.onAck(id, ack);
    },
    state: (id, s) => presence.onState(id, s),
    telemetry: (id, t) => presence.onTelemetry(id, t),
  });
  await dispatcher.start();
  await registry.publishAllConfigs();

  let httpUrl = '';
  // A URL handed to a speaker must carry the controller's address: asking before the server listens is a bug.
  const publicBase = () => {
    const base = config.publicUrl ?? httpUrl;
    if (!base) throw new Error('the controller HTTP address is not known before it listens');
    return base;
  };
  const library = new MediaLibrary(store, opts.audio?.processor ?? opts.processor ?? null, new UrlSigner(await signingKey(store)), clock, publicBase, config.mediaQuotaMb * 1024 * 1024);
  await library.init();
  const speech = new SpeechService(library, opts.audio?.ff ?? null, opts.audio?.tts ?? null, config.mediaMaxMinutes * 60_000);
  const zones = new ZoneService(store, clock);
  const commands = new CommandService(dispatcher, clock);
  const jobs = new JobViews(store);
  const broadcasts = new BroadcastService({ dispatcher, registry, library, commands, bus, clock, defaultWindowMs: config.defaultWindowMs });
  const ctx = { config, store, bus, clock, logger, auth, zones, registry, presence, dispatcher, commands, broadcasts, library, jobs, link, speech, ff: opts.audio?.ff ?? null, publicBase, services: {} as Record<string, unknown> };
  const running: RunningFeature[] = [];
  for (const feature of opts.features ?? FEATURES) {
    const r = await feature.start(ctx);
    Object.assign(ctx.services, r.services);
    running.push(r);
  }
  const app = await buildHttpApp({
    store,
    clock,
    bus,
    auth,
    zones,
    registry,
    commands,
    library,
    speech,
    broadcasts,
    jobs,
    eventScope: { deviceVisible: (actor, id) => actor.commune === null || inScope(actor, deviceCommune(store, id)) },
    health: () => ({ ok: link.connected, mqtt: link.connected ? 'connected' : 'disconnected', media: library.available, uptimeS: Math.round(process.uptime()) }),
    uploadMaxMb: config.uploadMaxMb,
    ingestJobs: new IngestJobs(library, bus, clock),
    mediaSyncMs: config.mediaSyncMs,
    secureCookie: config.tls !== null,
    logger,
    https: config.tls,
    brokerHookToken: config.brokerHookToken,
    metrics: createMetrics({ registry, dispatcher, link, bus, clock, brokerClients: () => broker?.connectedClients() ?? null }),
    metricsToken: config.metricsToken,
    featureRoutes: running.flatMap((r) => (r.routes ? [r.routes] : [])),
  });
  const address = await app.listen({ host: config.httpHost, port: config.httpPort });
  const port = new URL(address).port;
  httpUrl = `${config.tls ? 'https' : 'http'}://${localHost(config.httpHost)}:${port}`;
  for (const r of running) await r.begin?.();

  return {
    config,
    store,
    app,
    bus,
    broker,
    link,
    presence,
    dispatcher,
    registry,
    auth,
    zones,
    library,
    speech,
    broadcasts,
    commands,
    jobs,
    httpUrl,
    mqttUrl: broker?.url ?? brokerUrl,
    mqttWsUrl: broker?.wsUrl ?? null,
    admin,
    close: async () => {
      await app.close();
      for (const r of running.reverse()) await r.stop?.();
      await dispatcher.stop();
      await link.close();
      await broker?.close();
      await store.close();
    },
  };
}

function makeLogger(option: boolean | undefined, level: string): Logger {
  return pino({ level: option === false ? 'silent' : level });
}
