/**
 * A parsed CAP alert → what Loa should do with it (pure: no clock, no store, no network).
 * The info block used is pickInfo's (vi-VN first); its areas and geocodes choose the speakers.
 */
import type { Area } from '../area.js';
import { isRiskLevel, type HazardId, type RiskLevel } from '../hazards.js';
import { capErrors } from './errors.js';
import { hazardOf } from './hazard-match.js';
import { pickInfo } from './parse.js';
import type {
  CapAlert, CapCertainty, CapInfo, CapReference, CapSeverity, CapStatus, CapUrgency,
} from './types.js';

export interface CapIntent {
  action: 'alert' | 'drill' | 'store';
  msgType: 'Alert' | 'Update' | 'Cancel';
  /** This message as later ones will reference it. */
  ref: CapReference;
  sent: number;
  /** Earlier messages this one updates or cancels. */
  references: CapReference[];
  hazard: HazardId;
  riskLevel: RiskLevel;
  priority: 3; // PROTOCOL priorities: 3 emergency (bản tin khẩn cấp), plays at once, before everything
  title: string;
  /** headline (or event), description and instruction, as sentences for text to speech. */
  text: string;
  audio?: { mimeType: string; bytes: Buffer };
  /** An audio resource given only by address, to be fetched by the caller. */
  audioUri?: string;
  areas: Area[];
  zones: string[];
  /** "valueName:value" geocodes missing from the table: shown to the officer, never guessed. */
  unknownGeocodes: string[];
  notAfter?: number;
  language: string;
}

export interface CapMapOptions {
  /** "valueName:value" of a CAP geocode → Loa zone ids. */
  geocodeTable: Record<string, string[]>;
}

const ACTION: Record<CapStatus, CapIntent['action']> = {
  Actual: 'alert',
  Exercise: 'drill',
  Test: 'drill',
  System: 'store',
  Draft: 'store',
};

export function capToIntent(alert: CapAlert, opts: CapMapOptions): CapIntent {
  const { msgType } = alert;
  if (msgType === 'Ack' || msgType === 'Error') throw capErrors.LOA_CAP_NOT_BROADCAST({ msgType });
  const action = ACTION[alert.status];
  const info = pickInfo(alert);
  if (!info && msgType !== 'Cancel' && action !== 'store') throw capErrors.LOA_CAP_MISSING({ element: 'info', path: 'alert' });
  const base = {
    action,
    msgType,
    ref: { sender: alert.sender, identifier: alert.identifier, sent: alert.sent.text },
    sent: alert.sent.ms,
    references: alert.references,
    priority: 3 as const,
  };
  const intent: CapIntent = info ? { ...base, ...fromInfo(info, opts) } : { ...base, ...withoutInfo(alert) };
  if (info && action !== 'store' && msgType !== 'Cancel' && intent.areas.length === 0 && intent.zones.length === 0) {
    const names = info.areas.map((a) => `"${a.areaDesc}"`).join(', ') || '(—)';
    throw capErrors.LOA_CAP_NO_TARGET({ areas: names });
  }
  return intent;
}

type InfoPart = Omit<CapIntent, 'action' | 'msgType' | 'ref' | 'sent' | 'references' | 'priority'>;

function fromInfo(info: CapInfo, opts: CapMapOptions): InfoPart {
  const audio = info.resources.find((r) => r.mimeType.startsWith('audio/') && r.deref);
  const remoteAudio = info.resources.find((r) => r.mimeType.startsWith('audio/') && !r.deref && r.uri);
  const keys = info.areas.flatMap((a) => a.geocodes.map((g) => `${g.valueName}:${g.value}`));
  const title = info.headline ?? info.event;
  return {
    hazard: hazardOf(info),
    riskLevel: riskLevelOf(info),
    title,
    text: speakable([title, info.description, info.instruction]),
    ...(audio ? { audio: { mimeType: audio.mimeType, bytes: audio.deref! } } : {}),
    ...(remoteAudio ? { audioUri: remoteAudio.uri! } : {}),
    areas: info.areas.flatMap((a) => [...a.polygons.map((polygon) => ({ polygon })), ...a.circles.map((circle) => ({ circle }))]),
    zones: unique(keys.flatMap((k) => opts.geocodeTable[k] ?? [])),
    unknownGeocodes: unique(keys.filter((k) => !(k in opts.geocodeTable))),
    ...(info.expires ? { notAfter: info.expires.ms } : {}),
    language: info.language,
  };
}

