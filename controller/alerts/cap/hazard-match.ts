/**
 * Which hazard a CAP <info> is about: an explicit Loa eventCode, else words in <event> (then
 * <headline>), else its category. Words are matched with their diacritics, because stripping them
 * confuses Vietnamese words ("bão" storm, "báo" report: every "cảnh báo" would become a storm).
 */
import { isHazardId, type HazardId } from '../hazards.js';
import type { CapInfo } from './types.js';

/** The eventCode valueName Loa writes in the CAP it renders; any valueName whose value is a hazard id is read. */
export const HAZARD_EVENT_CODE = 'LOA-HAZARD';

const WORDS: Record<Exclude<HazardId, 'other'>, string[]> = {
  storm: ['bão', 'siêu bão', 'áp thấp nhiệt đới', 'storm', 'tropical storm', 'typhoon', 'tropical depression', 'cyclone', 'hurricane'],
  'heavy-rain': ['mưa lớn', 'mưa to', 'mưa rất to', 'heavy rain', 'heavy rainfall'],
  flood: ['lũ', 'lũ lụt', 'lụt', 'flood', 'flooding', 'river flood'],
  'flash-flood': ['lũ quét', 'lũ ống', 'flash flood', 'flash flooding'],
  landslide: ['sạt lở', 'sạt lở đất', 'lở đất', 'sụt lún', 'sụt lún đất', 'landslide', 'mudslide', 'land subsidence', 'subsidence'],
  inundation: ['ngập', 'ngập lụt', 'ngập úng', 'inundation'],
  'storm-surge': ['nước dâng', 'nước dâng do bão', 'triều cường', 'storm surge'],
  drought: ['hạn hán', 'drought'],
  'saline-intrusion': ['xâm nhập mặn', 'nhiễm mặn', 'saline intrusion', 'salinity intrusion', 'saltwater intrusion'],
  'heat-wave': ['nắng nóng', 'nắng nóng gay gắt', 'heat wave', 'heatwave', 'extreme heat'],
  cold: ['rét hại', 'rét đậm', 'rét đậm rét hại', 'sương muối', 'băng giá', 'severe cold', 'cold wave', 'frost'],
  'whirlwind-lightning-hail': ['lốc', 'lốc xoáy', 'sét', 'mưa đá', 'dông', 'giông', 'whirlwind', 'tornado', 'lightning', 'hail', 'thunderstorm'],
  earthquake: ['động đất', 'earthquake'],
  tsunami: ['sóng thần', 'tsunami'],
  'strong-wind-at-sea': ['gió mạnh', 'gió mạnh trên biển', 'strong wind', 'strong wind at sea', 'gale'],
  fog: ['sương mù', 'fog'],
  'river-bank-erosion': ['sạt lở bờ sông', 'sạt lở bờ biển', 'xói lở', 'river bank erosion', 'riverbank erosion', 'coastal erosion'],
  'forest-fire': ['cháy rừng', 'forest fire', 'wildfire'],
  fire: ['cháy', 'cháy nổ', 'hỏa hoạn', 'hoả hoạn', 'fire'],
  // not bare "dịch": it is also "dịch vụ" (service) and "phiên dịch" (translation)
  epidemic: ['dịch bệnh', 'bệnh dịch', 'ổ dịch', 'dịch tả', 'dịch cúm', 'sốt xuất huyết', 'epidemic', 'outbreak', 'pandemic'],
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PATTERNS = Object.entries(WORDS).flatMap(([id, words]) =>
  words.map((word) => ({ id: id as HazardId, length: word.length, re: new RegExp(`(?<![\\p{L}\\p{N}])${escape(word)}(?![\\p{L}\\p{N}])`, 'u') })),
);

/** The hazard named first in the text; at the same place, the longest name wins ("lũ quét" over "lũ"). */
export function hazardInText(text: string): HazardId | undefined {
  const t = text.normalize('NFC').toLowerCase();
  let best: { id: HazardId; at: number; length: number } | undefined;
  for (const { id, length, re } of PATTERNS) {
    const at = re.exec(t)?.index;
    if (at === undefined) continue;
    if (!best || at < best.at || (at === best.at && length > best.length)) best = { id, at, length };
  }
  return best?.id;
}

export function hazardOf(info: CapInfo): HazardId {
  const coded = info.eventCodes.map((c) => c.value.trim().toLowerCase()).find(isHazardId);
  if (coded) return coded;
  const named = hazardInText(info.event) ?? (info.headline ? hazardInText(info.headline) : undefined);
  if (named) return named;
  if (info.categories.includes('Fire')) return 'fire';
  if (info.categories.includes('Health')) return 'epidemic';
  return 'other';
}
