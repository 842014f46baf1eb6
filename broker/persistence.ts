/**
 * aedes' in-memory persistence, with one change: a subscription to an exact topic (every device's
 * own `cmd` and `config`) finds its retained message by a map lookup. The stock store tests every
 * retained message against every subscription, which makes connecting a fleet quadratic in its
 * size (10,000 speakers took minutes). Wildcard subscriptions still use the stock scan.
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';

const require = createRequire(import.meta.url);
// Deep imports of aedes-persistence's own building blocks (CommonJS, no type declarations).
const { CallBackPersistence } = require('aedes-persistence/callBackPersistence.js') as { CallBackPersistence: new (factory: (opts: object) => unknown, opts?: object) => unknown };
const MemoryPersistence = require('aedes-persistence/asyncPersistence.js') as new (opts?: object) => AsyncMemory;

interface RetainedPacket {
  topic: string;
  payload: Buffer;
}

interface AsyncMemory {
  storeRetained(packet: RetainedPacket): Promise<void>;
  createRetainedStreamCombi(patterns: string[]): Readable;
  createRetainedStream(pattern: string): Readable;
}

const isExact = (pattern: string) => !pattern.includes('+') && !pattern.includes('#');

class ExactRetainedMemory extends MemoryPersistence {
  private readonly exact = new Map<string, RetainedPacket>();

  override async storeRetained(packet: RetainedPacket): Promise<void> {
    await super.storeRetained(packet);
    if (packet.payload.length === 0) this.exact.delete(packet.topic);
    else this.exact.set(packet.topic, { ...packet });
  }

  override createRetainedStreamCombi(patterns: string[]): Readable {
    if (!patterns.every(isExact)) return super.createRetainedStreamCombi(patterns);
    return Readable.from(patterns.flatMap((p) => this.exact.get(p) ?? []));
  }

  override createRetainedStream(pattern: string): Readable {
    return isExact(pattern) ? Readable.from(this.exact.has(pattern) ? [this.exact.get(pattern)!] : []) : super.createRetainedStream(pattern);
  }
}

export function fastRetainedPersistence(): unknown {
  return new CallBackPersistence((opts) => new ExactRetainedMemory(opts));
}
