/** `/metrics` in Prometheus text format: speakers by state, deliveries by state, MQTT traffic, dispatch latency. */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type {} from '../http/types.js';
import { commonErrors } from '../errors.js';
import type { Clock } from '../clock.js';
import type { DeviceRegistry } from '../devices/registry.js';
import type { EventBus } from '../events/bus.js';
import type { MqttLink } from '../dispatch/link.js';
import { summarize } from '../dispatch/delivery-state.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';

export interface MetricsDeps {
  registry: DeviceRegistry;
  dispatcher: Dispatcher;
  link: MqttLink;
  bus: EventBus;
  clock: Clock;
  brokerClients: () => number | null;
}

export function createMetrics(deps: MetricsDeps): Registry {
  const reg = new Registry();
  collectDefaultMetrics({ register: reg, prefix: 'loa_process_' });
  const system = { id: 'metrics', username: 'metrics', role: 'viewer' as const, commune: null };
  new Gauge({
    name: 'loa_speakers',
    help: 'Speakers by health state',
    labelNames: ['state'],
    registers: [reg],
    collect() {
      this.reset();
      for (const d of deps.registry.list(system)) if (!d.disabled) this.inc({ state: d.health.state });
    },
  });
  new Gauge({
    name: 'loa_active_deliveries',
    help: 'Deliveries of active jobs by state',
    labelNames: ['state'],
    registers: [reg],
    collect() {
      this.reset();
      for (const job of deps.dispatcher.activeJobIds()) {
        const s = summarize(deps.dispatcher.liveDeliveries(job)?.values() ?? []);
        for (const [state, n] of Object.entries(s)) if (state !== 'targeted' && state !== 'reached') this.inc({ state }, n);
      }
    },
  });
  new Gauge({ name: 'loa_mqtt_connections', help: 'Connections to the embedded broker', registers: [reg], collect() { this.set(deps.brokerClients() ?? 0); } });
  new Gauge({ name: 'loa_mqtt_link_up', help: '1 when the controller is connected to the broker', registers: [reg], collect() { this.set(deps.link.connected ? 1 : 0); } });
  const linkCounter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [reg],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  linkCounter('loa_mqtt_messages_received_total', 'Messages from devices', () => deps.link.stats.received);
  linkCounter('loa_mqtt_messages_malformed_total', 'Messages from devices dropped as malformed', () => deps.link.stats.malformed);
  linkCounter('loa_mqtt_messages_published_total', 'Messages published by the controller', () => deps.link.stats.published);
  const latency = new Histogram({
    name: 'loa_dispatch_latency_seconds',
    help: 'From a job being created to each device reaching a state',
    labelNames: ['state'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [reg],
  });
  const created = new Map<string, number>();
  deps.bus.on('broadcast.created', (e) => created.set(e.id, e.at));
  deps.bus.on('job.finished', (e) => created.delete(e.jobId));
  deps.bus.on('delivery', (e) => {
    const t0 = created.get(e.jobId);
    if (t0 !== undefined && (e.state === 'received' || e.state === 'playing' || e.state === 'done')) latency.observe({ state: e.state }, (e.at - t0) / 1000);
  });
  return reg;
}

/** Scraped with `Authorization: Bearer <LOA_METRICS_TOKEN>`; without a token configured, from this machine only. */
export async function metricsRoutes(app: FastifyInstance, opts: { registry: Registry; token: string | null }) {
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    const allowed = opts.token ? req.headers.authorization === `Bearer ${opts.token}` : ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.ip);
    if (!allowed) throw commonErrors.LOA_FORBIDDEN();
    reply.type(opts.registry.contentType);
    return opts.registry.metrics();
  });
}