// CAP allows a message with no <info>: a Cancel (what it cancels is named by <references>), or a
// System or Draft message that is only stored.
function withoutInfo(alert: CapAlert): InfoPart {
  const title = alert.msgType === 'Cancel' ? 'Hủy bản tin cảnh báo' : 'Bản tin không có nội dung cảnh báo';
  return {
    hazard: 'other',
    riskLevel: 1,
    title,
    text: speakable([title, alert.note]),
    areas: [],
    zones: [],
    unknownGeocodes: [],
    language: 'vi-VN',
  };
}

function speakable(parts: Array<string | undefined>): string {
  return parts
    .map((p) => p?.trim() ?? '')
    .filter((p) => p !== '')
    .map((p) => (/[.!?…:;]$/.test(p) ? p : `${p}.`))
    .join('\n');
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** Parameter names read as a risk level, compared without case, spaces or diacritics. */
const RISK_PARAMETERS = new Set(['risklevel', 'capdoruiro', 'capdoruirothientai']);

const fold = (s: string) =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/[^a-z0-9]/g, '');

export function riskLevelOf(info: CapInfo): RiskLevel {
  const param = info.parameters.find((p) => RISK_PARAMETERS.has(fold(p.valueName)));
  if (!param) return riskFromCap(info.severity, info.urgency, info.certainty);
  const level = Number(/\d+/.exec(param.value)?.[0]);
  if (!isRiskLevel(level)) {
    throw capErrors.LOA_CAP_BAD_VALUE({
      element: `parameter ${param.valueName}`, path: 'alert/info', value: param.value,
      expectedVi: 'cấp độ rủi ro từ 1 đến 5', expectedEn: 'a risk level from 1 to 5',
    });
  }
  return level;
}

/**
 * Risk level when the sender gives none. Loa's own table: Decision 18/2021 sets levels per hazard from
 * measured quantities (wind force, rainfall, water level…) that CAP does not carry, so the level is
 * read from CAP's three axes:
 *
 *   severity            | otherwise | urgency Immediate and certainty Observed or Likely
 *   Extreme             |     4     |     5
 *   Severe              |     3     |     4
 *   Moderate, Unknown   |     2     |     3
 *   Minor               |     1     |     2
 *
 * then one level lower when certainty is Unlikely (never below 1).
 */
export function riskFromCap(severity: CapSeverity, urgency: CapUrgency, certainty: CapCertainty): RiskLevel {
  const base = { Extreme: 4, Severe: 3, Moderate: 2, Unknown: 2, Minor: 1 }[severity];
  const now = urgency === 'Immediate' && (certainty === 'Observed' || certainty === 'Likely') ? 1 : 0;
  const unlikely = certainty === 'Unlikely' ? 1 : 0;
  return Math.max(1, Math.min(5, base + now - unlikely)) as RiskLevel;
}

/** The CAP axes Loa writes for a risk level; riskFromCap gives the level back. */
export function capAxesFor(level: RiskLevel): { severity: CapSeverity; urgency: CapUrgency; certainty: CapCertainty } {
  if (level === 5) return { severity: 'Extreme', urgency: 'Immediate', certainty: 'Likely' };
  const severity = (['Minor', 'Moderate', 'Severe', 'Extreme'] as const)[level - 1]!;
  return { severity, urgency: 'Expected', certainty: 'Likely' };
}
