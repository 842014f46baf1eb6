/** The alarm webhook against a real local HTTP server: retries after an error, a time limit, order kept, giving up. */
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookNotifier } from '../../controller/health/webhook.js';
import { webhookServer, type Hook } from './_helpers.js';

const warnings: object[] = [];
const logger = { warn: (o: object) => void warnings.push(o) };
let hook: Hook;
let notifier: WebhookNotifier;

afterEach(async () => {
  await notifier?.stop();
  await hook?.close();
  warnings.length = 0;
});

describe('alarm webhook', () => {
  it('retries after an error answer and delivers once, in order', async () => {
    hook = await webhookServer();
    hook.answer = (n) => (n === 0 ? 500 : 200);
    notifier = new WebhookNotifier({ url: hook.url, attempts: 3, timeoutMs: 1000, backoffMs: 20, maxQueue: 100 }, logger);
    notifier.send({ n: 1 });
    notifier.send({ n: 2 });
    await notifier.idle();
    expect(hook.requests).toBe(3);
    expect(hook.bodies).toEqual([{ n: 1 }, { n: 2 }]);
    expect(notifier.stats()).toEqual({ delivered: 2, failed: 0, waiting: 0 });
  });

  it('gives up a try that takes longer than the time limit, then retries', async () => {
    hook = await webhookServer();
    hook.answer = (n) => (n === 0 ? 'hang' : 200);
    notifier = new WebhookNotifier({ url: hook.url, attempts: 2, timeoutMs: 200, backoffMs: 10, maxQueue: 100 }, logger);
    const started = Date.now();
    notifier.send({ event: 'alarm.raised' });
    await notifier.idle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(hook.bodies).toEqual([{ event: 'alarm.raised' }]);
    expect(hook.requests).toBe(2);
  });

  it('gives up after its tries and goes on with the next notification', async () => {
    hook = await webhookServer();
    hook.answer = (n) => (n < 2 ? 503 : 200);
    notifier = new WebhookNotifier({ url: hook.url, attempts: 2, timeoutMs: 500, backoffMs: 10, maxQueue: 100 }, logger);
    notifier.send({ n: 1 });
    notifier.send({ n: 2 });
    await notifier.idle();
    expect(hook.bodies).toEqual([{ n: 2 }]);
    expect(notifier.stats()).toEqual({ delivered: 1, failed: 1, waiting: 0 });
    expect(warnings).toHaveLength(2);
  });
});
