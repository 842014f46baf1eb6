/** Reads validated values out of a parsed CAP element, naming the element and its path in every refusal. */
import { capErrors } from './errors.js';
import type { CapTime, CapValue } from './types.js';
import type { XmlNode, XmlValue } from './xml.js';

// CAP 1.2 dateTime: "2002-05-24T16:49:00-07:00". The standard forbids "Z"; it is accepted anyway,
// because its meaning is unambiguous and an emergency must not be lost over a time-zone designator.
const CAP_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export class Reader {
  constructor(
    readonly node: XmlNode,
    readonly path: string,
  ) {}

  /** The text of an element that may appear at most once; undefined when absent or empty. */
  optional(name: string): string | undefined {
    const v = this.node[name];
    if (v === undefined) return undefined;
    if (Array.isArray(v)) throw capErrors.LOA_CAP_REPEATED({ element: name, path: this.path });
    const text = textOf(v);
    return text === '' ? undefined : text;
  }

  required(name: string): string {
    const text = this.optional(name);
    if (text === undefined) throw capErrors.LOA_CAP_MISSING({ element: name, path: this.path });
    return text;
  }

  /** The texts of a repeatable element, empty ones left out. */
  texts(name: string): string[] {
    return this.all(name).map(textOf).filter((t) => t !== '');
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    return this.check(name, this.required(name), allowed);
  }

  optionalOneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const text = this.optional(name);
    return text === undefined ? undefined : this.check(name, text, allowed);
  }

  manyOf<T extends string>(name: string, allowed: readonly T[]): T[] {
    return this.texts(name).map((t) => this.check(name, t, allowed));
  }

  time(name: string): CapTime | undefined {
    const text = this.optional(name);
    if (text === undefined) return undefined;
    const ms = capTimeToMs(text);
    if (ms === undefined) {
      throw this.bad(name, text, 'ngày giờ dạng 2025-09-01T10:00:00+07:00', 'a date-time like 2025-09-01T10:00:00+07:00');
    }
    return { text, ms };
  }

  requiredTime(name: string): CapTime {
    this.required(name);
    return this.time(name)!;
  }

  decimal(name: string): number | undefined {
    const text = this.optional(name);
    if (text === undefined) return undefined;
    if (!DECIMAL.test(text)) throw this.bad(name, text, 'một số', 'a number');
    return Number(text);
  }

  /** Repeated <name><valueName/><value/></name> pairs (eventCode, parameter, geocode). */
  values(name: string): CapValue[] {
    return this.children(name).map((r) => ({ valueName: r.required('valueName'), value: r.optional('value') ?? '' }));
  }

  children(name: string): Reader[] {
    const items = this.all(name);
    return items.map((v, i) => new Reader(isNode(v) ? v : {}, `${this.path}/${name}[${i + 1}]`));
  }

  bad(name: string, value: string, expectedVi: string, expectedEn: string) {
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    return capErrors.LOA_CAP_BAD_VALUE({ element: name, path: this.path, value: shown, expectedVi, expectedEn });
  }

  private all(name: string): XmlValue[] {
    const v = this.node[name];
    if (v === undefined) return [];
    return Array.isArray(v) ? v : [v];
  }

  private check<T extends string>(name: string, text: string, allowed: readonly T[]): T {
    if ((allowed as readonly string[]).includes(text)) return text as T;
    const list = allowed.join(', ');
    throw this.bad(name, text, `một trong: ${list}`, `one of: ${list}`);
  }
}

function isNode(v: XmlValue): v is XmlNode {
  return typeof v === 'object' && !Array.isArray(v);
}

function textOf(v: XmlValue): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return '';
  const t = v['#text'];
  return typeof t === 'string' ? t : '';
}

/** Ms since the epoch of a CAP dateTime, or undefined when it is not one (including impossible dates). */
export function capTimeToMs(text: string): number | undefined {
  const m = CAP_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A CAP dateTime for an instant, in Vietnam's time (UTC+7 all year, no daylight saving), whole seconds. */
export function msToCapTime(ms: number): string {
  const local = new Date(Math.floor(ms / 1000) * 1000 + 7 * 3600_000);
  return `${local.toISOString().slice(0, 19)}+07:00`;
}
