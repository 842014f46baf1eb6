/**
 * Coalesces many changes into one write: `mark()` after a change, `flush()` to be durable now.
 * At most one write runs at a time; changes made during a write are written by the next one.
 */
export class WriteCoalescer {
  private dirty = false;
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly delayMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  mark(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch(this.onError);
    }, this.delayMs);
  }

  /** Resolves once every change marked before the call is written. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    for (;;) {
      if (this.writing) {
        await this.writing.catch(() => undefined);
        continue;
      }
      if (!this.dirty) return;
      this.dirty = false;
      this.writing = this.write()
        .catch((err: unknown) => {
          this.dirty = true;
          throw err;
        })
        .finally(() => {
          this.writing = null;
        });
      await this.writing;
    }
  }
}
