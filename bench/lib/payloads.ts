/**
 * The bytes the baseline sends: a `play` command shaped as Loa's dispatcher sends it (padded in its
 * signed-URL token to the size asked for) and a `received` ack as a speaker answers it.
 * Built once before timing starts: the baseline measures the transport, not JSON encoding.
 */
import { parseCommand, type Ack, type AckState, type PlayCommand } from '../../protocol/index.js';
import { benchErrors } from './errors.js';

const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const BROADCAST_ID = 'bench-broadcast';

function playCommand(token: string, now: number): PlayCommand {
  return {
    v: 1,
    id: 'bench-cmd-000000000000',
    ts: now,
    type: 'play',
    broadcastId: BROADCAST_ID,
    priority: 1,
    media: { url: `http://127.0.0.1:8080/media/bench.mp3?token=${token}`, sha256: SHA256, bytes: 480_000, durationMs: 30_000, format: 'mp3' },
    notAfter: now + 600_000,
    repeat: 1,
    volume: 80,
  };
}

/** A valid play command of exactly `bytes` bytes (ASCII padding, so bytes = characters). */
export function playPayload(bytes: number, now: number = Date.now()): Buffer {
  const skeleton = Buffer.byteLength(JSON.stringify(playCommand('', now)));
  if (!Number.isInteger(bytes) || bytes < skeleton) {
    throw benchErrors.LOA_BENCH_BAD_OPTION({ reason: `payloadBytes = ${bytes} (a play command needs ≥ ${skeleton})` });
  }
  const payload = Buffer.from(JSON.stringify(playCommand('x'.repeat(bytes - skeleton), now)));
  const parsed = parseCommand(payload);
  if (!parsed.ok) throw new Error(`bench play command does not match the protocol: ${parsed.reason}`);
  return payload;
}

/** What a Loa speaker answers to a play command whose media is at hand, in order. */
export const PLAY_ACK_STATES: readonly AckState[] = ['received', 'downloading', 'ready', 'playing', 'done'];

/** The first `count` acks of the play sequence. */
export function playAcks(count: number, now: number = Date.now()): Buffer[] {
  return PLAY_ACK_STATES.slice(0, count).map((state) => {
    const ack: Ack = { v: 1, ts: now, cmd: 'bench-cmd-000000000000', broadcastId: BROADCAST_ID, state };
    return Buffer.from(JSON.stringify(ack));
  });
}
