import { statement, type Db } from './db.js';

/** One evidence record: the screenshot of a page and the saved copy it was drawn from. */
export interface StoredScreenshot {
  unitId: string;
  pageUrl: string;
  /** sha256 of the JPEG (in bodies). */
  imageHash: string;
  /** sha256 of the saved copy with personal data masked (in bodies). */
  copyHash: string;
  /** sha256 of the page's bytes exactly as fetched (in bodies): what the copy was drawn from. */
  bodyHash: string;
  status: number;
  fetchedAt: string;
  /** Personal-data values masked in the image. */
  masked: number;
  /** Elements outlined. */
  outlined: number;
  /** Whether the finding's element was found on the page (else the top of the page is shown). */
  located: boolean;
  /** Elements the screenshot was to outline; 0 when the page as a whole is the evidence. */
  targets: number;
  findingIds: number[];
  takenAt: string;
}

export function replaceScreenshots(db: Db, runId: number, unitId: string, shots: StoredScreenshot[]): void {
  const insert = statement(
    db,
    `INSERT INTO screenshots (run_id, unit_id, page_url, image_hash, copy_hash, body_hash, status, fetched_at,
       masked, outlined, located, targets, finding_ids, taken_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    statement(db, 'DELETE FROM screenshots WHERE run_id = ? AND unit_id = ?').run(runId, unitId);
    for (const s of shots)
      insert.run(
        runId,
        unitId,
        s.pageUrl,
        s.imageHash,
        s.copyHash,
        s.bodyHash,
        s.status,
        s.fetchedAt,
        s.masked,
        s.outlined,
        s.located ? 1 : 0,
        s.targets,
        JSON.stringify(s.findingIds),
        s.takenAt,
      );
  })();
}

export function listScreenshots(db: Db, runId: number): StoredScreenshot[] {
  const rows = statement(db, 'SELECT * FROM screenshots WHERE run_id = ? ORDER BY unit_id, rowid').all(
    runId,
  ) as Record<string, unknown>[];
  return rows.map((r) => ({
    unitId: r.unit_id as string,
    pageUrl: r.page_url as string,
    imageHash: r.image_hash as string,
    copyHash: r.copy_hash as string,
    bodyHash: r.body_hash as string,
    status: r.status as number,
    fetchedAt: r.fetched_at as string,
    masked: r.masked as number,
    outlined: r.outlined as number,
    located: r.located === 1,
    targets: r.targets as number,
    findingIds: JSON.parse(r.finding_ids as string) as number[],
    takenAt: r.taken_at as string,
  }));
}

/** Stored pages of a unit that link to `url`, at most `limit` (a LIKE pre-filter, then exact). */
export function referrersOf(db: Db, runId: number, unitId: string, url: string, limit = 1): string[] {
  const rows = statement(
    db,
    `SELECT from_url AS fromUrl, links FROM page_links
     WHERE run_id = ? AND unit_id = ? AND instr(links, ?) > 0 ORDER BY rowid`,
  ).all(runId, unitId, JSON.stringify(url)) as { fromUrl: string; links: string }[];
  const out: string[] = [];
  for (const r of rows) {
    const links = JSON.parse(r.links) as [string, string, string][];
    if (links.some(([to]) => to === url)) out.push(r.fromUrl);
    if (out.length >= limit) break;
  }
  return out;
}
