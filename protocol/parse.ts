/** The one place where bytes from the wire become protocol types; inside, they are trusted. */
import { Ajv, type ValidateFunction } from 'ajv';
import { Ack, Command, DeviceConfig, DeviceState, MAX_PAYLOAD_BYTES, Telemetry } from './messages.js';
import type { Static, TSchema } from 'typebox';

const ajv = new Ajv({ allErrors: false, strict: false });

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

function parser<S extends TSchema>(schema: S): (payload: Buffer | string) => ParseResult<Static<S>> {
  const validate: ValidateFunction = ajv.compile(schema);
  return (payload) => {
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (size > MAX_PAYLOAD_BYTES) return { ok: false, reason: `payload of ${size} bytes exceeds ${MAX_PAYLOAD_BYTES}` };
    let json: unknown;
    try {
      json = JSON.parse(payload.toString());
    } catch {
      return { ok: false, reason: 'payload is not JSON' };
    }
    if (!validate(json)) {
      const e = validate.errors?.[0];
      return { ok: false, reason: `invalid payload: ${e?.instancePath || '/'} ${e?.message ?? ''}`.trim() };
    }
    return { ok: true, value: json as Static<S> };
  };
}

export const parseAck = parser(Ack);
export const parseState = parser(DeviceState);
export const parseTelemetry = parser(Telemetry);
export const parseCommand = parser(Command);
export const parseConfig = parser(DeviceConfig);
