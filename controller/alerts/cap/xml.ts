/**
 * The safe edge for XML from outside: size first, then encoding, then a refusal of any DTD, and only
 * then a parse with entity processing off. Billion laughs and external entities (XXE) never reach the
 * parser, because a document that declares a DOCTYPE or ENTITY is refused as text.
 * The five predefined entities and character references are decoded here, by one non-recursive pass.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { capErrors } from './errors.js';
import { CAP_NAMESPACE } from './types.js';

/** A parsed element: its text (a leaf) or its children by local name, each child once or as an array. */
export type XmlValue = string | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue;
}

const CDATA = '__cdata';
const REPEATABLE = new Set([
  'code', 'info', 'category', 'responseType', 'eventCode', 'parameter', 'resource', 'area', 'polygon', 'circle', 'geocode',
]);

const parser = new XMLParser({
  processEntities: false, // billion laughs, XXE: never expand an entity (DTDs are refused before this)
  htmlEntities: false,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: false, // the namespace is checked on the root, then prefixes are removed below
  parseTagValue: false, // "0012" stays a string
  parseAttributeValue: false,
  trimValues: true,
  cdataPropName: CDATA,
  isArray: (name) => REPEATABLE.has(localPart(name)),
});

const ACCEPTED_MEDIA_TYPES = new Set(['application/cap+xml', 'application/xml', 'text/xml']);

/** Throws 415 unless the Content-Type names XML in UTF-8 (or no charset). */
export function assertCapMediaType(contentType: string | undefined): void {
  const [type = '', ...params] = (contentType ?? '').split(';').map((s) => s.trim().toLowerCase());
  if (!ACCEPTED_MEDIA_TYPES.has(type)) {
    throw mediaError(`kiểu nội dung "${type}" không phải XML`, `content type "${type}" is not XML`);
  }
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw mediaError(`bảng mã ${charset}, CAP phải là UTF-8`, `charset ${charset}, CAP must be UTF-8`);
  }
}

function mediaError(reasonVi: string, reasonEn: string) {
  return capErrors.LOA_CAP_MEDIA_TYPE({ reasonVi, reasonEn });
}

export function byteLength(body: string | Buffer): number {
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
}

function decodeUtf8(body: string | Buffer): string {
  if (typeof body === 'string') return body.replace(/^\uFEFF/, '');
  if ((body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff)) {
    throw mediaError('bảng mã UTF-16, CAP phải là UTF-8', 'UTF-16 encoding, CAP must be UTF-8');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    throw mediaError('dữ liệu không phải UTF-8 hợp lệ', 'the bytes are not valid UTF-8');
  }
}

function refuseDeclarations(text: string): void {
  // Anything "<!" that is neither a comment nor CDATA is a DTD construct (DOCTYPE, ENTITY, ELEMENT, ATTLIST…).
  const m = /<!(?!--|\[CDATA\[)([A-Za-z]*)/.exec(text);
  if (m) throw capErrors.LOA_CAP_DTD_FORBIDDEN({ construct: (m[1] || '<!').toUpperCase() });
}

function refuseOtherEncodings(text: string): void {
  const declared = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
  if (declared && !/^utf-?8$/i.test(declared)) {
    throw mediaError(`khai báo bảng mã ${declared}, CAP phải là UTF-8`, `declared encoding ${declared}, CAP must be UTF-8`);
  }
}

function assertWellFormed(text: string): void {
  const result = XMLValidator.validate(text);
  if (result === true) return;
  const { line, col, msg } = result.err;
  throw capErrors.LOA_CAP_MALFORMED({ line, col, detail: msg });
}

// Every "&" outside CDATA and comments must start one of the five predefined entities or a
// character reference: with no DTD, any other name is undefined (XML 1.0 WFC: Entity Declared).
function assertReferences(text: string): void {
  const scan = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|&([^;&\s<]*);?/g;
  for (let m = scan.exec(text); m; m = scan.exec(text)) {
    if (!m[0].startsWith('&') || referenceValue(m[0]) !== undefined) continue;
    const before = text.slice(0, m.index).split('\n');
    throw capErrors.LOA_CAP_MALFORMED({
      line: before.length,
      col: before[before.length - 1]!.length + 1,
      detail: `unknown or invalid entity reference "${m[0]}"`,
    });
  }
}

/**
 * Checks and parses a CAP document down to its <alert> element, with namespace prefixes removed,
 * foreign elements (e.g. an XML signature) dropped and text decoded.
 */
export function loadCapXml(body: string | Buffer, maxBytes: number): XmlNode {
  const bytes = byteLength(body);
  if (bytes > maxBytes) throw capErrors.LOA_CAP_TOO_LARGE({ bytes, limit: maxBytes });
  const text = decodeUtf8(body);
  refuseDeclarations(text);
  refuseOtherEncodings(text);
  assertWellFormed(text);
  assertReferences(text);
  const doc = parser.parse(text) as Record<string, unknown>;
  const rootName = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (!rootName) throw capErrors.LOA_CAP_MALFORMED({ line: 1, col: 1, detail: 'no root element' });
  const prefix = rootName.includes(':') ? rootName.slice(0, rootName.indexOf(':')) : '';
  const root = doc[rootName];
  const ns = isObject(root) ? root[prefix ? `@_xmlns:${prefix}` : '@_xmlns'] : undefined;
  if (localPart(rootName) !== 'alert' || ns !== CAP_NAMESPACE) {
    throw capErrors.LOA_CAP_NAMESPACE({ expected: CAP_NAMESPACE, root: rootName, actual: String(ns ?? '') });
  }
  const alert = normalise(root, prefix);
  return typeof alert === 'string' ? {} : (alert as XmlNode);
}

function localPart(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// The element's own name in the CAP namespace, or null for a foreign element.
function capName(key: string, prefix: string): string | null {
  if (prefix) return key.startsWith(`${prefix}:`) ? key.slice(prefix.length + 1) : null;
  return key.includes(':') ? null : key;
}

function normalise(value: unknown, prefix: string): XmlValue {
  if (Array.isArray(value)) return value.map((v) => normalise(v, prefix));
  if (!isObject(value)) return decodeText(String(value ?? ''));
  const out: XmlNode = {};
  let text = '';
  let cdata = '';
  for (const [key, child] of Object.entries(value)) {
    if (key === '#text') text = decodeText(String(child));
    else if (key === CDATA) cdata = ([] as unknown[]).concat(child).map(String).join('');
    else if (!key.startsWith('@_')) {
      const name = capName(key, prefix);
      if (name) out[name] = normalise(child, prefix);
    }
  }
  if (Object.keys(out).length === 0) return text + cdata;
  if (text || cdata) out['#text'] = text + cdata;
  return out;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** The text of one reference ("&amp;", "&#273;"), or undefined when it is not a valid one. */
function referenceValue(whole: string): string | undefined {
  const ref = /^&(.*);$/.exec(whole)?.[1];
  if (ref === undefined) return undefined;
  if (Object.hasOwn(PREDEFINED, ref)) return PREDEFINED[ref];
  const hex = /^#x([0-9a-fA-F]{1,6})$/.exec(ref)?.[1];
  const dec = /^#(\d{1,7})$/.exec(ref)?.[1];
  const cp = hex !== undefined ? parseInt(hex, 16) : dec !== undefined ? parseInt(dec, 10) : NaN;
  return isXmlChar(cp) ? String.fromCodePoint(cp) : undefined;
}

/** One pass, never recursive: "&amp;lt;" becomes "&lt;", not "<". References were checked by assertReferences. */
export function decodeText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s<]*);?/g, (whole) => referenceValue(whole) ?? whole);
}
