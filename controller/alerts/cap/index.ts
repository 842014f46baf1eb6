/** CAP 1.2 in and out: parse and validate, map to Loa's alert intent, render. */
export { parseCap, pickInfo, assertCapMediaType, type ParseCapOptions } from './parse.js';
export { capToIntent, riskLevelOf, riskFromCap, capAxesFor, type CapIntent, type CapMapOptions } from './map.js';
export { renderCap, ZONE_GEOCODE, RISK_PARAMETER, type LoaAlertForCap } from './render.js';
export { hazardOf, hazardInText, HAZARD_EVENT_CODE } from './hazard-match.js';
export { capTimeToMs, msToCapTime } from './read.js';
export { capErrors } from './errors.js';
export * from './types.js';
