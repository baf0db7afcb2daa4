import type { CrawlSettings } from '../config/settings.js';
import type { Db } from '../store/db.js';
import type { Unit } from '../seeds/unit.js';
import {
  enqueue,
  frontierCounts,
  frontierPages,
  loadBody,
  markDone,
  nextQueued,
  previousCopy,
  saveBody,
  saveLinks,
  saveResource,
  type FrontierEntry,
  type ResourceRecord,
} from '../store/crawlData.js';
import { setCrawlStatus } from '../store/runs.js';
import { decodeHtml } from './decodeHtml.js';
import type { FetchResult } from './fetchResource.js';
import { politeFetch } from './politeFetch.js';
import type { HostScheduler } from './politeness.js';
import type { RobotsCache } from './robots.js';
import { UnitScope } from './scope.js';
import { hostKey, normaliseUrl } from './urls.js';
import { sitemapUrls } from './sitemaps.js';
import { isDatastoreXml } from '../extract/pager.js';
import type { DiscoveredLinks } from './discoverLinks.js';
import type { PageAnalyser } from './pageAnalyser.js';
import type { PageAnalysis } from './pageAnalysis.js';
import type { PageRenderer } from './renderPage.js';
import { TrapGuard } from './traps.js';
import { RequestGuard, type Resolver } from './requestGuard.js';
import {
  pageSignature,
  randomProbeUrl,
  softNotFoundReason,
  type NotFoundSignature,
  type PageSignature,
} from './soft404.js';

export interface UnitProgress {
  unitId: string;
  done: number;
  queued: number;
  errors: number;
}

export interface CrawlContext {
  db: Db;
  runId: number;
  settings: CrawlSettings;
  scheduler: HostScheduler;
  robots: RobotsCache;
  /** Decoding and link discovery, off the main thread. */
  analyser: PageAnalyser;
  /** Chromium pool for script-built pages (absent when rendering is off). */
  renderer?: PageRenderer;
  /** Name resolution for the request guard; the system resolver unless a test injects one. */
  resolver?: Resolver;
  /** Hosts whose robots.txt Crawl-delay has been applied (shared by all units of a run). */
  delaysApplied: Set<string>;
  onProgress?: (p: UnitProgress) => void;
  onWarning?: (message: string) => void;
}

export interface UnitCrawlSummary {
  unitId: string;
  name: string;
  status: 'done' | 'failed';
  pages: number;
  attachments: number;
  failures: number;
  /** URLs refused by the trap guards (calendars, repeated segments, overlong). */
  trapped: number;
  durationMs: number;
  error?: string;
}

const HTML_TYPE = /text\/html|application\/xhtml/i;

function record(
  entry: FrontierEntry,
  r: Partial<FetchResult> & { errorKind: string | null; error: string | null },
  hash: string | null,
): ResourceRecord {
  const contentType = r.headers?.['content-type'] ?? null;
  const headers = r.tlsError ? { ...r.headers, 'x-xuncha-tls-error': r.tlsError } : (r.headers ?? {});
  return {
    url: entry.url,
    finalUrl: r.finalUrl ?? entry.url,
    kind: entry.kind,
    depth: entry.depth,
    status: r.status ?? 0,
    errorKind: r.errorKind,
    error: r.error,
    contentType,
    charset: null,
    headers,
    fetchedAt: new Date().toISOString(),
    durationMs: r.durationMs ?? 0,
    size: r.body?.length ?? 0,
    contentHash: hash,
  };
}

type Outcome = Partial<FetchResult> & { errorKind: string | null; error: string | null };

/** HTML, or a Hanweb jpage data-proxy answer (XML carrying list records). */
const isListDocument = (contentType: string | null, body: Buffer | undefined) =>
  HTML_TYPE.test(contentType ?? '') ||
  (/xml/i.test(contentType ?? '') &&
    body !== undefined &&
    isDatastoreXml(body.subarray(0, 4096).toString('utf8')));

const isAttachmentResponse = (headers: Record<string, string>, contentType: string | null) =>
  /^\s*attachment/i.test(headers['content-disposition'] ?? '') ||
  (Boolean(contentType) && !HTML_TYPE.test(contentType ?? ''));

class UnitCrawler {
  private readonly scope: UnitScope;
  /** Set at the start of run(): resolving the seeds' networks is asynchronous. */
  private guard!: RequestGuard;
  private readonly traps = new TrapGuard();
  private readonly inflight = new Map<string, Promise<void>>();
  /**
   * Finished pages' writes, committed together in one transaction at the next refill. A crash
   * loses at most these: their URLs are still queued in the store, so --resume fetches them again.
   */
  private pendingWrites: (() => void)[] = [];
  private readonly notFoundProbes = new Map<string, Promise<NotFoundSignature | undefined>>();
  /** Pages queued so far (the seeds included): --max-pages is counted here, at enqueue. */
  private pagesQueued = 0;
  private errors = 0;
  private done = 0;
  private queued = 0;

