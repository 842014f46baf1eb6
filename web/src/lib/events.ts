/**
 * One server-sent event stream per signed-in tab, shared by every page that wants live updates. It
 * carries deliveries only when they go wrong (a 10,000-speaker alert is 50,000 of them) and a
 * summary a second per job; a page following one job opens a stream of that job's deliveries.
 */
import { useEffect, useRef } from 'preact/hooks';
import { createStore } from './store.js';
import type { LiveEvents } from './types.js';

type Name = keyof LiveEvents;
export type LinkState = 'connecting' | 'live' | 'lost';

export const link = createStore<LinkState>('connecting');
const handlers = new Map<string, Set<(data: never) => void>>();
let source: EventSource | null = null;

const NAMES: Name[] = ['device.online', 'device.offline', 'delivery', 'job.finished', 'job.progress', 'broadcast.created', 'live.state'];

const RETRY_MS = 5000;
let retry: ReturnType<typeof setTimeout> | null = null;
let whenClosed: () => void = () => {};

/** onClosed: the server refused the stream (a lapsed session, a restart); the caller checks the session. */
export function connectEvents(onClosed?: () => void): void {
  if (onClosed) whenClosed = onClosed;
  if (source) return;
  link.set('connecting');
  const es = (source = new EventSource('/api/v1/events?deliveries=problems'));
  // EventSource reconnects by itself; after every (re)open, views reload what they may have missed.
  es.onopen = () => {
    link.set('live');
    dispatch('resync', {});
  };
  es.onerror = () => {
    if (es.readyState !== EventSource.CLOSED) return link.set('connecting');
    // Closed for good (an error answer): try again a little later, and let the caller check the session.
    link.set('lost');
    source = null;
    retry = setTimeout(() => {
      retry = null;
      connectEvents();
    }, RETRY_MS);
    whenClosed();
  };
  for (const name of NAMES) {
    es.addEventListener(name, (e) => {
      const data = parse((e as MessageEvent<string>).data);
      if (data) dispatch(name, data);
    });
  }
}

export function disconnectEvents(): void {
  if (retry) clearTimeout(retry);
  retry = null;
  source?.close();
  source = null;
  link.set('connecting');
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function dispatch(name: string, data: unknown): void {
  for (const fn of handlers.get(name) ?? []) fn(data as never);
}

type AnyName = Name | 'resync';
type Payload<K extends AnyName> = K extends Name ? LiveEvents[K] : Record<string, never>;

export function onEvent<K extends AnyName>(name: K, fn: (data: Payload<K>) => void): () => void {
  let set = handlers.get(name);
  if (!set) handlers.set(name, (set = new Set()));
  set.add(fn as (data: never) => void);
  return () => set.delete(fn as (data: never) => void);
}

/** Subscribes for the component's lifetime; the latest callback is always the one called. */
export function useEvent<K extends AnyName>(name: K, fn: (data: Payload<K>) => void): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => onEvent(name, (d) => latest.current(d)), [name]);
}

/**
 * Every delivery of one job while the component lives, on a stream of its own; `onOpen` after each
 * (re)connect, including the first: what happened between the page's load and the stream's opening.
 */
export function useJobDeliveries(jobId: string, fn: (d: LiveEvents['delivery']) => void, onOpen: () => void): void {
  const latest = useRef({ fn, onOpen });
  latest.current = { fn, onOpen };
  useEffect(() => {
    const es = new EventSource(`/api/v1/events?types=delivery&job=${encodeURIComponent(jobId)}`);
    es.onopen = () => latest.current.onOpen();
    es.addEventListener('delivery', (e) => {
      const data = parse((e as MessageEvent<string>).data) as LiveEvents['delivery'] | null;
      if (data) latest.current.fn(data);
    });
    return () => es.close();
  }, [jobId]);
}
