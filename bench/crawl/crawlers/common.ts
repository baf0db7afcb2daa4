/**
 * Shared by the crawler children of bench/crawl/run.ts: arguments, RSS sampling and the one JSON
 * line each child prints when it is done.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export interface CrawlerArgs {
  /** Start URL (the site's home page). */
  url: string;
  /** Per-host (and total) concurrency. */
  concurrency: number;
  /** Hard cap on requests, so every loop stays bounded. */
  maxRequests: number;
}

export interface CrawlerResult {
  crawler: string;
  /** Requests the crawler completed (any outcome), by its own count. */
  requests: number;
  /** HTML pages fetched with a 2xx answer. */
  pagesOk: number;
  /** URLs the crawler reported as failed or dead (4xx/5xx/network). */
  dead: string[];
  /** Failures by kind (the crawler's own classification), to tell planted 404s from timeouts. */
  failures: Record<string, number>;
  /** Wall time of the crawl itself (setup and module loading excluded). */
  elapsedMs: number;
  /** RSS just before the crawl started: runtime + libraries. */
  baseRss: number;
  /** Peak of process.memoryUsage().rss sampled every 50 ms. */
  peakRss: number;
  /** The kernel's high-water mark (VmHWM), when /proc is there. */
  hwmRss?: number;
  /** process.memoryUsage() at the highest sample: where the peak sat (V8 heap or outside it). */
  atPeak: NodeJS.MemoryUsage;
  /** When the highest sample was taken, in ms from the crawl's start. */
  peakAtMs: number;
}

export function crawlerArgs(): CrawlerArgs {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      concurrency: { type: 'string', default: '16' },
      'max-requests': { type: 'string', default: '1000000' },
    },
  });
  if (!values.url) throw new Error('--url is required');
  return {
    url: values.url,
    concurrency: Number(values.concurrency),
    maxRequests: Number(values['max-requests']),
  };
}

/** VmHWM of this process in bytes (Linux), else undefined. */
/** Count one failure of `kind` into `into`. */
export function countFailure(into: Record<string, number>, kind: string): void {
  into[kind] = (into[kind] ?? 0) + 1;
}

export function kernelPeakRss(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m?.[1] ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Time and sample one crawl: `crawl` returns the crawler's own counts; this adds wall time and
 * RSS, prints the result as one JSON line on stdout and exits (some libraries keep timers alive).
 */
export async function runMeasured(
  crawler: string,
  crawl: () => Promise<Pick<CrawlerResult, 'requests' | 'pagesOk' | 'dead' | 'failures'>>,
): Promise<never> {
  let atPeak = process.memoryUsage();
  let peakAtMs = 0;
  const baseRss = atPeak.rss;
  const t0 = performance.now();
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss <= atPeak.rss) return;
    atPeak = m;
    peakAtMs = performance.now() - t0;
  };
  const sampler = setInterval(sample, 50);
  const counts = await crawl();
  const elapsedMs = performance.now() - t0;
  clearInterval(sampler);
  sample();
  const peakRss = atPeak.rss;
  const hwmRss = kernelPeakRss();
  const result: CrawlerResult = {
    crawler,
    ...counts,
    elapsedMs,
    baseRss,
    peakRss,
    ...(hwmRss ? { hwmRss } : {}),
    atPeak,
    peakAtMs,
  };
  process.stdout.write(`\n@@result ${JSON.stringify(result)}\n`, () => process.exit(0));
  return new Promise<never>(() => {});
}
