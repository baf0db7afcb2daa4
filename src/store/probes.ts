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

export async function saveProbe(db: Db, p: ProbeRecord): Promise<void> {
  await db
    .insertInto('probes')
    .values({
      unit_id: p.unitId,
      url: p.url,
      at: p.at,
      status: p.status,
      error_kind: p.errorKind,
      duration_ms: p.durationMs,
    })
    .execute();
}

export async function listProbes(db: Db, unitId: string, since: string): Promise<ProbeRecord[]> {
  return db
    .selectFrom('probes')
    .select([
      'unit_id as unitId',
      'url',
      'at',
      'status',
      'error_kind as errorKind',
      'duration_ms as durationMs',
    ])
    .where('unit_id', '=', unitId)
    .where('at', '>=', since)
    .orderBy('at')
    .orderBy('id')
    .execute();
}
