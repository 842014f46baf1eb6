/**
 * OASIS CAP 1.2 in: bytes from the province → a validated CapAlert, or a coded refusal
 * (400 malformed or DTD, 413 too large, 415 not UTF-8 XML, 422 not valid CAP) naming what is wrong.
 * Element order is not enforced; unknown elements are ignored.
 */
import { createHash } from 'node:crypto';
import { areaProblem, type Area } from '../area.js';
import { capErrors } from './errors.js';
import { parseCapCircle, parseCapPolygon, type Parsed } from './geometry.js';
import { capTimeToMs, Reader } from './read.js';
import {
  CAP_CATEGORY, CAP_CERTAINTY, CAP_MSG_TYPE, CAP_RESPONSE_TYPE, CAP_SCOPE, CAP_SEVERITY, CAP_STATUS, CAP_URGENCY,
  type CapAlert, type CapArea, type CapInfo, type CapReference, type CapResource,
} from './types.js';
import { loadCapXml } from './xml.js';

export { assertCapMediaType } from './xml.js';

export interface ParseCapOptions {
  /** Refuse larger documents before reading them (413). */
  maxBytes: number;
  /** Refuse embedded audio (<derefUri>) larger than this once decoded (413); default maxBytes. */
  maxAudioBytes?: number;
}

// CAP 1.2: identifier and sender "MUST NOT include spaces, commas or restricted characters (< and &)".
const CAP_TOKEN = /^[^\s,<&]+$/;
const LANGUAGE = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function parseCap(body: string | Buffer, opts: ParseCapOptions): CapAlert {
  const alert = new Reader(loadCapXml(body, opts.maxBytes), 'alert');
  const maxAudioBytes = opts.maxAudioBytes ?? opts.maxBytes;
  return {
    identifier: token(alert, 'identifier'),
    sender: token(alert, 'sender'),
    sent: alert.requiredTime('sent'),
    status: alert.oneOf('status', CAP_STATUS),
    msgType: alert.oneOf('msgType', CAP_MSG_TYPE),
    ...opt('source', alert.optional('source')),
    scope: alert.oneOf('scope', CAP_SCOPE),
    ...opt('restriction', alert.optional('restriction')),
    ...opt('addresses', alert.optional('addresses')),
    codes: alert.texts('code'),
    ...opt('note', alert.optional('note')),
    references: references(alert),
    ...opt('incidents', alert.optional('incidents')),
    info: alert.children('info').map((info) => parseInfo(info, maxAudioBytes)),
  };
}

