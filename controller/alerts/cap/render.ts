/**
 * CAP 1.2 out: a Loa alert as the XML reported upward to the province. parseCap reads it back with
 * the same meaning: the hazard as an eventCode, the risk level as a parameter (and in the
 * severity/urgency/certainty that give it back), zones as geocodes, drawn areas as polygons and circles.
 * Times are written in Vietnam's time (+07:00) to the whole second.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { areaProblem, type Area } from '../area.js';
import { hazard as hazardInfo, type HazardId, type RiskLevel } from '../hazards.js';
import { capErrors } from './errors.js';
import { areaToCapShape } from './geometry.js';
import { HAZARD_EVENT_CODE } from './hazard-match.js';
import { capAxesFor } from './map.js';
import { msToCapTime } from './read.js';
import { CAP_NAMESPACE, type CapReference } from './types.js';

/** The geocode valueName under which Loa writes its zone ids. */
export const ZONE_GEOCODE = 'LOA-ZONE';
export const RISK_PARAMETER = 'riskLevel';

export interface LoaAlertForCap {
  identifier: string;
  /** Who sends it, e.g. "loa@xa-hoa-phong"; no spaces, commas, < or &. */
  sender: string;
  senderName?: string;
  /** Ms since the epoch (written to the whole second). */
  sent: number;
  expires?: number;
  status: 'Actual' | 'Exercise';
  msgType: 'Alert' | 'Update' | 'Cancel';
  references?: CapReference[];
  hazard: HazardId;
  riskLevel: RiskLevel;
  title: string;
  text: string;
  /** Drawn areas, written together as one CAP <area> named areaDesc. */
  areas?: Area[];
  areaDesc?: string;
  /** Zones (villages, residential groups), each written as an <area> with a LOA-ZONE geocode. */
  zones?: Array<{ id: string; name: string }>;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true, // escapes & < > " ' in text and attributes
});

export function renderCap(a: LoaAlertForCap): string {
  checkInput(a);
  const alert = {
    '@_xmlns': CAP_NAMESPACE,
    identifier: a.identifier,
    sender: a.sender,
    sent: msToCapTime(a.sent),
    status: a.status,
    msgType: a.msgType,
    scope: 'Public',
    ...(a.references?.length ? { references: a.references.map((r) => `${r.sender},${r.identifier},${r.sent}`).join(' ') } : {}),
    info: renderInfo(a),
  };
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, alert }) as string;
}

function renderInfo(a: LoaAlertForCap) {
  const hazard = hazardInfo(a.hazard);
  const { severity, urgency, certainty } = capAxesFor(a.riskLevel);
  return {
    language: 'vi-VN',
    category: [hazard.capCategory],
    event: hazard.vi,
    urgency,
    severity,
    certainty,
    eventCode: [{ valueName: HAZARD_EVENT_CODE, value: a.hazard }],
    ...(a.expires !== undefined ? { expires: msToCapTime(a.expires) } : {}),
    ...(a.senderName ? { senderName: xmlText(a.senderName) } : {}),
    ...(a.title.trim() ? { headline: xmlText(a.title) } : {}),
    ...(a.text.trim() ? { description: xmlText(a.text) } : {}),
    parameter: [{ valueName: RISK_PARAMETER, value: String(a.riskLevel) }],
    area: renderAreas(a),
  };
}

function renderAreas(a: LoaAlertForCap) {
  const drawn = a.areas ?? [];
  const shapes = drawn.map(areaToCapShape);
  const polygons = shapes.flatMap((s) => ('polygon' in s ? [s.polygon] : []));
  const circles = shapes.flatMap((s) => ('circle' in s ? [s.circle] : []));
  const areaDesc = xmlText(a.areaDesc?.trim() || 'Vùng cảnh báo / Alert area');
  return [
    ...(drawn.length ? [{ areaDesc, polygon: polygons, circle: circles }] : []),
    ...(a.zones ?? []).map((z) => ({ areaDesc: xmlText(z.name), geocode: [{ valueName: ZONE_GEOCODE, value: xmlText(z.id) }] })),
  ];
}

// Characters XML 1.0 cannot carry at all (controls, lone surrogates, U+FFFE/FFFF) are dropped.
function xmlText(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

const CAP_TOKEN = /^[^\s,<&]+$/;

function checkInput(a: LoaAlertForCap): void {
  const bad = (element: string, value: string, expectedVi: string, expectedEn: string) =>
    capErrors.LOA_CAP_BAD_VALUE({ element, path: 'LoaAlertForCap', value, expectedVi, expectedEn });
  const tokens: Array<[string, string]> = [
    ['identifier', a.identifier],
    ['sender', a.sender],
    ...(a.references ?? []).flatMap((r): Array<[string, string]> => [['references', r.sender], ['references', r.identifier], ['references', r.sent]]),
  ];
  for (const [element, value] of tokens) {
    if (!CAP_TOKEN.test(value)) throw bad(element, value, 'không có khoảng trắng, dấu phẩy, < hoặc &', 'no spaces, commas, < or &');
  }
  for (const [element, ms] of [['sent', a.sent], ['expires', a.expires]] as const) {
    if (ms !== undefined && !Number.isFinite(ms)) throw bad(element, String(ms), 'thời điểm (ms)', 'an instant in ms');
  }
  for (const area of a.areas ?? []) {
    const problem = areaProblem(area);
    if (problem) throw capErrors.LOA_CAP_BAD_AREA({ areaDesc: a.areaDesc ?? '', reasonVi: problem.vi, reasonEn: problem.en });
  }
}
