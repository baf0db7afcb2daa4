import { createHash } from 'node:crypto';
import { statement, type Db } from './db.js';

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

let seq = 0;

/**
 * Adds entries not yet in the unit's frontier; returns how many were new. At most `limit` are
 * added: a page cap counted here holds exactly, whatever links are already queued twice.
 */
export function enqueue(
  db: Db,
  runId: number,
  unitId: string,
  entries: FrontierEntry[],
  limit = Infinity,
): number {
  const insert = statement(
    db,
    'INSERT OR IGNORE INTO frontier (run_id, unit_id, url, depth, kind, seq) VALUES (?, ?, ?, ?, ?, ?)',
  );
  let added = 0;
  const insertAll = () => {
    for (const e of entries) {
      if (added >= limit) break;
      added += insert.run(runId, unitId, e.url, e.depth, e.kind, Date.now() * 1000 + (seq++ % 1000)).changes;
    }
  };
  // Inside the crawler's batch transaction a nested one would only add a savepoint per page.
  if (db.inTransaction) insertAll();
  else db.transaction(insertAll)();
  return added;
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
export function nextQueued(
  db: Db,
  runId: number,
  unitIds: string[],
  limit: number,
  exclude: Set<string>,
): QueuedEntry[] {
  const select = statement(
    db,
    `SELECT url, depth, kind, seq FROM frontier WHERE run_id = ? AND unit_id = ? AND state = 'queued'
       ORDER BY depth, seq LIMIT ?`,
  );
  const rows: (QueuedEntry & { seq: number })[] = [];
  for (const unitId of unitIds)
    for (const r of select.all(runId, unitId, limit + exclude.size) as (FrontierEntry & { seq: number })[])
      if (!exclude.has(queuedKey(unitId, r.url))) rows.push({ ...r, unitId });
  rows.sort((a, b) => a.depth - b.depth || a.seq - b.seq);
  return rows.slice(0, limit).map(({ seq: _seq, ...entry }) => entry);
}

export function markDone(db: Db, runId: number, unitId: string, url: string, state = 'done'): void {
  statement(db, 'UPDATE frontier SET state = ? WHERE run_id = ? AND unit_id = ? AND url = ?').run(
    state,
    runId,
    unitId,
    url,
  );
}

/** The unit's start pages (depth 0) that did not answer 2xx/304: the evidence of an unreachable unit. */
export function startPageFailures(
  db: Db,
  runId: number,
  unitId: string,
): { url: string; status: number; errorKind: string | null; error: string | null }[] {
  return statement(
    db,
    `SELECT url, status, error_kind AS errorKind, error FROM resources
     WHERE run_id = ? AND unit_id = ? AND depth = 0 AND NOT (status BETWEEN 200 AND 299 OR status = 304)
     ORDER BY id`,
  ).all(runId, unitId) as { url: string; status: number; errorKind: string | null; error: string | null }[];
}

/** Pages (not attachments or external links) ever queued for a unit in a run: what --max-pages counts. */
export function frontierPages(db: Db, runId: number, unitId: string): number {
  return (
    statement(
      db,
      "SELECT count(*) AS n FROM frontier WHERE run_id = ? AND unit_id = ? AND kind = 'page'",
    ).get(runId, unitId) as { n: number }
  ).n;
}

export function frontierCounts(db: Db, runId: number, unitIds: string[]): { queued: number; done: number } {
  const count = statement(
    db,
    'SELECT state, count(*) AS n FROM frontier WHERE run_id = ? AND unit_id = ? GROUP BY state',
  );
  let queued = 0;
  let all = 0;
  for (const unitId of unitIds)
    for (const r of count.all(runId, unitId) as { state: string; n: number }[]) {
      all += r.n;
      if (r.state === 'queued') queued += r.n;
    }
  return { queued, done: all - queued };
}

/** Attachments and external links already queued for some unit of the group (each is fetched once). */
export function claimedUrls(db: Db, runId: number, unitIds: string[]): Map<string, string> {
  const select = statement(
    db,
    "SELECT url FROM frontier WHERE run_id = ? AND unit_id = ? AND kind != 'page'",
  );
  const claimed = new Map<string, string>();
  for (const unitId of unitIds)
    for (const r of select.all(runId, unitId) as { url: string }[])
      if (!claimed.has(r.url)) claimed.set(r.url, unitId);
  return claimed;
}

export function saveBody(db: Db, data: Buffer): string {
  const hash = createHash('sha256').update(data).digest('hex');
  statement(db, 'INSERT OR IGNORE INTO bodies (hash, size, data) VALUES (?, ?, ?)').run(
    hash,
    data.length,
    data,
  );
  return hash;
}

export function loadBody(db: Db, hash: string): Buffer | undefined {
  const row = statement(db, 'SELECT data FROM bodies WHERE hash = ?').get(hash) as
    { data: Buffer } | undefined;
  return row?.data;
}

export function saveResource(db: Db, runId: number, unitId: string, r: ResourceRecord): void {
  statement(
    db,
    `INSERT OR REPLACE INTO resources (run_id, unit_id, url, final_url, kind, depth, status, error_kind, error,
       content_type, charset, headers, fetched_at, duration_ms, size, content_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    runId,
    unitId,
    r.url,
    r.finalUrl,
    r.kind,
    r.depth,
    r.status,
    r.errorKind,
    r.error,
    r.contentType,
    r.charset,
    JSON.stringify(r.headers),
    r.fetchedAt,
    r.durationMs,
    r.size,
    r.contentHash,
  );
}

export function listResources(db: Db, runId: number, unitId: string): ResourceRecord[] {
  const rows = statement(db, 'SELECT * FROM resources WHERE run_id = ? AND unit_id = ? ORDER BY id').all(
    runId,
    unitId,
  ) as Record<string, unknown>[];
  return rows.map(resourceFromRow);
}

/**
 * A unit's resources one row at a time, in the order listResources gives them: the check stage
 * keeps a compact copy of each instead of every row's full record at once.
 */
export function* eachResource(db: Db, runId: number, unitId: string): Generator<ResourceRecord> {
  const rows = statement(db, 'SELECT * FROM resources WHERE run_id = ? AND unit_id = ? ORDER BY id').iterate(
    runId,
    unitId,
  ) as Iterable<Record<string, unknown>>;
  for (const r of rows) yield resourceFromRow(r);
}

function resourceFromRow(r: Record<string, unknown>): ResourceRecord {
  return {
    url: r.url as string,
    finalUrl: r.final_url as string,
    kind: r.kind as ResourceKind,
    depth: r.depth as number,
    status: r.status as number,
    errorKind: (r.error_kind as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    contentType: (r.content_type as string | null) ?? null,
    charset: (r.charset as string | null) ?? null,
    headers: JSON.parse(r.headers as string) as Record<string, string>,
    fetchedAt: r.fetched_at as string,
    durationMs: r.duration_ms as number,
    size: r.size as number,
    contentHash: (r.content_hash as string | null) ?? null,
  };
}

/** A page's links as stored: [to_url, anchor, tag] triples. */
type StoredLink = [string, string, string];

/** Store one page's links, replacing what a resumed crawl may have stored for it before. */
export function saveLinks(
  db: Db,
  runId: number,
  unitId: string,
  fromUrl: string,
  links: Omit<LinkRecord, 'fromUrl'>[],
): void {
  const triples: StoredLink[] = links.map((l) => [l.toUrl, l.anchor, l.tag]);
  statement(
    db,
    'INSERT OR REPLACE INTO page_links (run_id, unit_id, from_url, links) VALUES (?, ?, ?, ?)',
  ).run(runId, unitId, fromUrl, JSON.stringify(triples));
}

export function listLinks(db: Db, runId: number, unitId: string): LinkRecord[] {
  const rows = statement(
    db,
    'SELECT from_url AS fromUrl, links FROM page_links WHERE run_id = ? AND unit_id = ?',
  ).all(runId, unitId) as { fromUrl: string; links: string }[];
  return rows.flatMap((r) =>
    (JSON.parse(r.links) as StoredLink[]).map(([toUrl, anchor, tag]) => ({
      fromUrl: r.fromUrl,
      toUrl,
      anchor,
      tag,
    })),
  );
}

/** A unit's stored links page by page, in listLinks order, without building every record at once. */
export function* eachPageLinks(
  db: Db,
  runId: number,
  unitId: string,
): Generator<{ fromUrl: string; links: [toUrl: string, anchor: string, tag: string][] }> {
  const rows = statement(
    db,
    'SELECT from_url AS fromUrl, links FROM page_links WHERE run_id = ? AND unit_id = ?',
  ).iterate(runId, unitId) as Iterable<{ fromUrl: string; links: string }>;
  for (const r of rows) yield { fromUrl: r.fromUrl, links: JSON.parse(r.links) as StoredLink[] };
}

/** The newest earlier copy of a URL for this unit: validators for a conditional request. */
export interface PreviousCopy {
  etag?: string;
  lastModified?: string;
  contentHash: string;
  contentType: string | null;
}

export function previousCopy(db: Db, runId: number, unitId: string, url: string): PreviousCopy | undefined {
  const row = statement(
    db,
    `SELECT headers, content_hash AS hash, content_type AS type FROM resources
       WHERE unit_id = ? AND url = ? AND run_id < ? AND content_hash IS NOT NULL ORDER BY run_id DESC LIMIT 1`,
  ).get(unitId, url, runId) as { headers: string; hash: string; type: string | null } | undefined;
  if (!row) return undefined;
  const headers = JSON.parse(row.headers) as Record<string, string>;
  if (!headers.etag && !headers['last-modified']) return undefined;
  return {
    etag: headers.etag,
    lastModified: headers['last-modified'],
    contentHash: row.hash,
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

/** `notDead`: error kinds that are not broken links (the dead-links check decides which). */
export function crawlStats(db: Db, runId: number, unitId: string, notDead: string[]): CrawlStats {
  const r = statement(
    db,
    `SELECT sum(kind = 'page') AS pages, sum(kind = 'attachment') AS attachments,
              sum(error_kind IS NOT NULL AND error_kind != 'robots') AS failures
       FROM resources WHERE run_id = ? AND unit_id = ?`,
  ).get(runId, unitId) as { pages: number | null; attachments: number | null; failures: number | null };
  const l = statement(
    db,
    `SELECT count(*) AS links, sum(r.error_kind IS NOT NULL AND r.error_kind NOT IN (SELECT value FROM json_each(?))) AS dead
       FROM resources r WHERE r.run_id = ? AND r.unit_id = ?
         AND r.url IN (SELECT json_extract(l.value, '$[0]') FROM page_links p, json_each(p.links) l
                       WHERE p.run_id = ? AND p.unit_id = ?)`,
  ).get(JSON.stringify(notDead), runId, unitId, runId, unitId) as { links: number; dead: number | null };
  return {
    pages: r.pages ?? 0,
    attachments: r.attachments ?? 0,
    failures: r.failures ?? 0,
    links: l.links,
    deadLinks: l.dead ?? 0,
  };
}

/** Resources of the run with these URLs, whichever unit stored them (first one per URL). */
export function resourcesByUrl(db: Db, runId: number, urls: Iterable<string>): ResourceRecord[] {
  const select = statement(db, 'SELECT * FROM resources WHERE run_id = ? AND url = ? ORDER BY id LIMIT 1');
  const out: ResourceRecord[] = [];
  for (const url of urls) {
    const row = select.get(runId, url) as Record<string, unknown> | undefined;
    if (row) out.push(resourceFromRow(row));
  }
  return out;
}

/**
 * For every URL of the run that failed (dead links and the like): the units whose pages link to
 * it. One pass over the stored links of the run, so the checks can tell a portal's header link
 * (linked from the portal's own pages too) from a column's own dead link.
 */
export function failedLinkers(db: Db, runId: number): Map<string, Set<string>> {
  const failed = new Set(
    (
      statement(db, 'SELECT DISTINCT url FROM resources WHERE run_id = ? AND error_kind IS NOT NULL').all(
        runId,
      ) as { url: string }[]
    ).map((r) => r.url),
  );
  const linkers = new Map<string, Set<string>>();
  if (!failed.size) return linkers;
  const rows = statement(db, 'SELECT unit_id AS unitId, links FROM page_links WHERE run_id = ?').iterate(
    runId,
  ) as Iterable<{
    unitId: string;
    links: string;
  }>;
  for (const row of rows)
    for (const [toUrl] of JSON.parse(row.links) as StoredLink[])
      if (failed.has(toUrl)) {
        const set = linkers.get(toUrl) ?? new Set<string>();
        set.add(row.unitId);
        linkers.set(toUrl, set);
      }
  return linkers;
}
