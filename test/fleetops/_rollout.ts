/** Helpers of the rollout tests: a feature handle, firmware upload, waiting on a rollout, and a device-side count of updates under way. */
import { randomBytes } from 'node:crypto';
import type { Actor } from '../../controller/auth/permissions.js';
import type { Feature } from '../../controller/feature.js';
import { startFleetOps, type RunningFleetOps } from '../../controller/fleetops/feature.js';
import type { RolloutView } from '../../controller/fleetops/rollout-view.js';
import type { Fleet } from '../../device-sim/index.js';
import type { Api } from '../helpers/api.js';

export const ADMIN: Actor = { id: 'test', username: 'test', role: 'admin', commune: null };

/** The feature, keeping a handle on its running services so a test can await rollout changes. */
export function fleetOpsHandle(): { feature: Feature; running: () => RunningFleetOps } {
  let running: RunningFleetOps | null = null;
  const feature: Feature = { name: 'fleetops', start: async (ctx) => (running = await startFleetOps(ctx, { rolloutTickMs: 200 })) };
  return { feature, running: () => running! };
}

export async function uploadFirmware(api: Api, version: string, model = 'loa-sim'): Promise<{ id: string; sha256: string; bytes: number }> {
  const res = await api.upload('/api/v1/firmware', randomBytes(48 * 1024), 'firmware.bin', { version, model });
  if (res.status !== 201) throw new Error(`firmware upload: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Resolves once the rollout satisfies `pred`, re-checking on each of its changes (no polling). */
export function whenRollout(ops: RunningFleetOps, id: string, pred: (r: RolloutView) => boolean, timeoutMs = 20_000): Promise<RolloutView> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const r = ops.rollouts.get(ADMIN, id);
      if (!pred(r)) return false;
      done(null, r);
      return true;
    };
    const done = (err: Error | null, r?: RolloutView) => {
      clearTimeout(timer);
      off();
      if (err) reject(err);
      else resolve(r!);
    };
    const timer = setTimeout(() => done(new Error(`timed out on rollout ${id}: ${JSON.stringify(ops.rollouts.get(ADMIN, id).totals)}`)), timeoutMs);
    const off = ops.rollouts.onChange((changed) => changed === id && check());
    check();
  });
}

/**
 * Counts, at the speakers, how many are updating at once: from receiving an ota command until
 * coming back online after the reboot (or failing). Independent of the controller's bookkeeping.
 */
export function watchUpdates(fleet: Fleet): { peak: () => number; otaIds: Map<string, Set<string>>; stop: () => void } {
  const updating = new Set<string>();
  const otaIds = new Map<string, Set<string>>();
  let peak = 0;
  const offs: Array<() => void> = [];
  for (const d of fleet.devices) {
    const onCommand = (cmd: { type: string; id: string }) => {
      if (cmd.type !== 'ota') return;
      otaIds.set(d.id, (otaIds.get(d.id) ?? new Set()).add(cmd.id));
      updating.add(d.id);
      peak = Math.max(peak, updating.size);
    };
    const onAck = (ack: { state: string; cmd: string }) => {
      if (ack.state === 'failed' && otaIds.get(d.id)?.has(ack.cmd)) updating.delete(d.id);
    };
    const onOnline = () => updating.delete(d.id);
    d.on('command', onCommand);
    d.on('ack', onAck);
    d.on('online', onOnline);
    offs.push(() => {
      d.off('command', onCommand);
      d.off('ack', onAck);
      d.off('online', onOnline);
    });
  }
  return { peak: () => peak, otaIds, stop: () => offs.forEach((f) => f()) };
}
