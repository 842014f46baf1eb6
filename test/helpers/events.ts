/** Reads the live event stream (SSE) of a running controller, as the web console does. */
import { expect } from 'vitest';

export interface LiveEvent {
  event: string;
  data: any;
}

/** Collects events until `enough` says so; `ready` is called once the stream is open. */
export async function readEvents(url: string, token: string, enough: (events: LiveEvent[]) => boolean, ready: () => void): Promise<LiveEvent[]> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const events: LiveEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = res.body!.getReader();
  ready();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let i: number;
    while ((i = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
    if (enough(events)) break;
  }
  await reader.cancel();
  return events;
}
