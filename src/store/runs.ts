import type { Db } from './db.js';
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

export function createRun(
  db: Db,
  r: { inspectionDate: string; seedsFile: string; settings: object },
): number {
  const info = db
    .prepare('INSERT INTO runs (created_at, inspection_date, seeds_file, settings) VALUES (?, ?, ?, ?)')
    .run(new Date().toISOString(), r.inspectionDate, r.seedsFile, JSON.stringify(r.settings));
  return Number(info.lastInsertRowid);
}

export function getRun(db: Db, id: number): RunRow | undefined {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Record<string, unknown> | undefined;
  if (!row) return undefined;
  return {
    id: row.id as number,
    createdAt: row.created_at as string,
    inspectionDate: row.inspection_date as string,
    seedsFile: row.seeds_file as string,
    settings: JSON.parse(row.settings as string) as Record<string, unknown>,
    status: row.status as string,
    finishedAt: (row.finished_at as string | null) ?? null,
  };
}

export function latestRunId(db: Db): number | undefined {
  const row = db.prepare('SELECT max(id) AS id FROM runs').get() as { id: number | null };
  return row.id ?? undefined;
}

export function setRunStatus(db: Db, id: number, status: string): void {
  const finished = status === 'reported' ? new Date().toISOString() : null;
  db.prepare('UPDATE runs SET status = ?, finished_at = coalesce(?, finished_at) WHERE id = ?').run(
    status,
    finished,
    id,
  );
}

export function saveUnits(db: Db, runId: number, units: Unit[]): void {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO units (run_id, id, name, level, parent, start_urls, catalogues, hosts, paths, disclosure, contact)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const u of units)
      insert.run(
        runId,
        u.id,
        u.name,
        u.level,
        u.parent ?? null,
        JSON.stringify(u.startUrls),
        JSON.stringify(u.catalogues),
        JSON.stringify(u.hosts),
        JSON.stringify(u.paths ?? []),
        u.disclosure ? JSON.stringify(u.disclosure) : null,
        u.contact ?? null,
      );
  })();
}

export interface UnitRow extends Unit {
  crawlStatus: string;
  crawlError: string | null;
}

export function loadUnits(db: Db, runId: number): UnitRow[] {
  const rows = db.prepare('SELECT * FROM units WHERE run_id = ? ORDER BY rowid').all(runId) as Record<
    string,
    unknown
  >[];
  return rows.map((r) => ({
    id: r.id as string,
    name: r.name as string,
    level: r.level as string,
    parent: (r.parent as string | null) ?? undefined,
    startUrls: JSON.parse(r.start_urls as string) as string[],
    catalogues: JSON.parse(r.catalogues as string) as Unit['catalogues'],
    hosts: JSON.parse(r.hosts as string) as string[],
    paths: JSON.parse((r.paths as string | null) ?? '[]') as string[],
    ...(r.disclosure ? { disclosure: JSON.parse(r.disclosure as string) as Unit['disclosure'] } : {}),
    contact: (r.contact as string | null) ?? undefined,
    crawlStatus: r.crawl_status as string,
    crawlError: (r.crawl_error as string | null) ?? null,
  }));
}

export function setCrawlStatus(db: Db, runId: number, unitId: string, status: string, error?: string): void {
  db.prepare('UPDATE units SET crawl_status = ?, crawl_error = ? WHERE run_id = ? AND id = ?').run(
    status,
    error ?? null,
    runId,
    unitId,
  );
}
