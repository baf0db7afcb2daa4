import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { engineOf, inTransaction, insertInChunks, type Db } from './db.js';

/** What the crawler stores per URL; shared by crawl (writer) and checks (reader). */
export type ResourceKind = 'page' | 'attachment' | 'external';

export interface ResourceRecord {
  url: string;
  finalUrl: string;
  kind: ResourceKind;
  depth: number;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  /** null when fetched fine; else http-4xx | http-5xx | timeout | dns | refused | network | too-large | robots | out-of-scope | redirect-loop | blocked */
  errorKind: string | null;
  error: string | null;
  contentType: string | null;
  charset: string | null;
  headers: Record<string, string>;
  fetchedAt: string;
  durationMs: number;
  size: number;
  contentHash: string | null;
}

export interface LinkRecord {
  fromUrl: string;
  toUrl: string;
  anchor: string;
  tag: string;
}

export interface FrontierEntry {
  url: string;
  depth: number;
  kind: ResourceKind;
}

/** Write order of frontier and link rows: microseconds plus a counter, unique within a process. */
let seq = 0;
const nextSeq = () => Date.now() * 1000 + (seq++ % 1000);

/**
 * Adds entries not yet in the unit's frontier; returns how many were new. At most `limit` are
 * added: a page cap counted here holds exactly, whatever links are already queued twice.
 */
