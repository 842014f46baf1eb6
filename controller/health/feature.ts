/**
 * Fleet health as a feature: states, alarms with a webhook, telemetry history with down-sampling,
 * uptime per day and the fleet summary.
 */
import path from 'node:path';
import type { Feature, FeatureContext, RunningFeature } from '../feature.js';
import { JsonLinesLog } from '../store/history.js';
import { AlarmBook, type AlarmLine } from './alarms.js';
import { LocalDays, pruneDayFiles } from './days.js';
import { TelemetryHistory } from './history.js';
import { LastBroadcastWatch } from './last-broadcast.js';
import { HealthMonitor } from './monitor.js';
import type { Rollup } from './rollup.js';
import { healthRoutes } from './routes.js';
import { DeviceSeriesLog } from './series.js';
import { HealthService } from './service.js';
import { HealthStateDoc } from './state.js';
import { UptimeTracker, type PresenceLine } from './uptime.js';
import { WEBHOOK_DEFAULTS, WebhookNotifier, type WebhookOptions } from './webhook.js';

export interface HealthOptions {
  /** Heartbeat intervals offline before the offline alarm (LOA_ALARM_OFFLINE_HEARTBEATS, default 3). */
  offlineHeartbeats: number;
  /** Where raise and clear are POSTed (LOA_ALARM_WEBHOOK_URL); null: no webhook. */
  webhookUrl: string | null;
  webhook: Omit<WebhookOptions, 'url'>;
  /** An open, unacknowledged alarm is notified again this often (LOA_ALARM_RENOTIFY_MIN, default 60; 0: never). */
  renotifyMs: number;
  /** Raw telemetry kept (LOA_TELEMETRY_RAW_HOURS, default 24). */
  rawRetentionMs: number;
  /** 5-minute summaries kept (LOA_TELEMETRY_SUMMARY_DAYS, default 90). */
  summaryRetentionMs: number;
  bucketMs: number;
  /** Cleared alarms kept in the history (default 365 days). */
  alarmHistoryRetentionMs: number;
  /** Below this battery share (when not on mains) the power alarm says "battery low". */
  batteryLowPct: number;
  /** Sessions today from which an ok speaker is listed as flaky in the summary. */
  flakySessions: number;
  tickMs: number;
  /** Every speaker is looked at this often (a disabled speaker, a changed heartbeat interval); in between, only those due. */
  sweepMs: number;
  pruneEveryMs: number;
  /** The communes' local days (uptime per day). */
  timezone: string;
}

export const HEALTH_DEFAULTS: HealthOptions = {
  offlineHeartbeats: 3,
  webhookUrl: null,
  webhook: WEBHOOK_DEFAULTS,
  renotifyMs: 60 * 60_000,
  rawRetentionMs: 24 * 3_600_000,
  summaryRetentionMs: 90 * 86_400_000,
  bucketMs: 5 * 60_000,
  alarmHistoryRetentionMs: 365 * 86_400_000,
  batteryLowPct: 15,
  flakySessions: 3,
  tickMs: 1000,
  sweepMs: 60_000,
  pruneEveryMs: 3_600_000,
  timezone: 'Asia/Ho_Chi_Minh',
};

