import type { CrawlSettings } from '../config/settings.js';
import { parseSitemapEntries } from '../extract/pager.js';
import { politeFetch } from './politeFetch.js';
import type { HostScheduler } from './politeness.js';
import type { RequestGuard } from './requestGuard.js';
import type { RobotsCache } from './robots.js';

const MAX_SITEMAPS = 10;
const MAX_SITEMAP_BYTES = 20 * 1024 * 1024;

/**
 * Page URLs a site lists in its sitemaps: those robots.txt declares, else /sitemap.xml when it
 * exists. Sitemap indexes are followed (bounded). A missing sitemap is normal and not a dead link.
 */
export async function sitemapUrls(
  startUrl: string,
  robots: RobotsCache,
  scheduler: HostScheduler,
  settings: CrawlSettings,
  guard: RequestGuard,
): Promise<string[]> {
  const declared = (settings.respectRobots ? await robots.sitemaps(startUrl, guard) : []).flatMap((s) =>
    URL.canParse(s, startUrl) ? [new URL(s, startUrl).toString()] : [],
  );
  const queue = declared.length ? declared : [new URL('/sitemap.xml', startUrl).toString()];
  const seen = new Set<string>();
  const pages: string[] = [];
  while (queue.length && seen.size < MAX_SITEMAPS) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const r = await politeFetch(scheduler, settings, url, { guard, maxBytes: MAX_SITEMAP_BYTES }, 0);
    if (r.status !== 200 || !r.body) continue;
    const { kind, entries } = parseSitemapEntries(r.body.toString('utf8'));
    for (const e of entries) (kind === 'sitemapindex' ? queue : pages).push(e.loc);
  }
  return pages;
}
