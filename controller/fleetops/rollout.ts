/**
 * Firmware rollouts: speakers in groups, each speaker an `ota` command job, at most `maxConcurrent`
 * updating at once; the next group starts at the success threshold, the error threshold stops it.
 * A speaker counts as updated when its ota ack is `done` AND it comes back (a later birth) with
 * the new `fw`. State lives in the feature's own document, so a restart resumes a rollout.
 */
import { inScope, type Actor } from '../auth/permissions.js';
import type { Clock } from '../clock.js';
import type { DeviceRegistry } from '../devices/registry.js';
import { isFinal } from '../dispatch/delivery-state.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import type { PresenceTracker } from '../dispatch/presence.js';
import { commonErrors } from '../errors.js';
import type { DeliveryEvent, EventBus } from '../events/bus.js';
import { newId } from '../ids.js';
import type { CommandJob, Delivery, Targets } from '../store/records.js';
import type { Store } from '../store/store.js';
import { fleetOpsErrors } from './errors.js';
import type { FirmwareLibrary } from './firmware.js';
import { blankProgress, end, evaluate, nextToStart, overlapping, planGroups } from './rollout-plan.js';
import { conclude, onBirth, onDelivery, onTimeout } from './rollout-speaker.js';
import { rolloutSummary, rolloutView, type RolloutSummary, type RolloutView } from './rollout-view.js';
import type { FleetOpsState, Rollout } from './state.js';

export interface RolloutInput {
  firmwareId: string;
  targets: Targets;
  groupSize: number;
  successThreshold: number;
  errorThreshold: number;
  maxConcurrent: number;
  /** How long one speaker may take from its ota command until it is back with the new fw. */
  timeoutS?: number;
}

export interface RolloutDeps {
  state: FleetOpsState;
  firmware: FirmwareLibrary;
  registry: DeviceRegistry;
  presence: PresenceTracker;
  dispatcher: Dispatcher;
  store: Store;
  bus: EventBus;
  clock: Clock;
  logger: { warn(obj: object, msg?: string): void };
  tickMs?: number;
}

const DEFAULT_TIMEOUT_S = 15 * 60;

export class RolloutService {
  /** ota job id → rollout id, to route delivery events. */
  private readonly byJob = new Map<string, string>();
  private readonly offs: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private pumping: Promise<void> = Promise.resolve();
  private pumpQueued = false;
  private readonly listeners = new Set<(rolloutId: string) => void>();

  constructor(private readonly deps: RolloutDeps) {}

  private get rollouts(): Record<string, Rollout> {
    return this.deps.state.data.rollouts;
  }

  async start(): Promise<void> {
    for (const r of Object.values(this.rollouts)) await this.reconcile(r);
    this.offs.push(this.deps.bus.on('delivery', (e) => this.onDelivery(e)));
    this.offs.push(this.deps.bus.on('device.online', (e) => this.onOnline(e.deviceId)));
    this.timer = setInterval(() => this.tick(), this.deps.tickMs ?? 1000);
    this.timer.unref();
    this.deps.state.changed();
    this.schedulePump();
  }

  async stop(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pumping;
    await this.deps.state.flush();
  }