function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number ≥ 0, got "${raw}"`);
  return n;
}

/** The options from environment variables, each falling back to its default. */
export function healthOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<HealthOptions> {
  const beats = positive(env, 'LOA_ALARM_OFFLINE_HEARTBEATS');
  const renotifyMin = positive(env, 'LOA_ALARM_RENOTIFY_MIN');
  const rawHours = positive(env, 'LOA_TELEMETRY_RAW_HOURS');
  const summaryDays = positive(env, 'LOA_TELEMETRY_SUMMARY_DAYS');
  return {
    ...(beats !== undefined ? { offlineHeartbeats: Math.max(1, beats) } : {}),
    ...(env.LOA_ALARM_WEBHOOK_URL ? { webhookUrl: env.LOA_ALARM_WEBHOOK_URL } : {}),
    ...(renotifyMin !== undefined ? { renotifyMs: renotifyMin * 60_000 } : {}),
    ...(rawHours !== undefined ? { rawRetentionMs: rawHours * 3_600_000 } : {}),
    ...(summaryDays !== undefined ? { summaryRetentionMs: summaryDays * 86_400_000 } : {}),
  };
}

const DAY_MS = 86_400_000;

export interface RunningHealth extends RunningFeature {
  service: HealthService;
  monitor: HealthMonitor;
  alarms: AlarmBook;
  history: TelemetryHistory;
  notifier: WebhookNotifier | null;
}

export async function startHealth(ctx: FeatureContext, options: Partial<HealthOptions> = {}): Promise<RunningHealth> {
  const o: HealthOptions = { ...HEALTH_DEFAULTS, ...options, webhook: { ...HEALTH_DEFAULTS.webhook, ...options.webhook } };
  const dir = path.join(ctx.config.dataDir, 'health');
  const onError = (err: unknown) => ctx.logger.error({ err }, 'health: write failed');
  const state = await HealthStateDoc.open(dir, ctx.config.flushMs, onError);
  const alarmLog = new JsonLinesLog<AlarmLine>(path.join(dir, 'alarms'), ctx.config.flushMs, onError);
  const presenceLog = new JsonLinesLog<PresenceLine>(path.join(dir, 'presence'), ctx.config.flushMs, onError);
  const series = new DeviceSeriesLog<Rollup>(path.join(dir, 'telemetry-5m'), ctx.config.flushMs, onError);
  await Promise.all([alarmLog.init(), presenceLog.init(), series.init()]);

  const notifier = o.webhookUrl ? new WebhookNotifier({ url: o.webhookUrl, ...o.webhook }, ctx.logger) : null;
  const alarms = new AlarmBook({ state, log: alarmLog, clock: ctx.clock, notify: notifier ? (b) => notifier.send(b) : null, renotifyMs: o.renotifyMs });
  const history = new TelemetryHistory({ store: ctx.store, series, state, clock: ctx.clock, rawDir: path.join(ctx.store.dataDir, 'history', 'telemetry') }, o);
  const days = new LocalDays(o.timezone);
  const uptime = new UptimeTracker(presenceLog, state, days);
  const lastBroadcast = new LastBroadcastWatch(ctx.store, state);
  const prune = async (now: number) => ({
    ...(await history.prune(now)),
    // The uptime log keeps two days more than the charts: a day's uptime reads the day before it.
    presenceDays: await pruneDayFiles(path.join(dir, 'presence'), now - o.summaryRetentionMs - 2 * DAY_MS),
    alarmDays: await pruneDayFiles(path.join(dir, 'alarms'), now - o.alarmHistoryRetentionMs),
  });
  const monitor = new HealthMonitor({ store: ctx.store, presence: ctx.presence, bus: ctx.bus, clock: ctx.clock, logger: ctx.logger, state, alarms, history, uptime, lastBroadcast, prune }, o);

  uptime.reconcile(ctx.store.presence.all());
  await history.recover(ctx.clock.now());
  await lastBroadcast.catchUp();
  monitor.start();
  ctx.registry.useHealth((id, heartbeatS, now) => monitor.assessmentOf(id, heartbeatS, now));

  const service = new HealthService({ store: ctx.store, registry: ctx.registry, presence: ctx.presence, clock: ctx.clock, monitor, alarms, history, uptime, lastBroadcast, timezone: o.timezone, flakySessions: o.flakySessions });
  return {
    service,
    monitor,
    alarms,
    history,
    notifier,
    routes: healthRoutes(service),
    stop: async () => {
      await monitor.stop();
      uptime.stopped(ctx.clock.now());
      await notifier?.stop(2000);
      await Promise.all([state.flush(), alarmLog.flush(), presenceLog.flush(), series.flush()]);
    },
  };
}

/** With options (tests, benchmarks); the environment's settings apply underneath them. */
export function healthFeatureWith(opts: Partial<HealthOptions>): Feature {
  return { name: 'health', start: (ctx) => startHealth(ctx, { ...healthOptionsFromEnv(), ...opts }) };
}

export const healthFeature: Feature = healthFeatureWith({});
