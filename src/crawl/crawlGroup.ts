import { disclosurePins, type Unit } from '../seeds/unit.js';
import {
  claimedUrls,
  enqueue,
  frontierCounts,
  frontierPages,
  loadBody,
  markDone,
  nextQueued,
  previousCopy,
  queuedKey,
  saveBody,
  saveLinks,
  saveResource,
  type FrontierEntry,
  type QueuedEntry,
  type ResourceRecord,
} from '../store/crawlData.js';
import { setCrawlStatus } from '../store/runs.js';
import type { Db } from '../store/db.js';
import { sql } from 'kysely';
import { isDatastoreXml } from '../extract/pager.js';
import type { CrawlContext, Outcome } from './crawlContext.js';
import type { DiscoveredLinks } from './discoverLinks.js';
import { PageFetcher } from './pageFetcher.js';
import { RequestGuard } from './requestGuard.js';
import { RunScope } from './scope.js';
import { sitemapUrls } from './sitemaps.js';
import { TrapGuard } from './traps.js';
import { normaliseUrl } from './urls.js';

export type { CrawlContext, UnitProgress } from './crawlContext.js';

export interface UnitCrawlSummary {
  unitId: string;
  name: string;
  status: 'done' | 'failed';
  pages: number;
  attachments: number;
  failures: number;
  /** URLs refused by the trap guards (calendars, repeated segments, overlong), for the whole group. */
  trapped: number;
  durationMs: number;
  error?: string;
}

const HTML_TYPE = /text\/html|application\/xhtml/i;

