/** Notifies an alert's webhook of each stage; a few retries with back-off, a time limit, never blocking the alert. */
export interface WebhookLogger {
  warn(obj: object, msg?: string): void;
}

export function notifyWebhook(url: string, body: object, logger: WebhookLogger, attempts = 3): void {
  const attempt = async (n: number): Promise<void> => {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      if (n + 1 >= attempts) return logger.warn({ url, err: String(err) }, 'alert webhook failed');
      await new Promise((r) => setTimeout(r, 500 * 2 ** n));
      return attempt(n + 1);
    }
  };
  void attempt(0);
}
