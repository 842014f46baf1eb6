/** The commune's broadcast calendar: programmes, their occurrences, conflicts, and the engine that sends them. */
import { DateTime } from 'luxon';
import type { Feature } from '../feature.js';
import type { MediaUse } from '../media/library.js';
import { ScheduleEngine, type EngineOptions, type RelayOpener } from './engine.js';
import { ProgrammeRepository } from './repository.js';
import { programmeRoutes } from './routes.js';
import { ProgrammeService } from './service.js';

/** LOA_PREFETCH_S (default 180): how early a play command goes out; LOA_SCHEDULE_GRACE_S (default 300): how late a missed occurrence may still go. */
export function engineOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): EngineOptions {
  return {
    prefetchMs: Number(env.LOA_PREFETCH_S ?? 180) * 1000,
    graceMs: Number(env.LOA_SCHEDULE_GRACE_S ?? 300) * 1000,
    tickMs: 1000,
  };
}

export function createProgrammesFeature(opts: EngineOptions = engineOptionsFromEnv()): Feature {
  return {
    name: 'programmes',
    async start(ctx) {
      const repo = await ProgrammeRepository.open(ctx.config.dataDir, ctx.config.flushMs, ctx.clock.now());
      const engine = new ScheduleEngine(repo, ctx.broadcasts, ctx.registry, ctx.store, ctx.clock, ctx.logger, opts, () => ctx.services.live as RelayOpener | undefined);
      const service = new ProgrammeService(repo, engine, ctx.registry, ctx.library, ctx.clock);
      ctx.library.addUsageSource((mediaId) => programmeUses(repo, mediaId, ctx.clock.now()));
      return {
        routes: programmeRoutes(service),
        services: { programmes: service },
        begin: () => engine.start(),
        stop: async () => {
          await engine.stop();
          await repo.flush();
        },
      };
    },
  };
}

/** A programme holds on to its media until its last date has passed. */
function programmeUses(repo: ProgrammeRepository, mediaId: string, now: number): MediaUse[] {
  return repo
    .all()
    .filter((p) => p.items.some((item) => item.kind === 'media' && item.mediaId === mediaId))
    .map((p) => ({
      kind: 'programme',
      id: p.id,
      title: p.title,
      status: p.paused ? 'paused' : 'active',
      commune: p.commune,
      pending: p.endDate === undefined || p.endDate >= DateTime.fromMillis(now, { zone: p.timezone }).toISODate()!,
    }));
}
