import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { capAxesFor, riskFromCap } from '../../controller/alerts/cap/map.js';
import { hazardInText } from '../../controller/alerts/cap/hazard-match.js';
import { CAP_CATEGORY, CAP_CERTAINTY, CAP_SEVERITY, CAP_URGENCY } from '../../controller/alerts/cap/types.js';
import {
  HAZARDS, HAZARD_IDS, HazardIdSchema, RISK_LEVELS, RiskLevelSchema, hazard, riskLevel, type RiskLevel,
} from '../../controller/alerts/hazards.js';

describe('hazard vocabulary', () => {
  it('describes every hazard id once, in Vietnamese and English, under a CAP category', () => {
    expect(HAZARDS.map((h) => h.id)).toEqual([...HAZARD_IDS]);
    for (const h of HAZARDS) {
      expect(h.vi.length * h.en.length).toBeGreaterThan(0);
      expect(CAP_CATEGORY).toContain(h.capCategory);
    }
    expect(hazard('flash-flood').vi).toBe('Lũ quét');
    expect(hazard('epidemic').capCategory).toBe('Health');
  });

  it('has the five risk levels of Decision 18/2021 in their official colours', () => {
    expect(RISK_LEVELS.map((r) => [r.level, r.colour])).toEqual([
      [1, 'light-blue'], [2, 'light-yellow'], [3, 'orange'], [4, 'red'], [5, 'purple'],
    ]);
    for (const r of RISK_LEVELS) expect(r.hex).toMatch(/^#[0-9A-F]{6}$/);
    expect(riskLevel(5).vi).toContain('thảm họa');
  });

  it('has schemas that accept exactly the ids and levels', () => {
    const ajv = new Ajv({ strict: false });
    const id = ajv.compile(HazardIdSchema);
    const level = ajv.compile(RiskLevelSchema);
    expect([id('flash-flood'), id('fire'), id('tornado'), id('')]).toEqual([true, true, false, false]);
    expect([1, 5, 0, 6, 2.5, '3'].map((v) => level(v))).toEqual([true, true, false, false, false, false]);
  });
});

describe('naming the hazard from text', () => {
  it.each([
    ['Cảnh báo lũ quét và sạt lở đất', 'flash-flood'],
    ['Cảnh báo lũ trên sông Vu Gia', 'flood'], // "báo" is not "bão"
    ['Bão số 5', 'storm'],
    ['Áp thấp nhiệt đới gần Biển Đông', 'storm'],
    ['Nước dâng do bão', 'storm-surge'],
    ['Sạt lở bờ sông Thu Bồn', 'river-bank-erosion'],
    ['Sạt lở đất', 'landslide'],
    ['Rét đậm, rét hại', 'cold'],
    ['Dông, lốc, sét', 'whirlwind-lightning-hail'],
    ['Ổ dịch sốt xuất huyết', 'epidemic'],
    ['Cháy rừng', 'forest-fire'],
    ['Hỏa hoạn tại chợ', 'fire'],
    ['Forest fire', 'forest-fire'],
    ['Thunderstorm warning', 'whirlwind-lightning-hail'],
    ['Flash flood', 'flash-flood'],
    ['Bão'.normalize('NFD'), 'storm'], // decomposed diacritics from another system
  ])('%s → %s', (text, id) => {
    expect(hazardInText(text)).toBe(id);
  });

  it('finds nothing in unrelated text ("dịch vụ" is a service, not an epidemic)', () => {
    expect(hazardInText('Thông báo lịch cắt điện và dịch vụ nước')).toBeUndefined();
  });
});

describe('risk level from CAP severity, urgency and certainty', () => {
  it('follows the documented table', () => {
    expect(riskFromCap('Extreme', 'Immediate', 'Observed')).toBe(5);
    expect(riskFromCap('Extreme', 'Expected', 'Observed')).toBe(4);
    expect(riskFromCap('Severe', 'Immediate', 'Likely')).toBe(4);
    expect(riskFromCap('Severe', 'Future', 'Possible')).toBe(3);
    expect(riskFromCap('Moderate', 'Immediate', 'Possible')).toBe(2);
    expect(riskFromCap('Unknown', 'Unknown', 'Unknown')).toBe(2);
    expect(riskFromCap('Minor', 'Immediate', 'Observed')).toBe(2);
    expect(riskFromCap('Minor', 'Expected', 'Unlikely')).toBe(1);
    expect(riskFromCap('Extreme', 'Immediate', 'Unlikely')).toBe(3);
  });

  it('stays within 1–5 for every combination', () => {
    for (const s of CAP_SEVERITY) for (const u of CAP_URGENCY) for (const c of CAP_CERTAINTY) {
      expect([1, 2, 3, 4, 5]).toContain(riskFromCap(s, u, c));
    }
  });

  it('writes axes that read back as the same level', () => {
    for (const level of [1, 2, 3, 4, 5] as RiskLevel[]) {
      const { severity, urgency, certainty } = capAxesFor(level);
      expect(riskFromCap(severity, urgency, certainty)).toBe(level);
    }
  });
});
