/** Signed, expiring media URLs: devices fetch media without an account, only with a valid token. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export class UrlSigner {
  constructor(private readonly key: Buffer) {}

  sign(name: string, expiresAt: number): string {
    return createHmac('sha256', this.key).update(`${name}\n${expiresAt}`).digest('base64url');
  }

  verify(name: string, expiresAt: number, signature: string, now: number): boolean {
    if (!Number.isFinite(expiresAt) || expiresAt < now) return false;
    const expected = Buffer.from(this.sign(name, expiresAt));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
