/** The pure rules: rollout grouping and thresholds, and CSV reading, without a controller. */
import { describe, expect, it } from 'vitest';
import { blankProgress, countAll, evaluate, nextToStart, planGroups } from '../../controller/fleetops/rollout-plan.js';
import { readDeviceCsv, villageResolver } from '../../controller/fleetops/csv-import.js';
import type { Rollout, SpeakerState } from '../../controller/fleetops/state.js';
import type { Zone } from '../../controller/store/records.js';

function rollout(n: number, groupSize: number, opts: Partial<Rollout> = {}): Rollout {
  const ids = Array.from({ length: n }, (_, i) => `s${String(i).padStart(3, '0')}`);
  const groups = planGroups(ids, groupSize);
  return {
    id: 'ro-1', firmwareId: 'fw', version: '2', sha256: 'x', targets: { all: true }, createdAt: 0, createdBy: 't', commune: null,
    groupSize, successThreshold: 0.8, errorThreshold: 0.2, maxConcurrent: 3, timeoutMs: 1000, status: 'running', reason: null,
    groups, speakers: Object.fromEntries(groups.flatMap((g, i) => g.deviceIds.map((id) => [id, blankProgress(i)]))), skipped: [], peakUpdating: 0, finishedAt: null,
    ...opts,
  };
}
const set = (r: Rollout, ids: string[], state: SpeakerState) => ids.forEach((id) => (r.speakers[id]!.state = state));
const online = () => true;

describe('rollout rules', () => {
  it('starts no more than maxConcurrent, and only from the first group until its threshold is met', () => {
    const r = rollout(10, 5);
    expect(nextToStart(r, online)).toEqual(['s000', 's001', 's002']);
    set(r, ['s000', 's001', 's002'], 'updating');
    expect(nextToStart(r, online)).toEqual([]);
    set(r, ['s000', 's001', 's002'], 'updated');
    r.groups[0]!.startedAt = 1;
    evaluate(r, 10);
    expect(r.groups[0]!.thresholdMetAt).toBeNull();
    expect(nextToStart(r, online)).toEqual(['s003', 's004']);
    set(r, ['s003'], 'updated');
    evaluate(r, 20);
    expect(r.groups[0]!.thresholdMetAt).toBe(20);
    expect(nextToStart(r, online)).toEqual(['s004', 's005', 's006']);
  });

  it('prefers online speakers: an offline one would hold a slot until it times out', () => {
    const r = rollout(5, 5);
    expect(nextToStart(r, (id) => id !== 's000')).toEqual(['s001', 's002', 's003']);
  });

  it('stops at the error threshold, and when a group ends short of the success threshold', () => {
    const a = rollout(10, 5, { errorThreshold: 0.4 });
    a.groups[0]!.startedAt = 1;
    set(a, ['s000'], 'failed');
    evaluate(a, 5);
    expect(a.status).toBe('running');
    set(a, ['s001'], 'failed');
    evaluate(a, 6);
    expect(a).toMatchObject({ status: 'stopped', reason: 'error_threshold: group 1', finishedAt: 6 });
    expect(nextToStart(a, online)).toEqual([]);

    const b = rollout(10, 5, { errorThreshold: 0.5, successThreshold: 1 });
    b.groups[0]!.startedAt = 1;
    set(b, ['s000', 's001', 's002', 's003'], 'updated');
    set(b, ['s004'], 'failed');
    evaluate(b, 7);
    expect(b).toMatchObject({ status: 'stopped', reason: 'success_threshold_not_met: group 1' });
  });

  it('completes when every group met its threshold and ended', () => {
    const r = rollout(6, 3, { successThreshold: 0.6, errorThreshold: 0.5 });
    r.groups.forEach((g) => (g.startedAt = 1));
    set(r, ['s000', 's001', 's003', 's004', 's005'], 'updated');
    set(r, ['s002'], 'failed');
    evaluate(r, 9);
    expect(r.status).toBe('completed');
    expect(countAll(r)).toMatchObject({ updated: 5, failed: 1 });
  });
});

describe('CSV reading', () => {
  const zones: Zone[] = [
    { id: 'thon-dong', name: 'Thôn Đông', commune: 'a', kind: 'village', createdAt: 0 },
    { id: 'thon-dong-2', name: 'Thôn Đông', commune: 'b', kind: 'village', createdAt: 0 },
    { id: 'thon-tay', name: 'Thôn  Tây', commune: 'a', kind: 'village', createdAt: 0 },
  ];
  const ctx = { village: villageResolver(zones), registered: () => false };

  it('gives the first line of a record whose quoted cell spans lines, past blank lines', () => {
    const csv = 'id,name,village,latitude,longitude,model\n\nloa-1,"Loa\nhai dòng",thon-tay,,,\n\nLoa-2,x,thon-tay,,,\n';
    const { rows, errors } = readDeviceCsv(csv, ctx);
    expect(rows.map((r) => [r.line, r.name])).toEqual([[3, 'Loa\nhai dòng']]);
    expect(errors.map((e) => [e.line, e.code])).toEqual([[6, 'bad_id']]);
  });

  it('matches village names in any Unicode form, case and spacing; a shared name is ambiguous', () => {
    const csv = `id,name,village,lat,lon,model\nloa-1,,${'THÔN TÂY'.normalize('NFD')},"21,5",105.1,\nloa-2,,Thôn Đông,,,\n`;
    const { rows, errors } = readDeviceCsv(csv, ctx);
    expect(rows).toMatchObject([{ id: 'loa-1', name: 'loa-1', zoneId: 'thon-tay', lat: 21.5, lon: 105.1, model: null }]);
    expect(errors).toMatchObject([{ line: 3, code: 'ambiguous_village' }]);
  });

  it('reports a CSV syntax error with its line', () => {
    const { errors } = readDeviceCsv('id,name,village,latitude,longitude,model\nloa-1,"open,thon-tay,,,\n', ctx);
    expect(errors).toMatchObject([{ code: 'csv_syntax', line: 2 }]);
  });
});
