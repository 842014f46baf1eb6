/**
 * Fleet operations: remote operations on a village or a list, firmware rollouts in safe groups,
 * and provisioning hundreds of speakers from the installer's CSV file.
 */
import type { Feature, FeatureContext, RunningFeature } from '../feature.js';
import { FirmwareLibrary } from './firmware.js';
import { OperationService } from './operations.js';
import { ImportService, type ImportOptions } from './provisioning.js';
import { RolloutService } from './rollout.js';
import { fleetOpsRoutes } from './routes.js';
import { FleetOpsState } from './state.js';

export interface FleetOpsOptions {
  import?: ImportOptions;
  /** How often rollouts look for speakers past their timeout (ms). */
  rolloutTickMs?: number;
}

export interface RunningFleetOps extends RunningFeature {
  rollouts: RolloutService;
  firmware: FirmwareLibrary;
  imports: ImportService;
  operations: OperationService;
}

export async function startFleetOps(ctx: FeatureContext, opts: FleetOpsOptions = {}): Promise<RunningFleetOps> {
  const onError = (err: unknown) => ctx.logger.error({ err }, 'fleetops state write failed');
  const state = await FleetOpsState.open(ctx.config.dataDir, ctx.config.flushMs, onError);
  const firmware = new FirmwareLibrary(state, ctx.config.dataDir, ctx.clock, ctx.publicBase);
  await firmware.init();
  const operations = new OperationService({ registry: ctx.registry, commands: ctx.commands, jobs: ctx.jobs, presence: ctx.presence });
  const imports = new ImportService({ registry: ctx.registry, store: ctx.store, state, clock: ctx.clock }, opts.import);
  const rollouts = new RolloutService({
    state,
    firmware,
    registry: ctx.registry,
    presence: ctx.presence,
    dispatcher: ctx.dispatcher,
    store: ctx.store,
    bus: ctx.bus,
    clock: ctx.clock,
    logger: ctx.logger,
    ...(opts.rolloutTickMs !== undefined ? { tickMs: opts.rolloutTickMs } : {}),
  });
  return {
    rollouts,
    firmware,
    imports,
    operations,
    routes: fleetOpsRoutes({ operations, firmware, rollouts, imports, uploadMaxMb: ctx.config.uploadMaxMb }),
    begin: () => rollouts.start(),
    stop: async () => {
      await rollouts.stop();
      await state.flush();
    },
  };
}

/** With options (tests, benchmarks): `fleetOpsFeatureWith({ import: { batchSize: 128 } })`. */
export function fleetOpsFeatureWith(opts: FleetOpsOptions): Feature {
  return { name: 'fleetops', start: (ctx) => startFleetOps(ctx, opts) };
}

export const fleetOpsFeature: Feature = fleetOpsFeatureWith({});
