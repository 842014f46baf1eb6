/** An OASIS CAP 1.2 alert as Loa holds it once parsed and validated (names follow the standard). */
import type { LatLon } from '../area.js';
import type { CapCategory } from '../hazards.js';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';

export const CAP_STATUS = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export const CAP_MSG_TYPE = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export const CAP_SCOPE = ['Public', 'Restricted', 'Private'] as const;
export const CAP_CATEGORY = [
  'Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other',
] as const satisfies readonly CapCategory[];
export const CAP_RESPONSE_TYPE = [
  'Shelter', 'Evacuate', 'Prepare', 'Execute', 'Avoid', 'Monitor', 'Assess', 'AllClear', 'None',
] as const;
export const CAP_URGENCY = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export const CAP_SEVERITY = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export const CAP_CERTAINTY = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;

export type CapStatus = (typeof CAP_STATUS)[number];
export type CapMsgType = (typeof CAP_MSG_TYPE)[number];
export type CapScope = (typeof CAP_SCOPE)[number];
export type CapResponseType = (typeof CAP_RESPONSE_TYPE)[number];
export type CapUrgency = (typeof CAP_URGENCY)[number];
export type CapSeverity = (typeof CAP_SEVERITY)[number];
export type CapCertainty = (typeof CAP_CERTAINTY)[number];

/** One earlier message, as named in <references>: "sender,identifier,sent". */
export interface CapReference {
  sender: string;
  identifier: string;
  sent: string;
}

export interface CapValue {
  valueName: string;
  value: string;
}

/** A CAP time: the text as sent (kept for <references>) and its instant in ms since the epoch. */
export interface CapTime {
  text: string;
  ms: number;
}

export interface CapResource {
  resourceDesc: string;
  mimeType: string;
  size?: number;
  uri?: string;
  /** The decoded bytes of <derefUri> (embedded base64 content). */
  deref?: Buffer;
  digest?: string;
}

export interface CapArea {
  areaDesc: string;
  /** Each polygon as [lat, lon] points, without the closing repeat of the first point. */
  polygons: LatLon[][];
  circles: Array<{ lat: number; lon: number; radiusM: number }>;
  geocodes: CapValue[];
  altitude?: number;
  ceiling?: number;
}

export interface CapInfo {
  /** RFC 3066 language; CAP's default is "en-US" when <language> is absent. */
  language: string;
  categories: CapCategory[];
  event: string;
  responseTypes: CapResponseType[];
  urgency: CapUrgency;
  severity: CapSeverity;
  certainty: CapCertainty;
  audience?: string;
  eventCodes: CapValue[];
  effective?: CapTime;
  onset?: CapTime;
  expires?: CapTime;
  senderName?: string;
  headline?: string;
  description?: string;
  instruction?: string;
  web?: string;
  contact?: string;
  parameters: CapValue[];
  resources: CapResource[];
  areas: CapArea[];
}

export interface CapAlert {
  identifier: string;
  sender: string;
  sent: CapTime;
  status: CapStatus;
  msgType: CapMsgType;
  source?: string;
  scope: CapScope;
  restriction?: string;
  addresses?: string;
  codes: string[];
  note?: string;
  references: CapReference[];
  incidents?: string;
  info: CapInfo[];
}
