/** Emergency alerts as a feature: the API, CAP in and out, webhooks and follow-up. */
import fs from 'node:fs';
import type { Feature, FeatureContext } from '../feature.js';
import type { MediaUse } from '../media/library.js';
import { AlertRepository } from './repository.js';
import { AlertService, type AlertAudio } from './service.js';
import { createAlertAudio } from './audio.js';
import { alertRoutes } from './routes.js';
import { capRoutes, type CapSender } from './cap-routes.js';

export interface AlertsOptions {
  senders?: CapSender[];
  geocodeTable?: Record<string, string[]>;
  /** Replaces the audio (text to speech, siren and chime) built from the controller's engine. */
  audio?: (ctx: FeatureContext) => AlertAudio;
  confirmWithinS?: number;
}

/** LOA_CAP_SENDERS: JSON `[{"sender","key","commune"}]`; LOA_CAP_GEOCODES: JSON `{"valueName:value":["zone-id"]}` or `@/path/to/file.json`. */
export function alertOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AlertsOptions {
  const json = <T>(raw: string | undefined, fallback: T): T => {
    if (!raw) return fallback;
    return JSON.parse(raw.startsWith('@') ? fs.readFileSync(raw.slice(1), 'utf8') : raw) as T;
  };
  return {
    senders: json<CapSender[]>(env.LOA_CAP_SENDERS, []),
    geocodeTable: json<Record<string, string[]>>(env.LOA_CAP_GEOCODES, {}),
    confirmWithinS: env.LOA_ALERT_CONFIRM_S ? Number(env.LOA_ALERT_CONFIRM_S) : undefined,
  };
}

export function createAlertsFeature(opts: AlertsOptions = {}): Feature {
  return {
    name: 'alerts',
    async start(ctx) {
      const repo = await AlertRepository.open(ctx.config.dataDir, ctx.config.flushMs);
      const alerts = new AlertService({
        repo,
        broadcasts: ctx.broadcasts,
        registry: ctx.registry,
        library: ctx.library,
        jobs: ctx.jobs,
        audio: opts.audio?.(ctx) ?? createAlertAudio(ctx.library, ctx.speech, ctx.ff),
        clock: ctx.clock,
        logger: ctx.logger,
        defaultWindowMs: ctx.config.defaultWindowMs,
        confirmWithinS: opts.confirmWithinS ?? 60,
      });
      ctx.library.addUsageSource((mediaId) => alertUses(repo, mediaId, ctx.clock.now()));
      const sender = `loa@${new URL(ctx.config.publicUrl ?? 'http://loa.local').hostname}`;
      const api = alertRoutes(alerts, ctx.zones, sender);
      const cap = capRoutes(alerts, repo, ctx.library, ctx.store, { senders: opts.senders ?? [], geocodeTable: opts.geocodeTable ?? {}, maxBytes: 5 * 1024 * 1024 });
      return {
        routes: async (app) => {
          await app.register(api);
          await app.register(cap);
        },
        services: { alerts },
        stop: async () => {
          alerts.stop();
          await repo.flush();
        },
      };
    },
  };
}

function alertUses(repo: AlertRepository, mediaId: string, now: number): MediaUse[] {
  return repo
    .all()
    .filter((a) => a.versions.some((v) => v.mediaId === mediaId))
    .map((a) => ({ kind: 'alert', id: a.id, title: a.versions.at(-1)!.title, status: a.state, commune: a.commune, pending: a.state === 'active' && a.notAfter > now }));
}
