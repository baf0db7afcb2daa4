import robotsParserModule from 'robots-parser';
import type { FetchResult } from './fetchResource.js';
import type { RequestGuard } from './requestGuard.js';

interface Robots {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
  getSitemaps(): string[];
}
// The package is CommonJS (module.exports = fn) but its typings declare an ES default export.
const robotsParser = robotsParserModule as unknown as (url: string, text: string) => Robots;

/**
 * robots.txt per origin, fetched once through the same polite fetcher. A missing file (4xx) or an
 * unreachable one allows everything: an unreachable site fails on its own pages anyway.
 */
export class RobotsCache {
  private readonly cache = new Map<string, Promise<Robots | undefined>>();

  constructor(
    private readonly userAgent: string,
    private readonly fetchText: (url: string, guard: RequestGuard) => Promise<FetchResult>,
  ) {}

  /**
   * Fetched with the guard of the unit that first asks: its URL passed that guard, and a robots.txt
   * that redirects elsewhere is judged hop by hop like any request.
   */
  private load(origin: string, guard: RequestGuard): Promise<Robots | undefined> {
    let entry = this.cache.get(origin);
    if (!entry) {
      const robotsUrl = `${origin}/robots.txt`;
      entry = this.fetchText(robotsUrl, guard).then((r) =>
        r.status >= 200 && r.status < 300 && r.body
          ? robotsParser(robotsUrl, r.body.toString('utf8'))
          : undefined,
      );
      this.cache.set(origin, entry);
    }
    return entry;
  }

  async isAllowed(url: string, guard: RequestGuard): Promise<boolean> {
    const robots = await this.load(new URL(url).origin, guard);
    return robots?.isAllowed(url, this.userAgent) ?? true;
  }

  /** Crawl-delay in ms, if the site sets one for us. */
  async crawlDelayMs(url: string, guard: RequestGuard): Promise<number | undefined> {
    const robots = await this.load(new URL(url).origin, guard);
    const s = robots?.getCrawlDelay(this.userAgent);
    return s ? s * 1000 : undefined;
  }

  /** Sitemaps the site declares in robots.txt. */
  async sitemaps(url: string, guard: RequestGuard): Promise<string[]> {
    const robots = await this.load(new URL(url).origin, guard);
    return robots?.getSitemaps() ?? [];
  }
}