function record(entry: FrontierEntry, r: Outcome, hash: string | null): ResourceRecord {
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

/** HTML, or a Hanweb jpage data-proxy answer (XML carrying list records). */
const isListDocument = (contentType: string | null, body: Buffer | undefined) =>
  HTML_TYPE.test(contentType ?? '') ||
  (/xml/i.test(contentType ?? '') &&
    body !== undefined &&
    isDatastoreXml(body.subarray(0, 4096).toString('utf8')));

const isAttachmentResponse = (headers: Record<string, string>, contentType: string | null) =>
  /^\s*attachment/i.test(headers['content-disposition'] ?? '') ||
  (Boolean(contentType) && !HTML_TYPE.test(contentType ?? ''));

/**
 * Crawls the units that share hosts (a 集约化 portal and the 部门 and 乡镇 that are its columns) as
 * one: every URL is fetched once and stored for the unit whose scope holds it (see RunScope), so a
 * portal page linked from thirty columns costs the server one request, and the host keeps one
 * politeness budget. Page caps and depth are per unit; links belong to the page they are on.
 */
class GroupCrawler {
  private readonly scope: RunScope;
  private readonly unitIds: string[];
  private readonly startUrls: Set<string>;
  /** Set at the start of run(): resolving the seeds' networks is asynchronous. */
  private fetcher!: PageFetcher;
  private readonly traps = new TrapGuard();
  private readonly inflight = new Map<string, Promise<void>>();
  /**
   * Finished pages' writes, committed together in one transaction at the next refill. A crash
   * loses at most these: their URLs are still queued in the store, so --resume fetches them again.
   */
  private pendingWrites: { key: string; write: (trx: Db) => Promise<void> }[] = [];
  /**
   * Entries fetched whose done mark is still among the pending writes (or being written): the
   * frontier still says "queued", so the next refill must not hand them out again.
   */
  private unflushed = new Set<string>();
  /** Pages queued per unit (the seeds included): --max-pages is counted here, at enqueue. */
  private readonly pagesQueued = new Map<string, number>();
  /** Attachments and external links → the unit they were queued for (each is fetched once). */
  private claimed = new Map<string, string>();
  private errors = 0;
  private done = 0;
  private queued = 0;

  constructor(
    private readonly ctx: CrawlContext,
    private readonly units: Unit[],
  ) {
    this.scope = new RunScope(units);
    this.unitIds = units.map((u) => u.id);
    this.startUrls = new Set(units.flatMap((u) => u.startUrls));
  }

  async run(): Promise<void> {
    const { db, runId } = this.ctx;
    const seedsOf = (u: Unit) => [
      ...u.startUrls,
      ...u.catalogues.map((c) => c.url),
      ...disclosurePins(u).map((p) => p.url),
    ];
    const guard = await RequestGuard.forSeeds(this.units.flatMap(seedsOf), this.ctx.resolver);
    this.fetcher = new PageFetcher(
      this.ctx,
      guard,
      (url) => this.scope.place(url, '').kind === 'page' && !this.startUrls.has(url),
    );
    // On --resume the frontier already holds pages: they count against the caps.
    for (const id of this.unitIds) this.pagesQueued.set(id, await frontierPages(db, runId, id));
    this.claimed = await claimedUrls(db, runId, this.unitIds);
    for (const u of this.units)
      await this.enqueuePages(
        u.id,
        seedsOf(u).map((url) => ({ url, depth: 0, kind: 'page' })),
      );
    await this.enqueueSitemaps(guard);
    // Counts live in memory: a COUNT over the frontier per page would grow with the site.
    ({ done: this.done, queued: this.queued } = await frontierCounts(db, runId, this.unitIds));
    const capacity = this.ctx.settings.perHostConcurrency * 4;
    for (;;) {
      if (this.ctx.signal?.aborted) {
        await Promise.allSettled(this.inflight.values());
        await this.flush();
        return;
      }
      // Refill once 8 slots (or half) are free: each refill commits the finished pages in one transaction.
      if (this.inflight.size <= capacity - Math.min(8, Math.ceil(capacity / 2))) {
        await this.flush();
        const batch = await nextQueued(
          db,
          runId,
          this.unitIds,
          capacity - this.inflight.size,
          new Set([...this.inflight.keys(), ...this.unflushed]),
        );
        for (const entry of batch) {
          const key = queuedKey(entry.unitId, entry.url);
          const p = this.process(entry).finally(() => this.inflight.delete(key));
          this.inflight.set(key, p);
        }
      }
      if (this.inflight.size === 0) {
        await this.flush();
        if ((await frontierCounts(db, runId, this.unitIds)).queued === 0) return;
        continue;
      }
      await Promise.race(this.inflight.values());
      // Finished pages are written soon, not only at the next refill: what a worker killed now
      // would make its successor fetch again is what was fetched and not yet written.
      if (this.pendingWrites.length >= this.ctx.settings.perHostConcurrency) await this.flush();
      this.ctx.onProgress?.({
        unitId: this.unitIds[0]!,
        done: this.done,
        queued: this.queued,
        errors: this.errors,
      });
    }
  }

  /** Sitemap pages join at depth 1, for the unit that owns each: they are what the site says it has. */
  private async enqueueSitemaps(guard: RequestGuard): Promise<void> {
    const { robots, scheduler, settings } = this.ctx;
    const origins = new Map<string, string>();
    for (const u of this.units)
      for (const url of u.startUrls.slice(0, 1)) origins.set(new URL(url).origin, url);
    for (const start of origins.values()) {
      const urls = await sitemapUrls(start, robots, scheduler, settings, guard).catch(() => []);
      const byUnit = new Map<string, FrontierEntry[]>();
      for (const raw of urls) {
        const url = normaliseUrl(raw, raw);
        // Only pages some unit claims: a sitemap lists the whole portal, not one column.
        const owner = url && this.scope.ownerOf(url);
        if (!url || !owner || this.traps.check(url)) continue;
        const list = byUnit.get(owner);
        if (list) list.push({ url, depth: 1, kind: 'page' });
        else byUnit.set(owner, [{ url, depth: 1, kind: 'page' }]);
      }
      for (const [unitId, pages] of byUnit) await this.enqueuePages(unitId, pages);
    }
  }

  /** Queue a unit's pages up to --max-pages: the cap is on pages ever queued, so it can't be overshot. */
  private async enqueuePages(unitId: string, pages: FrontierEntry[], db: Db = this.ctx.db): Promise<number> {
    const have = this.pagesQueued.get(unitId) ?? 0;
    const room = this.ctx.settings.maxPagesPerUnit - have;
    if (room <= 0 || !pages.length) return 0;
    const added = await enqueue(db, this.ctx.runId, unitId, pages, room);
    this.pagesQueued.set(unitId, have + added);
    return added;
  }

  /** Distinct URLs the trap guards refused. */
  get trapped(): number {
    return this.traps.trapped;
  }

  private async process(entry: QueuedEntry): Promise<void> {
    const { db, runId } = this.ctx;
    const previous =
      entry.kind === 'external' ? undefined : await previousCopy(db, runId, entry.unitId, entry.url);
    const result = await this.fetcher.fetch(entry, previous);
    if (result.errorKind && result.errorKind !== 'robots') this.errors++;
    // Unchanged since the last crawl: reuse the stored copy, costing the server one 304.
    const reused = result.status === 304 && previous ? previous : undefined;
    const body = reused ? await loadBody(db, reused.contentHash) : result.body;
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
      rec.kind === 'page' && body && okStatus && listDocument
        ? await this.fetcher.pageLinks(body, rec)
        : undefined;
    // The body now, on its own: bodies are shared by content (one 404 page on many hosts), and
    // two groups' transactions writing the same bodies in different orders deadlock on PostgreSQL.
    if (!rec.contentHash && result.body?.length && entry.kind !== 'external')
      rec.contentHash = await saveBody(db, result.body);
    // Written with the other finished pages at the next refill: links, new frontier rows, the
    // record and the done mark — rows of this group's units only.
    const key = queuedKey(entry.unitId, entry.url);
    this.unflushed.add(key);
    this.pendingWrites.push({
      key,
      write: async (trx) => {
        if (found) await this.discover(trx, entry, found);
        await saveResource(trx, runId, entry.unitId, rec);
        await markDone(trx, runId, entry.unitId, entry.url);
      },
    });
    this.done++;
    this.queued--;
  }

  private async flush(): Promise<void> {
    if (!this.pendingWrites.length) return;
    const writes = this.pendingWrites;
    this.pendingWrites = [];
    await this.ctx.db.transaction().execute(async (trx) => {
      for (const { write } of writes) await write(trx);
    });
    for (const { key } of writes) this.unflushed.delete(key);
  }

  /** A page's links are its unit's (stored under it); each target is queued for its owner. */
  private async discover(db: Db, entry: QueuedEntry, found: DiscoveredLinks): Promise<void> {
    const { runId, settings } = this.ctx;
    await saveLinks(
      db,
      runId,
      entry.unitId,
      entry.url,
      found.links.map((l) => ({ toUrl: l.url, anchor: l.anchor, tag: l.tag })),
    );
    const pages = new Map<string, FrontierEntry[]>();
    const others: QueuedEntry[] = [];
    const addPage = (unitId: string, url: string, depth: number) => {
      if (this.traps.check(url)) return;
      const list = pages.get(unitId);
      if (list) list.push({ url, depth, kind: 'page' });
      else pages.set(unitId, [{ url, depth, kind: 'page' }]);
    };
    for (const l of found.links) {
      const { unitId, kind } = this.scope.place(l.url, entry.unitId);
      if (kind === 'page') {
        if (entry.depth + 1 <= settings.maxDepth) addPage(unitId, l.url, entry.depth + 1);
      } else if (kind === 'attachment' ? !this.traps.check(l.url) : settings.checkExternalLinks)
        others.push({ unitId, url: l.url, depth: entry.depth + 1, kind });
    }
    // Pager pages belong to the same column: same depth, so deep lists never hit the depth cap.
    for (const url of found.pagerUrls) {
      const { unitId, kind } = this.scope.place(url, entry.unitId);
      if (kind === 'page') addPage(unitId, url, entry.depth);
    }
    for (const [unitId, list] of pages) this.queued += await this.enqueuePages(unitId, list, db);
    for (const o of others) {
      // Linked from two units' pages, still fetched once: the first unit to link it keeps it.
      if (this.claimed.has(o.url)) continue;
      this.claimed.set(o.url, o.unitId);
      this.queued += await enqueue(db, runId, o.unitId, [o]);
    }
  }
}

async function summarise(
  ctx: CrawlContext,
  unit: Unit,
  trapped: number,
  started: number,
): Promise<UnitCrawlSummary> {
  const rows = await ctx.db
    .selectFrom('resources')
    .select((eb) => [
      'kind',
      eb.fn.countAll<number>().as('n'),
      sql<number>`sum(case when error_kind IS NOT NULL AND error_kind != 'robots' then 1 else 0 end)`.as(
        'failed',
      ),
    ])
    .where('run_id', '=', ctx.runId)
    .where('unit_id', '=', unit.id)
    .groupBy('kind')
    .execute();
  const count = (k: string) => Number(rows.find((r) => r.kind === k)?.n ?? 0);
  const starts = await ctx.db
    .selectFrom('resources')
    .select((eb) => eb.fn.countAll<number>().as('ok'))
    .where('run_id', '=', ctx.runId)
    .where('unit_id', '=', unit.id)
    .where('depth', '=', 0)
    .where((eb) => eb.or([eb.between('status', 200, 299), eb('status', '=', 304)]))
    .executeTakeFirstOrThrow();
  const failures = rows.reduce((a, r) => a + Number(r.failed ?? 0), 0);
  const status = Number(starts.ok) > 0 ? 'done' : 'failed';
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

/**
 * Crawl the units of one host group. Never throws: every failure is recorded, so one broken site
 * never stops the others.
 */
export async function crawlGroup(ctx: CrawlContext, units: Unit[]): Promise<UnitCrawlSummary[]> {
  const started = Date.now();
  const crawler = new GroupCrawler(ctx, units);
  let error: string | undefined;
  try {
    await crawler.run();
  } catch (err) {
    error = `抓取异常：${(err as Error).message}`;
  }
  const results: UnitCrawlSummary[] = [];
  // Handed over mid-crawl: the worker that has the job now records how the units' crawls end.
  if (ctx.signal?.aborted) return results;
  for (const unit of units) {
    const summary = await summarise(ctx, unit, crawler.trapped, started);
    const result = error ? { ...summary, status: 'failed' as const, error } : summary;
    await setCrawlStatus(ctx.db, ctx.runId, unit.id, result.status, result.error);
    results.push(result);
  }
  return results;
}
