/**
 * Open file descriptors: every in-process MQTT client costs two sockets (its own end and the
 * broker's), so N clients need 2N descriptors beside whatever the process already holds; with the
 * clients in another process, N here and N there.
 * Node cannot raise RLIMIT_NOFILE itself; the shell must (`ulimit -n`). Linux only: elsewhere the
 * figures are unknown (null) and no check is made.
 */
import fs from 'node:fs';
import { benchErrors } from './errors.js';

/** The soft limit on open files of this process, from /proc/self/limits. */
export function openFileLimit(): number | null {
  try {
    const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft === undefined) return null;
    return soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
  } catch {
    return null;
  }
}

export function openFileCount(): number | null {
  try {
    return fs.readdirSync('/proc/self/fd').length;
  } catch {
    return null;
  }
}

/** Descriptors needed for `clients` connections plus `extraSockets`, over what is open now. */
export function descriptorsNeeded(clients: number, extraSockets = 0, socketsPerClient = 2): number | null {
  const open = openFileCount();
  return open === null ? null : open + socketsPerClient * clients + extraSockets;
}

/** Throws LOA_BENCH_FD_LIMIT before any socket is opened, rather than EMFILE halfway through. */
export function assertDescriptors(clients: number, extraSockets = 0, socketsPerClient = 2): void {
  const limit = openFileLimit();
  const needed = descriptorsNeeded(clients, extraSockets, socketsPerClient);
  if (limit === null || needed === null || needed <= limit) return;
  const suggested = 2 ** Math.ceil(Math.log2(needed + 1024));
  throw benchErrors.LOA_BENCH_FD_LIMIT({ limit, clients, needed, suggested });
}
