import { inTransaction, insertInChunks, type Db } from './db.js';
import type { Unit } from '../seeds/unit.js';

export interface RunRow {
  id: number;
  createdAt: string;
  inspectionDate: string;
  seedsFile: string;
  settings: Record<string, unknown>;
  status: string;
  finishedAt: string | null;
}

export async function createRun(
  db: Db,
  r: { inspectionDate: string; seedsFile: string; settings: object },
): Promise<number> {
  const row = await db
    .insertInto('runs')
    .values({
      created_at: new Date().toISOString(),
      inspection_date: r.inspectionDate,
      seeds_file: r.seedsFile,
      settings: JSON.stringify(r.settings),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function getRun(db: Db, id: number): Promise<RunRow | undefined> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    createdAt: row.created_at,
    inspectionDate: row.inspection_date,
    seedsFile: row.seeds_file,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    status: row.status,
    finishedAt: row.finished_at ?? null,
  };
}

/** The newest batch, or the newest before `before`. */
export async function latestRunId(db: Db, before?: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('runs')
    .select((eb) => eb.fn.max('id').as('id'))
    .$if(before !== undefined, (q) => q.where('id', '<', before!))
    .executeTakeFirst();
  return row?.id == null ? undefined : Number(row.id);
}

export async function setRunStatus(db: Db, id: number, status: string): Promise<void> {
  const finished = status === 'reported' ? new Date().toISOString() : null;
  await db
    .updateTable('runs')
    .set((eb) => ({ status, finished_at: eb.fn.coalesce(eb.val(finished), 'finished_at') }))
    .where('id', '=', id)
    .execute();
}

export async function saveUnits(db: Db, runId: number, units: Unit[]): Promise<void> {
  if (!units.length) return;
  await inTransaction(db, async (trx) => {
    await insertInChunks(units, async (chunk, offset) => {
      await trx
        .insertInto('units')
        .values(
          chunk.map((u, j) => ({
            run_id: runId,
            id: u.id,
            name: u.name,
            level: u.level,
            parent: u.parent ?? null,
            start_urls: JSON.stringify(u.startUrls),
            catalogues: JSON.stringify(u.catalogues),
            hosts: JSON.stringify(u.hosts),
            paths: JSON.stringify(u.paths ?? []),
            disclosure: u.disclosure ? JSON.stringify(u.disclosure) : null,
            contact: u.contact ?? null,
            position: offset + j,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    });
  });
}

export interface UnitRow extends Unit {
  crawlStatus: string;
  crawlError: string | null;
}

export async function loadUnits(db: Db, runId: number): Promise<UnitRow[]> {
  const rows = await db
    .selectFrom('units')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    level: r.level,
    parent: r.parent ?? undefined,
    startUrls: JSON.parse(r.start_urls) as string[],
    catalogues: JSON.parse(r.catalogues) as Unit['catalogues'],
    hosts: JSON.parse(r.hosts) as string[],
    paths: JSON.parse(r.paths ?? '[]') as string[],
    ...(r.disclosure ? { disclosure: JSON.parse(r.disclosure) as Unit['disclosure'] } : {}),
    contact: r.contact ?? undefined,
    crawlStatus: r.crawl_status,
    crawlError: r.crawl_error ?? null,
  }));
}

export async function setCrawlStatus(
  db: Db,
  runId: number,
  unitId: string,
  status: string,
  error?: string,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('units')
      .set({ crawl_status: status, crawl_error: error ?? null })
      .where('run_id', '=', runId)
      .where('id', '=', unitId)
      .execute();
    // Figures counted for the crawl as it was no longer hold (a resumed or re-run crawl).
    await trx.deleteFrom('crawl_stats').where('run_id', '=', runId).where('unit_id', '=', unitId).execute();
  });
}
