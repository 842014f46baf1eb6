/**
 * Posts alarm notifications to a webhook as JSON, one at a time and in order (a clear never overtakes
 * its raise), each with a time limit and a few retries with back-off. Never blocks the alarms.
 */
export interface WebhookOptions {
  url: string;
  /** Tries per notification (first try included). */
  attempts: number;
  /** Time limit of each try. */
  timeoutMs: number;
  /** Pause before the second try; doubles each time. */
  backoffMs: number;
  /** Oldest notifications are dropped beyond this many waiting. */
  maxQueue: number;
}

export interface WebhookLogger {
  warn(obj: object, msg?: string): void;
}

export const WEBHOOK_DEFAULTS: Omit<WebhookOptions, 'url'> = { attempts: 4, timeoutMs: 5000, backoffMs: 1000, maxQueue: 10_000 };

export class WebhookNotifier {
  /** Serialised when sent: the alarm may change before its notification goes out. */
  private readonly queue: string[] = [];
  private running: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private delivered = 0;
  private failed = 0;

  constructor(
    private readonly opts: WebhookOptions,
    private readonly logger: WebhookLogger,
  ) {}

  send(body: object): void {
    if (this.abort.signal.aborted) return;
    this.queue.push(JSON.stringify(body));
    if (this.queue.length > this.opts.maxQueue) {
      this.queue.shift();
      this.failed++;
      this.logger.warn({ url: this.opts.url }, 'alarm webhook queue full: oldest notification dropped');
    }
    this.running ??= this.drain().finally(() => (this.running = null));
  }

  stats(): { delivered: number; failed: number; waiting: number } {
    return { delivered: this.delivered, failed: this.failed, waiting: this.queue.length };
  }

  /** Resolves once everything queued so far was delivered or given up. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Waits up to `graceMs` for what is queued, then gives up the rest and aborts what is under way. */
  async stop(graceMs = 0): Promise<void> {
    if (graceMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.idle(), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
    if (this.queue.length > 0) this.logger.warn({ url: this.opts.url, dropped: this.queue.length }, 'alarm webhook notifications dropped at shutdown');
    this.queue.length = 0;
    this.abort.abort();
    await this.idle();
  }

  private async drain(): Promise<void> {
    for (let body = this.queue.shift(); body !== undefined; body = this.queue.shift()) {
      if (await this.deliver(body)) this.delivered++;
      else this.failed++;
    }
  }

  private async deliver(payload: string): Promise<boolean> {
    for (let n = 0; n < this.opts.attempts && !this.abort.signal.aborted; n++) {
      if (n > 0) await this.pause(this.opts.backoffMs * 2 ** (n - 1));
      try {
        const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.timeoutMs)]);
        const res = await fetch(this.opts.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload, signal });
        await res.body?.cancel();
        if (res.ok) return true;
        this.logger.warn({ url: this.opts.url, status: res.status, attempt: n + 1 }, 'alarm webhook answered an error');
      } catch (err) {
        this.logger.warn({ url: this.opts.url, err: String(err), attempt: n + 1 }, 'alarm webhook failed');
      }
    }
    return false;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.abort.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
    });
  }
}
