import { saveBody, type FrontierEntry, type ResourceRecord } from '../store/crawlData.js';
import type { CrawlContext, Outcome } from './crawlContext.js';
import { decodeHtml } from './decodeHtml.js';
import type { DiscoveredLinks } from './discoverLinks.js';
import type { FetchResult } from './fetchResource.js';
import type { PageAnalysis } from './pageAnalysis.js';
import { politeFetch } from './politeFetch.js';
import type { RequestGuard } from './requestGuard.js';
import {
  pageSignature,
  randomProbeUrl,
  softNotFoundReason,
  type NotFoundSignature,
  type PageSignature,
} from './soft404.js';
import { hostKey } from './urls.js';

/**
 * One crawler's way to the network and back: the request guard, robots.txt and Crawl-delay, the
 * polite fetch, external-link checks, and a page's links (decoded, rendered when scripts build it,
 * compared with the host's answer for a URL that cannot exist).
 */
export class PageFetcher {
  private readonly notFoundProbes = new Map<string, Promise<NotFoundSignature | undefined>>();

  constructor(
    private readonly ctx: CrawlContext,
    private readonly guard: RequestGuard,
    /** Pages that may be soft 404s: in some unit's scope and not a start URL. */
    private readonly mayBeSoftNotFound: (url: string) => boolean,
  ) {}

  async fetch(
    entry: FrontierEntry,
    previous: { etag?: string; lastModified?: string } | undefined,
  ): Promise<Outcome> {
    const { settings, scheduler, robots } = this.ctx;
    const { guard } = this;
    // Refused before robots.txt is asked for: an intranet host gets no request at all.
    const refusal = await guard.check(entry.url);
    if (refusal) return { errorKind: refusal.kind, error: refusal.message };
    if (settings.respectRobots && entry.kind !== 'external') {
      if (!(await robots.isAllowed(entry.url, guard)))
        return { errorKind: 'robots', error: 'robots.txt 禁止抓取' };
      await this.honourCrawlDelay(entry.url);
    }
    if (entry.kind === 'external') return this.checkExternal(entry.url);
    const maxBytes = entry.kind === 'attachment' ? settings.maxAttachmentBytes : settings.maxPageBytes;
    return politeFetch(scheduler, settings, entry.url, {
      guard,
      maxBytes,
      etag: previous?.etag,
      lastModified: previous?.lastModified,
    });
  }

  /**
   * The page's links and pagers, or undefined when it is a soft 404 or could not be parsed (both
   * recorded on `rec`: the page is kept, only its links are lost).
   */
  async pageLinks(body: Buffer, rec: ResourceRecord): Promise<DiscoveredLinks | undefined> {
    let analysis: PageAnalysis;
    try {
      analysis = await this.analysisOf(body, rec);
    } catch (err) {
      rec.headers['x-xuncha-parse-error'] = (err as Error).message;
      this.ctx.onWarning?.(`${rec.url}：${(err as Error).message}`);
      return undefined;
    }
    const soft = rec.status === 200 ? await this.softNotFound(analysis.signature, rec) : undefined;
    if (!soft) return analysis.found;
    Object.assign(rec, { errorKind: 'soft-404', error: soft });
    return undefined;
  }

  /** robots.txt Crawl-delay raises a host's delay (capped at 30 s) from its first request on. */
  private async honourCrawlDelay(url: string): Promise<void> {
    const host = hostKey(url);
    if (this.ctx.delaysApplied.has(host)) return;
    this.ctx.delaysApplied.add(host);
    const delay = await this.ctx.robots.crawlDelayMs(url, this.guard).catch(() => undefined);
    if (delay) this.ctx.scheduler.setHostDelay(host, Math.min(delay, 30_000));
  }

  /** Off-site links are checked, not crawled: HEAD first, GET when HEAD is refused. */
  private async checkExternal(url: string): Promise<FetchResult> {
    const { settings, scheduler } = this.ctx;
    const { guard } = this;
    const head = await politeFetch(scheduler, settings, url, { guard, method: 'HEAD', maxBytes: 0 });
    if (!head.errorKind || head.errorKind === 'dns' || head.errorKind === 'redirect-loop') return head;
    const get = await politeFetch(scheduler, settings, url, { guard, maxBytes: 64 * 1024 });
    return get.errorKind === 'too-large'
      ? { ...get, errorKind: null, error: null, body: undefined }
      : { ...get, body: undefined };
  }

  /** Compare a 200 page with what its host answers for a URL that cannot exist (probed once per host). */
  private async softNotFound(page: PageSignature, rec: ResourceRecord): Promise<string | undefined> {
    if (!this.mayBeSoftNotFound(rec.url)) return undefined;
    const origin = new URL(rec.url).origin;
    let probe = this.notFoundProbes.get(origin);
    if (!probe) {
      probe = politeFetch(
        this.ctx.scheduler,
        this.ctx.settings,
        randomProbeUrl(origin),
        { guard: this.guard, maxBytes: 512 * 1024 },
        0,
      ).then((r) =>
        r.status === 200 && r.body
          ? { ...pageSignature(decodeHtml(r.body, r.headers['content-type']).text), finalUrl: r.finalUrl }
          : undefined,
      );
      this.notFoundProbes.set(origin, probe);
    }
    return softNotFoundReason(page, rec.url, rec.finalUrl, await probe);
  }

  /**
   * The page as a reader sees it: decoded, and rendered in Chromium when its content is built by
   * scripts. A rendered page is stored rendered, so the checks judge what users see.
   */
  private async analysisOf(body: Buffer, rec: ResourceRecord): Promise<PageAnalysis> {
    const { renderer, settings, analyser } = this.ctx;
    const canRender = settings.render !== 'never' && renderer !== undefined;
    const url = rec.finalUrl;
    const plain = await analyser.analyse({
      body,
      contentType: rec.contentType,
      url,
      checkRendering: canRender && settings.render === 'auto',
    });
    rec.charset = plain.charset;
    if (!canRender || (!plain.render.render && settings.render !== 'always')) return plain;
    // One browser visit takes one of the host's request slots, like any fetch.
    const rendered = await this.ctx.scheduler.run(hostKey(url), () => renderer.render(url, this.guard));
    if (rendered.error) {
      rec.headers['x-xuncha-render-error'] = rendered.error;
      return plain;
    }
    rec.contentHash = await saveBody(this.ctx.db, Buffer.from(rendered.html));
    rec.contentType = 'text/html; charset=utf-8';
    rec.charset = 'utf-8';
    rec.headers['x-xuncha-rendered'] = plain.render.reasons.join('；') || '按设置全部渲染';
    return analyser.analyse({ html: rendered.html, url, checkRendering: false });
  }
}
