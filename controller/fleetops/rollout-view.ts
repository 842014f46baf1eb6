/** What the API shows of a rollout: totals, each group's progress and each speaker's. */
import { countAll, countGroup, type GroupCounts } from './rollout-plan.js';
import type { FirmwareRecord, Rollout, SpeakerProgress, SpeakerState } from './state.js';

export type RolloutSummary = Omit<Rollout, 'groups' | 'speakers' | 'skipped'> & {
  totals: Record<SpeakerState, number> & { targeted: number };
  groupCount: number;
  /** Index of the first group whose success threshold is not met yet (null: all met). */
  currentGroup: number | null;
};

export interface SpeakerView extends Omit<SpeakerProgress, 'group' | 'doneSession' | 'sentSession'> {
  deviceId: string;
  /** Installed (ota done), waiting for the speaker to come back with the new firmware. */
  installed: boolean;
  /** The firmware the speaker last announced in its birth. */
  fw: string | null;
}

export interface GroupView {
  index: number;
  startedAt: number | null;
  thresholdMetAt: number | null;
  finishedAt: number | null;
  counts: GroupCounts;
  speakers: SpeakerView[];
}

export type RolloutView = RolloutSummary & {
  firmware: Pick<FirmwareRecord, 'id' | 'version' | 'model' | 'sha256' | 'bytes'>;
  groups: GroupView[];
  skipped: Rollout['skipped'];
};

export function rolloutSummary(r: Rollout): RolloutSummary {
  const { groups, speakers: _s, skipped: _k, ...rest } = r;
  const current = groups.findIndex((g) => g.thresholdMetAt === null);
  return {
    ...rest,
    totals: { ...countAll(r), targeted: Object.keys(r.speakers).length + r.skipped.length },
    groupCount: groups.length,
    currentGroup: current === -1 ? null : current,
  };
}

export function rolloutView(r: Rollout, fw: FirmwareRecord, fwOf: (id: string) => string | null): RolloutView {
  return {
    ...rolloutSummary(r),
    firmware: { id: fw.id, version: fw.version, model: fw.model, sha256: fw.sha256, bytes: fw.bytes },
    skipped: r.skipped,
    groups: r.groups.map((g, index) => ({
      index,
      startedAt: g.startedAt,
      thresholdMetAt: g.thresholdMetAt,
      finishedAt: g.finishedAt,
      counts: countGroup(r, g),
      speakers: g.deviceIds.map((id) => speakerView(id, r.speakers[id]!, fwOf(id))),
    })),
  };
}

function speakerView(deviceId: string, sp: SpeakerProgress, fw: string | null): SpeakerView {
  const { group: _g, doneSession, sentSession: _s, ...rest } = sp;
  return { deviceId, ...rest, installed: doneSession !== null || sp.state === 'updated', fw };
}
