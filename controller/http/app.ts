/** The Fastify app: shared plugins, one plugin per feature, OpenAPI at /docs. */
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type {} from './types.js';
import { installErrorHandling } from './errors.js';
import { authPlugin } from '../auth/plugin.js';
import { usersRoutes } from '../auth/users-routes.js';
import type { AuthService } from '../auth/service.js';
import { auditPlugin } from '../audit/plugin.js';
import { zoneRoutes } from '../zones/routes.js';
import type { ZoneService } from '../zones/service.js';
import { deviceRoutes } from '../devices/routes.js';
import type { DeviceRegistry } from '../devices/registry.js';
import type { CommandService } from '../commands/service.js';
import type { IngestJobs } from '../media/ingest-jobs.js';
import { mediaRoutes } from '../media/routes.js';
import type { MediaLibrary } from '../media/library.js';
import type { SpeechService } from '../media/speech.js';
import { broadcastRoutes } from '../broadcasts/routes.js';
import type { BroadcastService } from '../broadcasts/service.js';
import { eventRoutes, type EventScope } from '../events/routes.js';
import type { EventBus } from '../events/bus.js';
import type { JobViews } from '../jobs/views.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../clock.js';
import { webConsole } from '../web/plugin.js';
import { brokerHookRoutes } from '../broker-hooks/routes.js';
import { metricsRoutes } from '../metrics/plugin.js';
import type { Registry } from 'prom-client';

export interface HttpDeps {
  store: Store;
  clock: Clock;
  bus: EventBus;
  auth: AuthService;
  zones: ZoneService;
  registry: DeviceRegistry;
  commands: CommandService;
  library: MediaLibrary;
  speech: SpeechService;
  broadcasts: BroadcastService;
  jobs: JobViews;
  eventScope: EventScope;
  health: () => Record<string, unknown>;
  uploadMaxMb: number;
  ingestJobs: IngestJobs;
  mediaSyncMs: number;
  secureCookie: boolean;
  logger: Logger;
  https: { cert: Buffer; key: Buffer } | null;
  brokerHookToken: string | null;
  metrics: Registry;
  metricsToken: string | null;
  featureRoutes: FastifyPluginAsync[];
}

export async function buildHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  // Open event streams must not hold a shutdown.
  // Unknown fields are refused, not silently removed: Ajv's removal also strips fields while it tries
  // each branch of a union, so a weekly recurrence lost `weekdays` to the daily branch and was refused.
  const ajv = { customOptions: { removeAdditional: false as const } };
  const common = { loggerInstance: deps.logger, bodyLimit: 1024 * 1024, forceCloseConnections: true, ajv };
  const app = (deps.https ? Fastify({ ...common, https: deps.https }) : Fastify(common)) as unknown as FastifyInstance;
  installErrorHandling(app);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart);
  await app.register(fastifyStatic, { root: deps.library.dir, serve: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Loa API', version: '1', description: 'Điều khiển hệ thống truyền thanh thông minh / Smart loudspeaker controller' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config ?? {}), public: true };
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(authPlugin, { auth: deps.auth, secureCookie: deps.secureCookie });
  await app.register(auditPlugin, { store: deps.store, clock: deps.clock });
  await app.register(usersRoutes, { auth: deps.auth });
  await app.register(zoneRoutes, { zones: deps.zones });
  await app.register(deviceRoutes, { registry: deps.registry, commands: deps.commands, jobs: deps.jobs, store: deps.store });
  await app.register(mediaRoutes, { library: deps.library, speech: deps.speech, jobs: deps.ingestJobs, uploadMaxMb: deps.uploadMaxMb, syncMs: deps.mediaSyncMs });
  await app.register(broadcastRoutes, { broadcasts: deps.broadcasts, jobs: deps.jobs });
  await app.register(eventRoutes, { bus: deps.bus, scope: deps.eventScope });
  if (deps.brokerHookToken) await app.register(brokerHookRoutes, { token: deps.brokerHookToken, devices: deps.registry });
  for (const routes of deps.featureRoutes) await app.register(routes);
  await app.register(metricsRoutes, { registry: deps.metrics, token: deps.metricsToken });
  await app.register(webConsole, {});
  app.get('/healthz', { config: { public: true }, schema: { tags: ['health'] } }, async () => deps.health());
  return app;
}