  constructor(
    private readonly ctx: CrawlContext,
    private readonly unit: Unit,
  ) {
    this.scope = new UnitScope(unit);
  }

  async run(): Promise<void> {
    const seeds = [...this.unit.startUrls, ...this.unit.catalogues.map((c) => c.url)];
    this.guard = await RequestGuard.forSeeds(seeds, this.ctx.resolver);
    // On --resume the frontier already holds pages: they count against the cap.
    this.pagesQueued = frontierPages(this.ctx.db, this.ctx.runId, this.unit.id);
    this.enqueuePages(seeds.map((url) => ({ url, depth: 0, kind: 'page' })));
    await this.enqueueSitemaps();
    // Counts live in memory: a COUNT over the frontier per page would grow with the site.
    ({ done: this.done, queued: this.queued } = frontierCounts(this.ctx.db, this.ctx.runId, this.unit.id));
    const capacity = this.ctx.settings.perHostConcurrency * 4;
    for (;;) {
      // Refill once 8 slots (or half) are free: each refill commits the finished pages in one transaction.
      if (this.inflight.size <= capacity - Math.min(8, Math.ceil(capacity / 2))) {
        this.flush();
        const batch = nextQueued(
          this.ctx.db,
          this.ctx.runId,
          this.unit.id,
          capacity - this.inflight.size,
          new Set(this.inflight.keys()),
        );
        for (const entry of batch) {
          const p = this.process(entry).finally(() => this.inflight.delete(entry.url));
          this.inflight.set(entry.url, p);
        }
      }
      if (this.inflight.size === 0) {
        this.flush();
        if (frontierCounts(this.ctx.db, this.ctx.runId, this.unit.id).queued === 0) return;
        continue;
      }
      await Promise.race(this.inflight.values());
      this.ctx.onProgress?.({
        unitId: this.unit.id,
        done: this.done,
        queued: this.queued,
        errors: this.errors,
      });
    }
  }

  /** Sitemap pages join at depth 1: they are what the site itself says it has. */
  private async enqueueSitemaps(): Promise<void> {
    const { robots, scheduler, settings } = this.ctx;
    const urls = await sitemapUrls(this.unit.startUrls[0]!, robots, scheduler, settings, this.guard).catch(
      () => [],
    );
    const pages = urls
      .map((u) => normaliseUrl(u, u))
      .filter((u): u is string => u !== undefined && this.scope.inScope(u) && !this.traps.check(u))
      .map((url) => ({ url, depth: 1, kind: this.scope.kindOf(url) }));
    this.enqueuePages(pages.filter((p) => p.kind === 'page'));
    enqueue(
      this.ctx.db,
      this.ctx.runId,
      this.unit.id,
      pages.filter((p) => p.kind !== 'page'),
    );
  }

  /** Queue pages up to --max-pages: the cap is on pages ever queued, so it can't be overshot. */
  private enqueuePages(pages: FrontierEntry[]): number {
    const room = this.ctx.settings.maxPagesPerUnit - this.pagesQueued;
    if (room <= 0 || !pages.length) return 0;
    const added = enqueue(this.ctx.db, this.ctx.runId, this.unit.id, pages, room);
    this.pagesQueued += added;
    return added;
  }

  /** Distinct URLs the trap guards refused. */
  get trapped(): number {
    return this.traps.trapped;
  }

  private async process(entry: FrontierEntry): Promise<void> {
    const { db, runId } = this.ctx;
    const previous = entry.kind === 'external' ? undefined : previousCopy(db, runId, this.unit.id, entry.url);
    const result = await this.fetch(entry, previous);
    if (result.errorKind && result.errorKind !== 'robots') this.errors++;
    // Unchanged since the last crawl: reuse the stored copy, costing the server one 304.
    const reused = result.status === 304 && previous ? previous : undefined;
    const body = reused ? loadBody(db, reused.contentHash) : result.body;
    const rec = record(entry, result, reused?.contentHash ?? null);
    if (reused) rec.contentType = reused.contentType;
    const okStatus = (rec.status >= 200 && rec.status < 300) || rec.status === 304;
    const listDocument = isListDocument(rec.contentType, body);
    if (
      entry.kind === 'page' &&
      okStatus &&
      !listDocument &&
      isAttachmentResponse(rec.headers, rec.contentType)
    )
      rec.kind = 'attachment';
    const found =
      rec.kind === 'page' && body && okStatus && listDocument ? await this.pageLinks(body, rec) : undefined;
    // Written with the other finished pages at the next refill: body, links, new frontier rows,
    // the record and the done mark.
    this.pendingWrites.push(() => {
      if (!rec.contentHash && result.body?.length && entry.kind !== 'external')
        rec.contentHash = saveBody(db, result.body);
      if (found) this.discover(entry, found);
      saveResource(db, runId, this.unit.id, rec);
      markDone(db, runId, this.unit.id, entry.url);
    });
    this.done++;
    this.queued--;
  }