export async function enqueue(
  db: Db,
  runId: number,
  unitId: string,
  entries: FrontierEntry[],
  limit = Infinity,
): Promise<number> {
  if (!entries.length || limit <= 0) return 0;
  return inTransaction(db, async (trx) => {
    if (limit === Infinity) {
      // One statement per page's links; duplicates (already queued) are skipped by the key.
      return insertInChunks(entries, async (chunk) => {
        const r = await trx
          .insertInto('frontier')
          .values(
            chunk.map((e) => ({
              run_id: runId,
              unit_id: unitId,
              url: e.url,
              depth: e.depth,
              kind: e.kind,
              seq: nextSeq(),
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        return Number(r.numInsertedOrUpdatedRows ?? 0);
      });
    }
    let added = 0;
    for (const e of entries) {
      if (added >= limit) break;
      const r = await trx
        .insertInto('frontier')
        .values({ run_id: runId, unit_id: unitId, url: e.url, depth: e.depth, kind: e.kind, seq: nextSeq() })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      added += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    return added;
  });
}

/** A frontier row with the unit it is queued for. */
export interface QueuedEntry extends FrontierEntry {
  unitId: string;
}

/** The key nextQueued's `exclude` takes: one URL may be queued for two units (an attachment, say). */
export const queuedKey = (unitId: string, url: string) => `${unitId}\u0001${url}`;

/**
 * The next entries of a group of units sharing hosts, shallowest first. One indexed query per unit,
 * merged here: an ORDER BY across units would sort the whole frontier at every refill.
 */
export async function nextQueued(
  db: Db,
  runId: number,
  unitIds: string[],
  limit: number,
  exclude: Set<string>,
): Promise<QueuedEntry[]> {
  const rows: (QueuedEntry & { seq: number })[] = [];
  for (const unitId of unitIds) {
    const found = await db
      .selectFrom('frontier')
      .select(['url', 'depth', 'kind', 'seq'])
      .where('run_id', '=', runId)
      .where('unit_id', '=', unitId)
      .where('state', '=', 'queued')
      .orderBy('depth')
      .orderBy('seq')
      .limit(limit + exclude.size)
      .execute();
    for (const r of found)
      if (!exclude.has(queuedKey(unitId, r.url))) rows.push({ ...r, kind: r.kind as ResourceKind, unitId });
  }
  rows.sort((a, b) => a.depth - b.depth || a.seq - b.seq);
  return rows.slice(0, limit).map(({ seq: _seq, ...entry }) => entry);
}

export async function markDone(
  db: Db,
  runId: number,
  unitId: string,
  url: string,
  state = 'done',
): Promise<void> {
  await db
    .updateTable('frontier')
    .set({ state })
    .where('run_id', '=', runId)
    .where('unit_id', '=', unitId)
    .where('url', '=', url)
    .execute();
}

/** The unit's start pages (depth 0) that did not answer 2xx/304: the evidence of an unreachable unit. */
export async function startPageFailures(
  db: Db,
  runId: number,
  unitId: string,
): Promise<{ url: string; status: number; errorKind: string | null; error: string | null }[]> {
  return db
    .selectFrom('resources')
    .select(['url', 'status', 'error_kind as errorKind', 'error'])
    .where('run_id', '=', runId)
    .where('unit_id', '=', unitId)
    .where('depth', '=', 0)
    .where((eb) => eb.not(eb.or([eb.between('status', 200, 299), eb('status', '=', 304)])))
    .orderBy('id')
    .execute();
}

/** Pages (not attachments or external links) ever queued for a unit in a run: what --max-pages counts. */
export async function frontierPages(db: Db, runId: number, unitId: string): Promise<number> {
  const r = await db
    .selectFrom('frontier')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('run_id', '=', runId)
    .where('unit_id', '=', unitId)
    .where('kind', '=', 'page')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function frontierCounts(
  db: Db,
  runId: number,
  unitIds: string[],
): Promise<{ queued: number; done: number }> {
  let queued = 0;
  let all = 0;
  for (const unitId of unitIds) {
    const rows = await db
      .selectFrom('frontier')
      .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
      .where('run_id', '=', runId)
      .where('unit_id', '=', unitId)
      .groupBy('state')
      .execute();
    for (const r of rows) {
      all += Number(r.n);
      if (r.state === 'queued') queued += Number(r.n);
    }
  }
  return { queued, done: all - queued };
}

/** Attachments and external links already queued for some unit of the group (each is fetched once). */
export async function claimedUrls(db: Db, runId: number, unitIds: string[]): Promise<Map<string, string>> {
  const claimed = new Map<string, string>();
  for (const unitId of unitIds) {
    const rows = await db
      .selectFrom('frontier')
      .select('url')
      .where('run_id', '=', runId)
      .where('unit_id', '=', unitId)
      .where('kind', '!=', 'page')
      .orderBy('seq')
      .execute();
    for (const r of rows) if (!claimed.has(r.url)) claimed.set(r.url, unitId);
  }
  return claimed;
}

export async function saveBody(db: Db, data: Buffer): Promise<string> {
  const hash = createHash('sha256').update(data).digest('hex');
  await db
    .insertInto('bodies')
    .values({ hash, size: data.length, data })
    .onConflict((oc) => oc.column('hash').doNothing())
    .execute();
  return hash;
}

export async function loadBody(db: Db, hash: string): Promise<Buffer | undefined> {
  const row = await db.selectFrom('bodies').select('data').where('hash', '=', hash).executeTakeFirst();
  return row?.data;
}

/** Store a fetched resource, replacing what a resumed crawl stored for the same URL before. */
export async function saveResource(db: Db, runId: number, unitId: string, r: ResourceRecord): Promise<void> {
  const row = {
    final_url: r.finalUrl,
    kind: r.kind,
    depth: r.depth,
    status: r.status,
    error_kind: r.errorKind,
    error: r.error,
    content_type: r.contentType,
    charset: r.charset,
    headers: JSON.stringify(r.headers),
    fetched_at: r.fetchedAt,
    duration_ms: r.durationMs,
    size: r.size,
    content_hash: r.contentHash,
  };
  await db
    .insertInto('resources')
    .values({ run_id: runId, unit_id: unitId, url: r.url, ...row })
    .onConflict((oc) => oc.columns(['run_id', 'unit_id', 'url']).doUpdateSet(row))
    .execute();
}

const unitResources = (db: Db, runId: number, unitId: string) =>
  db.selectFrom('resources').selectAll().where('run_id', '=', runId).where('unit_id', '=', unitId);

export async function listResources(db: Db, runId: number, unitId: string): Promise<ResourceRecord[]> {
  const rows = await unitResources(db, runId, unitId).orderBy('id').execute();
  return rows.map(resourceFromRow);
}

/** Rows a streaming read takes per query: bounded memory, few round trips. */
const PAGE_ROWS = 500;

/**
 * A unit's resources one row at a time, in the order listResources gives them: the check stage
 * keeps a compact copy of each instead of every row's full record at once. Read in pages by key,
 * so no cursor or connection is held while the caller works on a row (it may query the store).
 */
export async function* eachResource(db: Db, runId: number, unitId: string): AsyncGenerator<ResourceRecord> {
  let after = -1;
  for (;;) {
    const rows = await unitResources(db, runId, unitId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE_ROWS)
      .execute();
    for (const r of rows) yield resourceFromRow(r);
    if (rows.length < PAGE_ROWS) return;
    after = rows[rows.length - 1]!.id;
  }
}

type ResourceRow = Awaited<ReturnType<ReturnType<typeof unitResources>['executeTakeFirstOrThrow']>>;

function resourceFromRow(r: ResourceRow): ResourceRecord {
  return {
    url: r.url,
    finalUrl: r.final_url,
    kind: r.kind as ResourceKind,
    depth: r.depth,
    status: r.status,
    errorKind: r.error_kind ?? null,
    error: r.error ?? null,
    contentType: r.content_type ?? null,
    charset: r.charset ?? null,
    headers: JSON.parse(r.headers) as Record<string, string>,
    fetchedAt: r.fetched_at,
    durationMs: r.duration_ms,
    size: r.size,
    contentHash: r.content_hash ?? null,
  };
}

/** A page's links as stored: [to_url, anchor, tag] triples. */
type StoredLink = [string, string, string];

/** Store one page's links, replacing what a resumed crawl may have stored for it before. */
export async function saveLinks(
  db: Db,
  runId: number,
  unitId: string,
  fromUrl: string,
  links: Omit<LinkRecord, 'fromUrl'>[],
): Promise<void> {
  const triples: StoredLink[] = links.map((l) => [l.toUrl, l.anchor, l.tag]);
  const row = { links: JSON.stringify(triples), seq: nextSeq() };
  await db
    .insertInto('page_links')
    .values({ run_id: runId, unit_id: unitId, from_url: fromUrl, ...row })
    .onConflict((oc) => oc.columns(['run_id', 'unit_id', 'from_url']).doUpdateSet(row))
    .execute();
}

export async function listLinks(db: Db, runId: number, unitId: string): Promise<LinkRecord[]> {
  const out: LinkRecord[] = [];
  for await (const page of eachPageLinks(db, runId, unitId))
    for (const [toUrl, anchor, tag] of page.links) out.push({ fromUrl: page.fromUrl, toUrl, anchor, tag });
  return out;
}

/** A unit's stored links page by page, in write order, without building every record at once. */
export async function* eachPageLinks(
  db: Db,
  runId: number,
  unitId: string,
): AsyncGenerator<{ fromUrl: string; links: [toUrl: string, anchor: string, tag: string][] }> {
  let after = -Infinity;
  let afterUrl = '';
  for (;;) {
    const rows = await db
      .selectFrom('page_links')
      .select(['from_url as fromUrl', 'links', 'seq'])
      .where('run_id', '=', runId)
      .where('unit_id', '=', unitId)
      .$if(after > -Infinity, (q) =>
        q.where((eb) =>
          eb.or([
            eb('seq', '>', after),
            eb.and([eb('seq', '=', after), eb(byText(db, 'from_url'), '>', afterUrl)]),
          ]),
        ),
      )
      .orderBy('seq')
      .orderBy(byText(db, 'from_url'))
      .limit(PAGE_ROWS)
      .execute();
    for (const r of rows) yield { fromUrl: r.fromUrl, links: JSON.parse(r.links) as StoredLink[] };
    if (rows.length < PAGE_ROWS) return;
    after = rows[rows.length - 1]!.seq;
    afterUrl = rows[rows.length - 1]!.fromUrl;
  }
}

/**
 * Order by a text column byte-wise on both engines: PostgreSQL would otherwise sort by the
 * database's locale and give another order than SQLite.
 */
export function byText(db: Db, column: string) {
  return engineOf(db) === 'postgres' ? sql`${sql.ref(column)} collate "C"` : sql`${sql.ref(column)}`;
}

/** The newest earlier copy of a URL for this unit: validators for a conditional request. */
export interface PreviousCopy {
  etag?: string;
  lastModified?: string;
  contentHash: string;
  contentType: string | null;
}

export async function previousCopy(
  db: Db,
  runId: number,
  unitId: string,
  url: string,
): Promise<PreviousCopy | undefined> {
  const row = await db
    .selectFrom('resources')
    .select(['headers', 'content_hash as hash', 'content_type as type'])
    .where('unit_id', '=', unitId)
    .where('url', '=', url)
    .where('run_id', '<', runId)
    .where('content_hash', 'is not', null)
    .orderBy('run_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const headers = JSON.parse(row.headers) as Record<string, string>;
  if (!headers.etag && !headers['last-modified']) return undefined;
  return {
    etag: headers.etag,
    lastModified: headers['last-modified'],
    contentHash: row.hash!,
    contentType: row.type,
  };
}

export interface CrawlStats {
  pages: number;
  attachments: number;
  failures: number;
  /** Distinct link targets that were checked, and those that were dead (死链率 = deadLinks / links). */
  links: number;
  deadLinks: number;
}

/** Crawl statuses after which a unit's stored resources no longer change. */
const CRAWL_ENDED = new Set(['done', 'failed']);

/**
 * `notDead`: error kinds that are not broken links (the dead-links check decides which). Counted
 * once per ended unit crawl and kept (crawl_stats); a unit still crawling is counted afresh.
 */
export async function crawlStats(
  db: Db,
  runId: number,
  unitId: string,
  notDead: string[],
): Promise<CrawlStats> {
  const key = JSON.stringify([...notDead].sort());
  const kept = await db
    .selectFrom('crawl_stats')
    .selectAll()
    .where('run_id', '=', runId)
    .where('unit_id', '=', unitId)
    .where('not_dead', '=', key)
    .executeTakeFirst();
  if (kept)
    return {
      pages: kept.pages,
      attachments: kept.attachments,
      failures: kept.failures,
      links: kept.links,
      deadLinks: kept.dead_links,
    };
  const status = await db
    .selectFrom('units')
    .select('crawl_status')
    .where('run_id', '=', runId)
    .where('id', '=', unitId)
    .executeTakeFirst();
  const stats = await countCrawl(db, runId, unitId, notDead);
  if (status && CRAWL_ENDED.has(status.crawl_status)) {
    const row = {
      not_dead: key,
      pages: stats.pages,
      attachments: stats.attachments,
      failures: stats.failures,
      links: stats.links,
      dead_links: stats.deadLinks,
    };
    await db
      .insertInto('crawl_stats')
      .values({ run_id: runId, unit_id: unitId, ...row })
      .onConflict((oc) => oc.columns(['run_id', 'unit_id']).doUpdateSet(row))
      .execute();
  }
  return stats;
}

async function countCrawl(db: Db, runId: number, unitId: string, notDead: string[]): Promise<CrawlStats> {
  const r = await db
    .selectFrom('resources')
    .select([
      sql<number | null>`sum(case when kind = 'page' then 1 else 0 end)`.as('pages'),
      sql<number | null>`sum(case when kind = 'attachment' then 1 else 0 end)`.as('attachments'),
      sql<
        number | null
      >`sum(case when error_kind IS NOT NULL AND error_kind != 'robots' then 1 else 0 end)`.as('failures'),
    ])
    .where('run_id', '=', runId)
    .where('unit_id', '=', unitId)
    .executeTakeFirstOrThrow();
  // The targets of the unit's links, out of each page's JSON array: the one query whose JSON
  // functions differ between the engines.
  const targets =
    engineOf(db) === 'postgres'
      ? sql`SELECT l.value->>0 FROM page_links p, jsonb_array_elements(p.links::jsonb) l
            WHERE p.run_id = ${runId} AND p.unit_id = ${unitId}`
      : sql`SELECT json_extract(l.value, '$[0]') FROM page_links p, json_each(p.links) l
            WHERE p.run_id = ${runId} AND p.unit_id = ${unitId}`;
  const dead = notDead.length
    ? sql`r.error_kind IS NOT NULL AND r.error_kind NOT IN (${sql.join(notDead)})`
    : sql`r.error_kind IS NOT NULL`;
  const l = await sql<{ links: number; dead: number | null }>`
    SELECT count(*) AS links, sum(case when ${dead} then 1 else 0 end) AS dead
    FROM resources r WHERE r.run_id = ${runId} AND r.unit_id = ${unitId} AND r.url IN (${targets})`.execute(
    db,
  );
  return {
    pages: Number(r.pages ?? 0),
    attachments: Number(r.attachments ?? 0),
    failures: Number(r.failures ?? 0),
    links: Number(l.rows[0]?.links ?? 0),
    deadLinks: Number(l.rows[0]?.dead ?? 0),
  };
}

/** Resources of the run with these URLs, whichever unit stored them (first one per URL). */
export async function resourcesByUrl(
  db: Db,
  runId: number,
  urls: Iterable<string>,
): Promise<ResourceRecord[]> {
  const out: ResourceRecord[] = [];
  for (const url of urls) {
    const row = await db
      .selectFrom('resources')
      .selectAll()
      .where('run_id', '=', runId)
      .where('url', '=', url)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (row) out.push(resourceFromRow(row));
  }
  return out;
}

/**
 * For every URL of the run that failed (dead links and the like): the units whose pages link to
 * it. One pass over the stored links of the run, so the checks can tell a portal's header link
 * (linked from the portal's own pages too) from a column's own dead link.
 */
export async function failedLinkers(db: Db, runId: number): Promise<Map<string, Set<string>>> {
  const failed = new Set(
    (
      await db
        .selectFrom('resources')
        .select('url')
        .distinct()
        .where('run_id', '=', runId)
        .where('error_kind', 'is not', null)
        .execute()
    ).map((r) => r.url),
  );
  const linkers = new Map<string, Set<string>>();
  if (!failed.size) return linkers;
  const units = await db
    .selectFrom('page_links')
    .select('unit_id')
    .distinct()
    .where('run_id', '=', runId)
    .execute();
  for (const { unit_id: unitId } of units)
    for await (const page of eachPageLinks(db, runId, unitId))
      for (const [toUrl] of page.links)
        if (failed.has(toUrl)) {
          const set = linkers.get(toUrl) ?? new Set<string>();
          set.add(unitId);
          linkers.set(toUrl, set);
        }
  return linkers;
}
