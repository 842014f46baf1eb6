import { randomBytes } from 'node:crypto';

/** Ids the controller makes: a prefix, the time (so they sort) and randomness. Safe as file names. */
export function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export const SLUG_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';
