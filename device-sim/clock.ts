/**
 * The device's own clock. Every time a simulated speaker reads (birth, acks, startAt, notAfter,
 * quiet hours, the `time` exchange) comes from here, so a clock skew applies everywhere at once.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function skewedClock(skewMs: number, base: Clock = systemClock): Clock {
  return { now: () => base.now() + skewMs };
}