  /** Called after any change of a rollout (a speaker's progress, a group, its status). */
  onChange(fn: (rolloutId: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async create(actor: Actor, input: RolloutInput): Promise<RolloutView> {
    const fw = this.deps.firmware.get(input.firmwareId);
    const targeted = this.deps.registry.resolveTargets(actor, input.targets).sort();
    const skipped: Rollout['skipped'] = [];
    const ids = targeted.filter((id) => {
      const reason = this.skipReason(id, fw.model, fw.version);
      if (reason) skipped.push({ deviceId: id, reason });
      return reason === null;
    });
    if (ids.length === 0) throw fleetOpsErrors.LOA_NO_TARGETS({ skipped: skipped.length });
    this.checkOverlap(ids);
    const now = this.deps.clock.now();
    const groups = planGroups(ids, input.groupSize);
    const r: Rollout = {
      id: newId('ro'),
      firmwareId: fw.id,
      version: fw.version,
      sha256: fw.sha256,
      targets: input.targets,
      createdAt: now,
      createdBy: actor.username,
      commune: actor.commune,
      groupSize: input.groupSize,
      successThreshold: input.successThreshold,
      errorThreshold: input.errorThreshold,
      maxConcurrent: input.maxConcurrent,
      timeoutMs: (input.timeoutS ?? DEFAULT_TIMEOUT_S) * 1000,
      status: 'running',
      reason: null,
      groups,
      speakers: Object.fromEntries(groups.flatMap((g, i) => g.deviceIds.map((id) => [id, blankProgress(i)]))),
      skipped,
      peakUpdating: 0,
      finishedAt: null,
    };
    this.rollouts[r.id] = r;
    this.saved(r);
    await this.deps.state.flush();
    return this.view(r);
  }

  /** Its own area's rollouts, and the district's that update the commune's speakers (to follow, not to steer). */
  list(actor: Actor): RolloutSummary[] {
    return Object.values(this.rollouts)
      .filter((r) => this.readable(actor, r))
      .sort((a, b) => b.createdAt - a.createdAt)
      .map(rolloutSummary);
  }

  get(actor: Actor, id: string): RolloutView {
    const r = Object.hasOwn(this.rollouts, id) ? this.rollouts[id] : undefined;
    if (!r || !this.readable(actor, r)) throw commonErrors.LOA_NOT_FOUND({ what: 'đợt cập nhật / rollout', id });
    return this.view(r);
  }

  private readable(actor: Actor, r: Rollout): boolean {
    return this.deps.registry.readableBy(actor, r.commune, r.targets);
  }

  async pause(actor: Actor, id: string): Promise<RolloutView> {
    return this.transition(actor, id, 'pause', ['running'], (r) => (r.status = 'paused'));
  }

  async resume(actor: Actor, id: string): Promise<RolloutView> {
    return this.transition(actor, id, 'resume', ['paused'], (r) => (r.status = 'running'));
  }

  /** No speaker starts any more; ota commands not yet acknowledged are cancelled; installs under way are still followed. */
  async abort(actor: Actor, id: string): Promise<RolloutView> {
    return this.transition(actor, id, 'abort', ['running', 'paused', 'stopped'], (r, now) => {
      end(r, 'aborted', `aborted by ${actor.username}`, now);
      for (const sp of Object.values(r.speakers)) if (sp.state === 'waiting') conclude(sp, 'skipped', { code: 'aborted', message: 'rollout aborted' }, now);
      const jobs = new Set(Object.values(r.speakers).flatMap((sp) => (sp.state === 'updating' && sp.jobId ? [sp.jobId] : [])));
      for (const jobId of jobs) this.deps.dispatcher.cancel(jobId, actor.username);
    });
  }

  private async transition(actor: Actor, id: string, action: string, from: Rollout['status'][], act: (r: Rollout, now: number) => void): Promise<RolloutView> {
    const r = this.find(actor, id);
    if (!from.includes(r.status)) throw fleetOpsErrors.LOA_ROLLOUT_STATE({ status: r.status, action });
    act(r, this.deps.clock.now());
    this.saved(r);
    await this.deps.state.flush();
    return this.view(r);
  }

  private find(actor: Actor, id: string): Rollout {
    const r = Object.hasOwn(this.rollouts, id) ? this.rollouts[id] : undefined;
    if (!r || !inScope(actor, r.commune)) throw commonErrors.LOA_NOT_FOUND({ what: 'đợt cập nhật / rollout', id });
    return r;
  }

  private view(r: Rollout): RolloutView {
    return rolloutView(r, this.deps.firmware.get(r.firmwareId), (id) => this.deps.presence.get(id)?.fw ?? null);
  }

  private skipReason(id: string, model: string, version: string): Rollout['skipped'][number]['reason'] | null {
    const p = this.deps.presence.get(id);
    const known = p?.model ?? this.deps.store.devices.get(id)?.model ?? null;
    if (known !== null && known !== model) return 'model_mismatch';
    if (p?.fw === version) return 'already_current';
    return null;
  }

  /** A speaker is in one unfinished rollout at a time. */
  private checkOverlap(ids: string[]): void {
    const busy = overlapping(Object.values(this.rollouts), ids);
    if (busy) throw fleetOpsErrors.LOA_ROLLOUT_OVERLAP(busy);
  }

  private onDelivery(e: DeliveryEvent): void {
    const r = this.rollouts[this.byJob.get(e.jobId) ?? ''];
    const sp = r?.speakers[e.deviceId];
    if (!r || !sp || sp.state !== 'updating' || sp.jobId !== e.jobId) return;
    const now = this.deps.clock.now();
    if (onDelivery(r, sp, e.state, e.error, this.deps.presence.get(e.deviceId), now)) this.changed(r, now);
  }

  private onOnline(deviceId: string): void {
    const now = this.deps.clock.now();
    for (const r of Object.values(this.rollouts)) {
      const sp = r.speakers[deviceId];
      if (sp && onBirth(r, sp, this.deps.presence.get(deviceId), now)) this.changed(r, now);
    }
    this.schedulePump();
  }

  private changed(r: Rollout, now: number): void {
    evaluate(r, now);
    this.saved(r);
  }

  private saved(r: Rollout): void {
    this.deps.state.changed();
    this.schedulePump();
    for (const fn of this.listeners) fn(r.id);
  }

  private tick(): void {
    const now = this.deps.clock.now();
    for (const r of Object.values(this.rollouts)) {
      let late = false;
      for (const sp of Object.values(r.speakers)) late = onTimeout(r, sp, now) || late;
      if (late) this.changed(r, now);
    }
  }

  /** Starts are serialized: slots freed meanwhile are filled together by the next round. */
  private schedulePump(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    this.pumping = this.pumping
      .then(async () => {
        this.pumpQueued = false;
        for (const r of Object.values(this.rollouts)) await this.startMore(r);
      })
      .catch((err: unknown) => this.deps.logger.warn({ err: String(err) }, 'rollout pump failed'));
  }

  private async startMore(r: Rollout): Promise<void> {
    const ids = nextToStart(r, (id) => this.deps.presence.isOnline(id));
    if (ids.length === 0) return;
    const now = this.deps.clock.now();
    const jobId = newId('c');
    for (const id of ids) {
      const sentSession = this.deps.presence.get(id)?.session ?? -1;
      Object.assign(r.speakers[id]!, { state: 'updating', jobId, startedAt: now, sentSession, doneSession: null, error: null });
      r.groups[r.speakers[id]!.group]!.startedAt ??= now;
    }
    r.peakUpdating = Math.max(r.peakUpdating, Object.values(r.speakers).filter((sp) => sp.state === 'updating').length);
    this.byJob.set(jobId, r.id);
    for (const fn of this.listeners) fn(r.id);
    // Recorded before it is sent: after a crash in between, reconcile() finds no job and starts again.
    this.deps.state.changed();
    await this.deps.state.flush();
    try {
      await this.deps.dispatcher.dispatch(this.otaJob(r, jobId, ids, now));
    } catch (err) {
      for (const id of ids) conclude(r.speakers[id]!, 'failed', { code: 'dispatch_failed', message: String(err) }, now);
      this.changed(r, now);
    }
  }

  private otaJob(r: Rollout, jobId: string, deviceIds: string[], now: number): CommandJob {
    const fw = this.deps.firmware.get(r.firmwareId);
    const notAfter = now + r.timeoutMs;
    const params = { url: this.deps.firmware.url(fw, notAfter), sha256: fw.sha256, version: fw.version };
    return { kind: 'command', id: jobId, type: 'ota', params, forBroadcast: null, deviceIds, targeted: deviceIds.length, createdAt: now, createdBy: r.createdBy, commune: r.commune, notAfter, status: 'active', finishedAt: null };
  }

  /** After a restart: each updating speaker is matched with what its ota job and its presence say now. */
  private async reconcile(r: Rollout): Promise<void> {
    const now = this.deps.clock.now();
    const deliveries = new Map<string, Map<string, Delivery>>();
    for (const [deviceId, sp] of Object.entries(r.speakers)) {
      if (sp.state !== 'updating' || !sp.jobId) continue;
      if (!this.deps.store.commandJobs.get(sp.jobId)) {
        Object.assign(sp, blankProgress(sp.group));
        continue;
      }
      this.byJob.set(sp.jobId, r.id);
      if (!deliveries.has(sp.jobId)) deliveries.set(sp.jobId, await this.deliveriesOf(sp.jobId));
      const d = deliveries.get(sp.jobId)!.get(deviceId);
      if (!d || !isFinal(d.state)) continue;
      const seen = this.deps.presence.get(deviceId);
      if (sp.doneSession === null) onDelivery(r, sp, d.state, d.error, seen, now);
      else onBirth(r, sp, seen, now);
    }
    evaluate(r, now);
  }

  private async deliveriesOf(jobId: string): Promise<Map<string, Delivery>> {
    const live = this.deps.dispatcher.liveDeliveries(jobId);
    if (live) return live;
    return new Map((await this.deps.store.deliveries.read(jobId)).map((d) => [d.deviceId, d]));
  }
}