/** The info block to broadcast: the preferred language, then the same primary language (e.g. "vi"), then the first. */
export function pickInfo(alert: CapAlert, preferred = 'vi-VN'): CapInfo | undefined {
  const want = preferred.toLowerCase();
  const primary = want.split('-')[0];
  const lang = (i: CapInfo) => i.language.toLowerCase();
  return (
    alert.info.find((i) => lang(i) === want) ??
    alert.info.find((i) => lang(i) === primary) ??
    alert.info.find((i) => lang(i).split('-')[0] === primary) ??
    alert.info[0]
  );
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function token(r: Reader, name: string): string {
  const value = r.required(name);
  if (!CAP_TOKEN.test(value)) {
    throw r.bad(name, value, 'không có khoảng trắng, dấu phẩy, < hoặc &', 'no spaces, commas, < or &');
  }
  return value;
}

// <references>: space-separated "sender,identifier,sent" triples naming earlier messages.
function references(r: Reader): CapReference[] {
  const text = r.optional('references');
  if (text === undefined) return [];
  return text.split(/\s+/).map((triple) => {
    const [sender, identifier, sent, ...rest] = triple.split(',');
    if (!sender || !identifier || !sent || rest.length > 0 || capTimeToMs(sent) === undefined) {
      throw r.bad('references', triple, 'các bộ "sender,identifier,sent"', '"sender,identifier,sent" triples');
    }
    return { sender, identifier, sent };
  });
}

function parseInfo(r: Reader, maxAudioBytes: number): CapInfo {
  const categories = r.manyOf('category', CAP_CATEGORY);
  if (categories.length === 0) throw capErrors.LOA_CAP_MISSING({ element: 'category', path: r.path });
  return {
    language: language(r),
    categories,
    event: r.required('event'),
    responseTypes: r.manyOf('responseType', CAP_RESPONSE_TYPE),
    urgency: r.oneOf('urgency', CAP_URGENCY),
    severity: r.oneOf('severity', CAP_SEVERITY),
    certainty: r.oneOf('certainty', CAP_CERTAINTY),
    ...opt('audience', r.optional('audience')),
    eventCodes: r.values('eventCode'),
    ...opt('effective', r.time('effective')),
    ...opt('onset', r.time('onset')),
    ...opt('expires', r.time('expires')),
    ...opt('senderName', r.optional('senderName')),
    ...opt('headline', r.optional('headline')),
    ...opt('description', r.optional('description')),
    ...opt('instruction', r.optional('instruction')),
    ...opt('web', r.optional('web')),
    ...opt('contact', r.optional('contact')),
    parameters: r.values('parameter'),
    resources: r.children('resource').map((res) => parseResource(res, maxAudioBytes)),
    areas: r.children('area').map(parseArea),
  };
}

function language(r: Reader): string {
  const value = r.optional('language');
  if (value === undefined) return 'en-US'; // CAP 1.2: the default when <language> is absent
  if (!LANGUAGE.test(value)) throw r.bad('language', value, 'mã ngôn ngữ như vi-VN', 'a language code like vi-VN');
  return value;
}

function parseResource(r: Reader, maxAudioBytes: number): CapResource {
  const size = r.decimal('size');
  if (size !== undefined && (!Number.isInteger(size) || size < 0)) {
    throw r.bad('size', String(size), 'số byte nguyên không âm', 'a whole, non-negative number of bytes');
  }
  const deref = derefBytes(r, maxAudioBytes);
  const digest = r.optional('digest');
  // CAP 1.2 <digest>: the SHA-1 of the resource; checked when the content is embedded.
  if (deref && digest && createHash('sha1').update(deref).digest('hex') !== digest.toLowerCase()) {
    throw r.bad('digest', digest, 'SHA-1 của nội dung <derefUri>', 'the SHA-1 of the <derefUri> content');
  }
  return {
    resourceDesc: r.required('resourceDesc'),
    mimeType: r.required('mimeType'),
    ...opt('size', size),
    ...opt('uri', r.optional('uri')),
    ...opt('deref', deref),
    ...opt('digest', digest),
  };
}

function derefBytes(r: Reader, maxAudioBytes: number): Buffer | undefined {
  const text = r.optional('derefUri');
  if (text === undefined) return undefined;
  const b64 = text.replace(/\s+/g, '');
  const bytes = Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
  if (bytes > maxAudioBytes) throw capErrors.LOA_CAP_AUDIO_TOO_LARGE({ bytes, limit: maxAudioBytes });
  if (!BASE64.test(b64)) throw r.bad('derefUri', text, 'dữ liệu base64', 'base64 data');
  return Buffer.from(b64, 'base64');
}

function parseArea(r: Reader): CapArea {
  const areaDesc = r.required('areaDesc');
  const altitude = r.decimal('altitude');
  const ceiling = r.decimal('ceiling');
  return {
    areaDesc,
    polygons: r.texts('polygon').map((t) => checked(areaDesc, parseCapPolygon(t), (polygon) => ({ polygon }))),
    circles: r.texts('circle').map((t) => checked(areaDesc, parseCapCircle(t), (circle) => ({ circle }))),
    geocodes: r.values('geocode'),
    ...opt('altitude', altitude),
    ...opt('ceiling', ceiling),
  };
}

// A shape that parsed as text must also be a valid area (no self-crossing polygon, coordinates in range).
function checked<T>(areaDesc: string, parsed: Parsed<T>, toArea: (value: T) => Area): T {
  const problem = parsed.ok ? areaProblem(toArea(parsed.value)) : parsed;
  if (problem) throw capErrors.LOA_CAP_BAD_AREA({ areaDesc, reasonVi: problem.vi, reasonEn: problem.en });
  return (parsed as { value: T }).value;
}
