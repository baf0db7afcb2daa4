import PQueue from 'p-queue';

/**
 * Per-host politeness: at most `concurrency` requests in flight per host, consecutive request
 * starts at least `delayMs` apart, and a host-wide pause after Retry-After. A global queue caps
 * the total across hosts.
 */
export class HostScheduler {
  private readonly queues = new Map<string, PQueue>();
  private readonly nextStart = new Map<string, number>();
  private readonly delays = new Map<string, number>();
  private readonly global: PQueue;

  constructor(
    private readonly concurrency: number,
    private readonly delayMs: number,
    globalConcurrency: number,
  ) {
    this.global = new PQueue({ concurrency: globalConcurrency });
  }

  /** Raise one host's delay (robots.txt Crawl-delay); never lowers it below the configured one. */
  setHostDelay(host: string, ms: number): void {
    this.delays.set(host, Math.max(this.delayMs, ms));
  }

  /** Pause a host until `until` (epoch ms), e.g. after a 429 with Retry-After. */
  pauseHost(host: string, until: number): void {
    this.nextStart.set(host, Math.max(this.nextStart.get(host) ?? 0, until));
  }

  run<T>(host: string, task: () => Promise<T>): Promise<T> {
    let queue = this.queues.get(host);
    if (!queue) {
      queue = new PQueue({ concurrency: this.concurrency });
      this.queues.set(host, queue);
    }
    return queue.add(async () => {
      await this.waitTurn(host);
      return this.global.add(() => {
        // Counted again from the real start: a wait in the global queue must not shorten the gap.
        const next = Date.now() + (this.delays.get(host) ?? this.delayMs);
        this.nextStart.set(host, Math.max(this.nextStart.get(host) ?? 0, next));
        return task();
      }) as Promise<T>;
    }) as Promise<T>;
  }

  private async waitTurn(host: string): Promise<void> {
    // The next start is set from the moment a request really starts, not from when it was
    // planned: a start delayed by a busy event loop must not shorten the gap to the next one.
    for (;;) {
      const now = Date.now();
      const next = this.nextStart.get(host) ?? 0;
      if (now >= next) {
        this.nextStart.set(host, now + (this.delays.get(host) ?? this.delayMs));
        return;
      }
      await new Promise((r) => setTimeout(r, next - now));
    }
  }
}
