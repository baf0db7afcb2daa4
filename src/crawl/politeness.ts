import PQueue from 'p-queue';

/** Returned by a global-queue task that found its host's turn gone (see HostScheduler.run). */
const NOT_YET = Symbol('not yet');

/**
 * Gaps are measured on the monotonic clock: a wall-clock step (NTP, a VM resyncing) would
 * otherwise shorten or stretch them.
 */
const now = () => performance.now();

/**
 * Per-host politeness: at most `concurrency` requests in flight per host, consecutive request
 * starts at least `delayMs` apart, and a host-wide pause after Retry-After. A global queue caps
 * the total across hosts.
 *
 * A request waits for its host's turn before it asks for a global slot, so a host waiting out its
 * delay never holds one: with a hundred hosts the global cap is shared by the hosts that can start
 * now. The gap is judged again at the real start, inside the global slot: when the global cap binds,
 * two requests of one host that both saw their turn come may reach their global slots back to
 * back, and the second must then go back to waiting instead of starting early.
 */
export class HostScheduler {
  private readonly queues = new Map<string, PQueue>();
  /** When each host's last request really started (monotonic ms). */
  private readonly lastStart = new Map<string, number>();
  /** Retry-After: no request to the host before this time (monotonic ms). */
  private readonly pausedUntil = new Map<string, number>();
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
    const at = now() + (until - Date.now());
    this.pausedUntil.set(host, Math.max(this.pausedUntil.get(host) ?? 0, at));
  }

  run<T>(host: string, task: () => Promise<T>): Promise<T> {
    let queue = this.queues.get(host);
    if (!queue) {
      queue = new PQueue({ concurrency: this.concurrency });
      this.queues.set(host, queue);
    }
    return queue.add(async () => {
      for (;;) {
        await this.waitTurn(host);
        const outcome = await this.global.add(async () => {
          // Judged and taken in one synchronous step: no other request of the host can slip in.
          const start = now();
          if (start < this.earliestStart(host)) return NOT_YET;
          this.lastStart.set(host, start);
          return { value: await task() };
        });
        if (outcome !== NOT_YET) return (outcome as { value: T }).value;
      }
    }) as Promise<T>;
  }

  /** The first moment the host's next request may start. */
  private earliestStart(host: string): number {
    const last = this.lastStart.get(host);
    const gap = last === undefined ? 0 : last + (this.delays.get(host) ?? this.delayMs);
    return Math.max(gap, this.pausedUntil.get(host) ?? 0);
  }

  /** Sleep, holding no global slot, until the host may start a request (it may be taken meanwhile). */
  private async waitTurn(host: string): Promise<void> {
    for (;;) {
      const wait = this.earliestStart(host) - now();
      if (wait <= 0) return;
      // Timers count from the event loop's cached time and may fire early: the loop looks again.
      await new Promise((r) => setTimeout(r, Math.ceil(wait)));
    }
  }
}