  private flush(): void {
    if (!this.pendingWrites.length) return;
    const writes = this.pendingWrites;
    this.pendingWrites = [];
    this.ctx.db.transaction(() => writes.forEach((w) => w()))();
  }

  /**
   * The page's links and pagers, or undefined when it is a soft 404 or could not be parsed (both
   * recorded on `rec`: the page is kept, only its links are lost).
   */
  private async pageLinks(body: Buffer, rec: ResourceRecord): Promise<DiscoveredLinks | undefined> {
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

  private async fetch(
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
    if (!this.scope.inScope(rec.url) || this.unit.startUrls.includes(rec.url)) return undefined;
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
    rec.contentHash = saveBody(this.ctx.db, Buffer.from(rendered.html));
    rec.contentType = 'text/html; charset=utf-8';
    rec.charset = 'utf-8';
    rec.headers['x-xuncha-rendered'] = plain.render.reasons.join('；') || '按设置全部渲染';
    return analyser.analyse({ html: rendered.html, url, checkRendering: false });
  }

  private discover(entry: FrontierEntry, found: DiscoveredLinks): void {
    saveLinks(
      this.ctx.db,
      this.ctx.runId,
      this.unit.id,
      entry.url,
      found.links.map((l) => ({ toUrl: l.url, anchor: l.anchor, tag: l.tag })),
    );
    const { maxDepth, checkExternalLinks } = this.ctx.settings;
    const next: FrontierEntry[] = [];
    for (const l of found.links) {
      const kind = this.scope.kindOf(l.url);
      if (kind === 'external' && !checkExternalLinks) continue;
      if (kind === 'page' && entry.depth + 1 > maxDepth) continue;
      next.push({ url: l.url, depth: entry.depth + 1, kind });
    }
    // Pager pages belong to the same column: same depth, so deep lists never hit the depth cap.
    for (const url of found.pagerUrls)
      if (this.scope.inScope(url)) next.push({ url, depth: entry.depth, kind: 'page' });
    const allowed = next.filter((n) => n.kind === 'external' || !this.traps.check(n.url));
    this.queued += this.enqueuePages(allowed.filter((n) => n.kind === 'page'));
    this.queued += enqueue(
      this.ctx.db,
      this.ctx.runId,
      this.unit.id,
      allowed.filter((n) => n.kind !== 'page'),
    );
  }
}

function summarise(ctx: CrawlContext, unit: Unit, trapped: number, started: number): UnitCrawlSummary {
  const rows = ctx.db
    .prepare(
      `SELECT kind, count(*) AS n, sum(error_kind IS NOT NULL AND error_kind != 'robots') AS failed
       FROM resources WHERE run_id = ? AND unit_id = ? GROUP BY kind`,
    )
    .all(ctx.runId, unit.id) as { kind: string; n: number; failed: number }[];
  const count = (k: string) => rows.find((r) => r.kind === k)?.n ?? 0;
  const starts = ctx.db
    .prepare(
      `SELECT count(*) AS ok FROM resources WHERE run_id = ? AND unit_id = ? AND depth = 0 AND (status BETWEEN 200 AND 299 OR status = 304)`,
    )
    .get(ctx.runId, unit.id) as { ok: number };
  const failures = rows.reduce((a, r) => a + (r.failed ?? 0), 0);
  const status = starts.ok > 0 ? 'done' : 'failed';
  return {
    unitId: unit.id,
    name: unit.name,
    status,
    pages: count('page'),
    attachments: count('attachment'),
    failures,
    trapped,
    durationMs: Date.now() - started,
    ...(status === 'failed' ? { error: '首页（起始网址）无法访问' } : {}),
  };
}

/** Crawl one unit. Never throws: every failure is recorded, so one broken site never stops the others. */
export async function crawlUnit(ctx: CrawlContext, unit: Unit): Promise<UnitCrawlSummary> {
  const started = Date.now();
  const crawler = new UnitCrawler(ctx, unit);
  try {
    await crawler.run();
    const summary = summarise(ctx, unit, crawler.trapped, started);
    setCrawlStatus(ctx.db, ctx.runId, unit.id, summary.status, summary.error);
    return summary;
  } catch (err) {
    const message = `抓取异常：${(err as Error).message}`;
    setCrawlStatus(ctx.db, ctx.runId, unit.id, 'failed', message);
    return { ...summarise(ctx, unit, crawler.trapped, started), status: 'failed', error: message };
  }
}
