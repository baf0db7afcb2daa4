/**
 * Politeness for the evidence browser's own requests (stylesheets, images, fonts of a page being
 * drawn): one request at a time per host, at least `delayMs` apart, across every page and unit of
 * the stage, since units of a 集约化 portal share one host. A host that answers 429 or 503 gets
 * nothing more from this stage: the screenshot is drawn without its remaining resources.
 */
export class HostGate {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly last = new Map<string, number>();
  private readonly refused = new Set<string>();

  constructor(private readonly delayMs: number) {}

  /** Run `fetch` for `host` in turn; undefined when the host asked us to back off. */
  run<T extends { status(): number }>(host: string, fetch: () => Promise<T>): Promise<T | undefined> {
    const previous = this.tails.get(host) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        if (this.refused.has(host)) return undefined;
        const wait = (this.last.get(host) ?? 0) + this.delayMs - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        try {
          const response = await fetch();
          if (response.status() === 429 || response.status() === 503) this.refused.add(host);
          return response;
        } finally {
          this.last.set(host, Date.now());
        }
      });
    this.tails.set(host, next);
    return next;
  }

  /** Hosts that answered 429/503 during the stage. */
  backedOff(): string[] {
    return [...this.refused];
  }
}
