/** Going live from a browser or a desk microphone, and relaying radio, through the controller. */
import type { Feature } from '../feature.js';
import { liveRoutes } from './routes.js';
import { LiveService } from './service.js';

export interface LiveOptions {
  waitMs: number;
  stallMs: number;
  maxChannels: number;
  maxHours: number;
  relayHosts: string[];
}

/** LOA_LIVE_WAIT_S (60), LOA_LIVE_STALL_S (10), LOA_LIVE_MAX (8), LOA_LIVE_MAX_HOURS (4), LOA_RELAY_HOSTS: see the README. */
export function liveOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LiveOptions {
  return {
    waitMs: Number(env.LOA_LIVE_WAIT_S ?? 60) * 1000,
    stallMs: Number(env.LOA_LIVE_STALL_S ?? 10) * 1000,
    maxChannels: Number(env.LOA_LIVE_MAX ?? 8),
    maxHours: Number(env.LOA_LIVE_MAX_HOURS ?? 4),
    relayHosts: (env.LOA_RELAY_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
  };
}

export function createLiveFeature(given: Partial<LiveOptions> = {}): Feature {
  const opts = { ...liveOptionsFromEnv(), ...given };
  return {
    name: 'live',
    start(ctx) {
      const live = new LiveService({ ff: ctx.ff, broadcasts: ctx.broadcasts, store: ctx.store, bus: ctx.bus, clock: ctx.clock, publicBase: ctx.publicBase, ...opts });
      return {
        routes: liveRoutes(live, ctx.bus),
        services: { live },
        stop: async () => live.stopAll(),
      };
    },
  };
}
