import { engineOf, inTransaction, type Db } from './db.js';
import { sql } from 'kysely';

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

export async function replaceScreenshots(
  db: Db,
  runId: number,
  unitId: string,
  shots: StoredScreenshot[],
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('screenshots').where('run_id', '=', runId).where('unit_id', '=', unitId).execute();
    if (!shots.length) return;
    await trx
      .insertInto('screenshots')
      .values(
        shots.map((s, i) => ({
          run_id: runId,
          unit_id: unitId,
          page_url: s.pageUrl,
          image_hash: s.imageHash,
          copy_hash: s.copyHash,
          body_hash: s.bodyHash,
          status: s.status,
          fetched_at: s.fetchedAt,
          masked: s.masked,
          outlined: s.outlined,
          located: s.located ? 1 : 0,
          targets: s.targets,
          finding_ids: JSON.stringify(s.findingIds),
          taken_at: s.takenAt,
          position: i,
        })),
      )
      .execute();
  });
}

export async function listScreenshots(db: Db, runId: number): Promise<StoredScreenshot[]> {
  const rows = await db
    .selectFrom('screenshots')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy(byUnit(db))
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    unitId: r.unit_id,
    pageUrl: r.page_url,
    imageHash: r.image_hash,
    copyHash: r.copy_hash,
    bodyHash: r.body_hash,
    status: r.status,
    fetchedAt: r.fetched_at,
    masked: r.masked,
    outlined: r.outlined,
    located: r.located === 1,
    targets: r.targets,
    findingIds: JSON.parse(r.finding_ids) as number[],
    takenAt: r.taken_at,
  }));
}

const byUnit = (db: Db) => (engineOf(db) === 'postgres' ? sql`unit_id collate "C"` : sql`unit_id`);

/** Stored pages of a unit that link to `url`, at most `limit` (a substring pre-filter, then exact). */
export async function referrersOf(
  db: Db,
  runId: number,
  unitId: string,
  url: string,
  limit = 1,
): Promise<string[]> {
  const needle = JSON.stringify(url);
  const contains =
    engineOf(db) === 'postgres'
      ? sql<boolean>`strpos(links, ${needle}) > 0`
      : sql<boolean>`instr(links, ${needle}) > 0`;
  const rows = await db
    .selectFrom('page_links')
    .select(['from_url as fromUrl', 'links'])
    .where('run_id', '=', runId)
    .where('unit_id', '=', unitId)
    .where(contains)
    .orderBy('seq')
    .execute();
  const out: string[] = [];
  for (const r of rows) {
    const links = JSON.parse(r.links) as [string, string, string][];
    if (links.some(([to]) => to === url)) out.push(r.fromUrl);
    if (out.length >= limit) break;
  }
  return out;
}
