import type { Db } from './db.js';

/** One availability probe of a unit's home page (the national 站点无法访问 indicator). */
export interface ProbeRecord {
  unitId: string;
  url: string;
  at: string;
  status: number;
  errorKind: string | null;
  durationMs: number;
}

export function saveProbe(db: Db, p: ProbeRecord): void {
  db.prepare(
    'INSERT INTO probes (unit_id, url, at, status, error_kind, duration_ms) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(p.unitId, p.url, p.at, p.status, p.errorKind, p.durationMs);
}

export function listProbes(db: Db, unitId: string, since: string): ProbeRecord[] {
  return db
    .prepare(
      `SELECT unit_id AS unitId, url, at, status, error_kind AS errorKind, duration_ms AS durationMs
       FROM probes WHERE unit_id = ? AND at >= ? ORDER BY at`,
    )
    .all(unitId, since) as ProbeRecord[];
}
