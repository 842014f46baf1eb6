/**
 * A feature (fleet health, programmes, alerts…) is one module with a start and a stop that receives
 * its collaborators instead of importing them, and may add HTTP routes. The runtime starts every
 * feature in `features.ts` after the core services and registers their routes.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { AuthService } from './auth/service.js';
import type { BroadcastService } from './broadcasts/service.js';
import type { Clock } from './clock.js';
import type { CommandService } from './commands/service.js';
import type { Config } from './config.js';
import type { DeviceRegistry } from './devices/registry.js';
import type { Dispatcher } from './dispatch/dispatcher.js';
import type { MqttLink } from './dispatch/link.js';
import type { PresenceTracker } from './dispatch/presence.js';
import type { EventBus } from './events/bus.js';
import type { JobViews } from './jobs/views.js';
import type { MediaLibrary } from './media/library.js';
import type { SpeechService } from './media/speech.js';
import type { FfmpegInfo } from './media/audio/index.js';
import type { Store } from './store/store.js';
import type { ZoneService } from './zones/service.js';

export interface FeatureContext {
  config: Config;
  store: Store;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  auth: AuthService;
  zones: ZoneService;
  registry: DeviceRegistry;
  presence: PresenceTracker;
  dispatcher: Dispatcher;
  commands: CommandService;
  broadcasts: BroadcastService;
  library: MediaLibrary;
  /** Text to speech into the library (check `speech.available`). */
  speech: SpeechService;
  /** The ffmpeg in use, or null. */
  ff: FfmpegInfo | null;
  jobs: JobViews;
  link: MqttLink;
  /** The base of URLs handed to speakers (LOA_PUBLIC_URL, else the address it listens on); throws before it listens. */
  publicBase: () => string;
  /** Services that features started earlier offer to later ones (e.g. `alerts`, `programmes`). */
  services: Record<string, unknown>;
}

export interface RunningFeature {
  /** Registered on the app like any Fastify plugin (declare `config.permission` on each route). */
  routes?: FastifyPluginAsync;
  /** Offered to the features started after this one, by name. */
  services?: Record<string, unknown>;
  /**
   * Background work (timers, pumps, catching up after downtime), begun once the HTTP server
   * listens: anything sent to speakers before then would carry URLs without the controller's address.
   */
  begin?(): Promise<void> | void;
  stop?(): Promise<void>;
}

export interface Feature {
  name: string;
  start(ctx: FeatureContext): Promise<RunningFeature> | RunningFeature;
}
