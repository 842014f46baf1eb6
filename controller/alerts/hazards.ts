/**
 * Hazard vocabulary for emergency alerts: the disaster types of Decision 18/2021/QĐ-TTg
 * (forecasting, warning and communication of natural disasters, and disaster risk levels),
 * plus fire and epidemic, each with the CAP 1.2 category it is reported under.
 * Risk levels 1–5 and their colours follow Article 4(3) of the same Decision.
 */
import { Type } from 'typebox';

export type CapCategory =
  | 'Geo' | 'Met' | 'Safety' | 'Security' | 'Rescue' | 'Fire'
  | 'Health' | 'Env' | 'Transport' | 'Infra' | 'CBRNE' | 'Other';

export const HAZARD_IDS = [
  'storm',
  'heavy-rain',
  'flood',
  'flash-flood',
  'landslide',
  'inundation',
  'storm-surge',
  'drought',
  'saline-intrusion',
  'heat-wave',
  'cold',
  'whirlwind-lightning-hail',
  'earthquake',
  'tsunami',
  'strong-wind-at-sea',
  'fog',
  'river-bank-erosion',
  'forest-fire',
  'fire',
  'epidemic',
  'other',
] as const;

export type HazardId = (typeof HAZARD_IDS)[number];
export const HazardIdSchema = Type.Enum(HAZARD_IDS);

export interface Hazard {
  id: HazardId;
  vi: string;
  en: string;
  capCategory: CapCategory;
}

export const HAZARDS: readonly Hazard[] = [
  { id: 'storm', vi: 'Bão, áp thấp nhiệt đới', en: 'Storm, tropical depression', capCategory: 'Met' },
  { id: 'heavy-rain', vi: 'Mưa lớn', en: 'Heavy rain', capCategory: 'Met' },
  { id: 'flood', vi: 'Lũ', en: 'Flood', capCategory: 'Met' },
  { id: 'flash-flood', vi: 'Lũ quét', en: 'Flash flood', capCategory: 'Met' },
  { id: 'landslide', vi: 'Sạt lở đất, sụt lún đất', en: 'Landslide, land subsidence', capCategory: 'Geo' },
  { id: 'inundation', vi: 'Ngập lụt', en: 'Inundation', capCategory: 'Met' },
  { id: 'storm-surge', vi: 'Nước dâng', en: 'Storm surge', capCategory: 'Met' },
  { id: 'drought', vi: 'Hạn hán', en: 'Drought', capCategory: 'Met' },
  { id: 'saline-intrusion', vi: 'Xâm nhập mặn', en: 'Saline intrusion', capCategory: 'Env' },
  { id: 'heat-wave', vi: 'Nắng nóng', en: 'Heat wave', capCategory: 'Met' },
  { id: 'cold', vi: 'Rét hại, sương muối', en: 'Severe cold, frost', capCategory: 'Met' },
  { id: 'whirlwind-lightning-hail', vi: 'Lốc, sét, mưa đá', en: 'Whirlwind, lightning, hail', capCategory: 'Met' },
  { id: 'earthquake', vi: 'Động đất', en: 'Earthquake', capCategory: 'Geo' },
  { id: 'tsunami', vi: 'Sóng thần', en: 'Tsunami', capCategory: 'Geo' },
  { id: 'strong-wind-at-sea', vi: 'Gió mạnh trên biển', en: 'Strong wind at sea', capCategory: 'Met' },
  { id: 'fog', vi: 'Sương mù', en: 'Fog', capCategory: 'Met' },
  { id: 'river-bank-erosion', vi: 'Sạt lở bờ sông, bờ biển', en: 'River bank and coastal erosion', capCategory: 'Geo' },
  { id: 'forest-fire', vi: 'Cháy rừng', en: 'Forest fire', capCategory: 'Fire' },
  { id: 'fire', vi: 'Cháy, hỏa hoạn', en: 'Fire', capCategory: 'Fire' },
  { id: 'epidemic', vi: 'Dịch bệnh', en: 'Epidemic', capCategory: 'Health' },
  { id: 'other', vi: 'Thiên tai, sự cố khác', en: 'Other hazard', capCategory: 'Other' },
];

const byId = new Map<string, Hazard>(HAZARDS.map((h) => [h.id, h]));

export function isHazardId(value: string): value is HazardId {
  return byId.has(value);
}

export function hazard(id: HazardId): Hazard {
  return byId.get(id)!;
}

export type RiskLevel = 1 | 2 | 3 | 4 | 5;
export const RiskLevelSchema = Type.Union([
  Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4), Type.Literal(5),
]);

export type RiskColour = 'light-blue' | 'light-yellow' | 'orange' | 'red' | 'purple';

export interface RiskLevelInfo {
  level: RiskLevel;
  colour: RiskColour;
  /** Screen rendering of the named colour. The Decision names the colours; these hex values are Loa's choice. */
  hex: string;
  vi: string;
  en: string;
}

/** Decision 18/2021/QĐ-TTg Art. 4(3): level 1 light blue … level 5 purple, in rising order of risk. */
export const RISK_LEVELS: readonly RiskLevelInfo[] = [
  { level: 1, colour: 'light-blue', hex: '#8FD3FE', vi: 'Cấp 1 – rủi ro thấp', en: 'Level 1 – low risk' },
  { level: 2, colour: 'light-yellow', hex: '#FFF59D', vi: 'Cấp 2 – rủi ro trung bình', en: 'Level 2 – medium risk' },
  { level: 3, colour: 'orange', hex: '#FF9800', vi: 'Cấp 3 – rủi ro lớn', en: 'Level 3 – high risk' },
  { level: 4, colour: 'red', hex: '#E53935', vi: 'Cấp 4 – rủi ro rất lớn', en: 'Level 4 – very high risk' },
  { level: 5, colour: 'purple', hex: '#8E24AA', vi: 'Cấp 5 – thảm họa', en: 'Level 5 – disaster' },
];

export function riskLevel(level: RiskLevel): RiskLevelInfo {
  return RISK_LEVELS[level - 1]!;
}

export function isRiskLevel(value: number): value is RiskLevel {
  return Number.isInteger(value) && value >= 1 && value <= 5;
}
