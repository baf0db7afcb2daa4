import type { CrawlSettings } from '../config/settings.js';
import { fetchResource, retryAfterMs, type FetchOptions, type FetchResult } from './fetchResource.js';
import type { HostScheduler } from './politeness.js';
import { hostKey } from './urls.js';

// 'blocked' (401/403/429/999): anti-bot walls often let a slower second visit through.
const TRANSIENT = new Set(['http-5xx', 'timeout', 'network', 'refused', 'blocked']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * fetchResource through the host scheduler, with retries: Retry-After on 429/503 pauses the whole
 * host; other transient failures (including anti-bot refusals) back off exponentially with jitter.
 * Other 4xx answers are final.
 */
export async function politeFetch(
  scheduler: HostScheduler,
  settings: CrawlSettings,
  url: string,
  opts: Omit<FetchOptions, 'userAgent' | 'timeoutMs'>,
  retries = settings.retries,
): Promise<FetchResult> {
  const host = hostKey(url);
  const full: FetchOptions = {
    ...opts,
    userAgent: settings.userAgent,
    timeoutMs: settings.timeoutMs,
    tlsFallback: settings.tlsFallback,
  };
  for (let attempt = 0; ; attempt++) {
    const result = await scheduler.run(host, () => fetchResource(url, full));
    const wait = result.status === 429 || result.status === 503 ? retryAfterMs(result.headers) : undefined;
    const transient = result.status === 429 || TRANSIENT.has(result.errorKind ?? '');
    if (attempt >= retries || !transient) return result;
    if (wait !== undefined) {
      if (wait > settings.maxRetryAfterMs) return result;
      scheduler.pauseHost(host, Date.now() + wait);
      continue;
    }
    await sleep(500 * 2 ** attempt + Math.random() * 250);
  }
}
