/**
 * The feature's own small lowdb document (firmware images, rollouts, imports, its URL-signing key):
 * the core store has no collection for them. Writes are coalesced; `flush()` makes them durable.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { WriteCoalescer } from '../store/coalescer.js';
import type { Targets } from '../store/records.js';

export interface FirmwareRecord {
  id: string;
  sha256: string;
  bytes: number;
  version: string;
  model: string;
  /** `<sha256>.bin` under `<dataDir>/firmware/`: never a name a user gave. */
  file: string;
  createdAt: number;
  createdBy: string;
}

export type SpeakerState = 'waiting' | 'updating' | 'updated' | 'failed' | 'skipped';

export interface SpeakerProgress {
  group: number;
  state: SpeakerState;
  /** The ota command job that carries this speaker's update. */
  jobId: string | null;
  startedAt: number | null;
  /** The device's session when its ota command was sent (-1: never seen). */
  sentSession: number | null;
  /** The ota ack was `done`: now waiting for a birth (a session after this one) with the new fw. */
  doneSession: number | null;
  finishedAt: number | null;
  error: { code: string; message: string } | null;
}

export interface RolloutGroup {
  deviceIds: string[];
  startedAt: number | null;
  /** When the group's updated share reached the success threshold: the next group may start. */
  thresholdMetAt: number | null;
  finishedAt: number | null;
}

export type RolloutStatus = 'running' | 'paused' | 'stopped' | 'completed' | 'aborted';

export interface Rollout {
  id: string;
  firmwareId: string;
  version: string;
  sha256: string;
  targets: Targets;
  createdAt: number;
  createdBy: string;
  commune: string | null;
  groupSize: number;
  successThreshold: number;
  errorThreshold: number;
  maxConcurrent: number;
  timeoutMs: number;
  status: RolloutStatus;
  /** Why it stopped (error_threshold, success_threshold_not_met) or who aborted it. */
  reason: string | null;
  groups: RolloutGroup[];
  speakers: Record<string, SpeakerProgress>;
  /** Targeted but left out: another model, or already on this version. */
  skipped: Array<{ deviceId: string; reason: 'model_mismatch' | 'already_current' }>;
  peakUpdating: number;
  finishedAt: number | null;
}

export interface ImportRecord {
  id: string;
  createdAt: number;
  createdBy: string;
  createdById: string;
  count: number;
  /** When the one-time provisioning file was fetched (null: not yet, or lost with a restart). */
  downloadedAt: number | null;
}

export interface FleetOpsData {
  signingKey: string;
  firmware: Record<string, FirmwareRecord>;
  rollouts: Record<string, Rollout>;
  imports: Record<string, ImportRecord>;
}

export class FleetOpsState {
  private readonly coalescer: WriteCoalescer;

  private constructor(private readonly db: Low<FleetOpsData>, flushMs: number, onError: (err: unknown) => void) {
    this.coalescer = new WriteCoalescer(() => db.write(), flushMs, onError);
  }

  static async open(dataDir: string, flushMs: number, onError: (err: unknown) => void): Promise<FleetOpsState> {
    const dir = path.join(dataDir, 'fleetops');
    await fs.mkdir(dir, { recursive: true });
    const blank: FleetOpsData = { signingKey: randomBytes(32).toString('base64url'), firmware: {}, rollouts: {}, imports: {} };
    const db = new Low<FleetOpsData>(new JSONFile(path.join(dir, 'state.json')), blank);
    await db.read();
    db.data = { ...blank, ...db.data };
    const state = new FleetOpsState(db, flushMs, onError);
    state.changed();
    await state.flush();
    return state;
  }

  get data(): FleetOpsData {
    return this.db.data;
  }

  /** After any change to `data`: written by the next coalesced write. */
  changed(): void {
    this.coalescer.mark();
  }

  flush(): Promise<void> {
    return this.coalescer.flush();
  }
}
