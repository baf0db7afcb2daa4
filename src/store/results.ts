import { inTransaction, insertInChunks, type Db } from './db.js';
import type { Finding, StoredFinding } from '../checks/types.js';
import { maskText, maskUrl } from '../pii/mask.js';

export async function replaceFindings(
  db: Db,
  runId: number,
  unitId: string,
  findings: Finding[],
  errors: { checkId: string; error: string }[],
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('findings').where('run_id', '=', runId).where('unit_id', '=', unitId).execute();
    await trx.deleteFrom('check_errors').where('run_id', '=', runId).where('unit_id', '=', unitId).execute();
    // Masked as they are written: page titles, link texts, attachment names and URLs carry personal
    // data as often as page bodies do, and the store is read by every later stage and by people.
    await insertInChunks(findings, (chunk) =>
      trx
        .insertInto('findings')
        .values(
          chunk.map((f) => ({
            run_id: runId,
            unit_id: unitId,
            check_id: f.checkId,
            outcome: f.outcome,
            kind: f.kind,
            message: maskText(f.message),
            url: maskUrl(f.url),
            location: maskText(f.location),
            evidence: maskText(f.evidence),
          })),
        )
        .execute(),
    );
    await insertInChunks(errors, (chunk) =>
      trx
        .insertInto('check_errors')
        .values(
          chunk.map((e) => ({
            run_id: runId,
            unit_id: unitId,
            check_id: e.checkId,
            error: maskText(e.error),
          })),
        )
        .execute(),
    );
  });
}

export async function listFindings(db: Db, runId: number): Promise<StoredFinding[]> {
  const rows = await db
    .selectFrom('findings')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    runId: r.run_id,
    unitId: r.unit_id,
    checkId: r.check_id,
    outcome: r.outcome as StoredFinding['outcome'],
    kind: r.kind,
    message: r.message,
    url: r.url,
    location: r.location,
    evidence: r.evidence,
  }));
}

export async function listCheckErrors(
  db: Db,
  runId: number,
): Promise<{ unitId: string; checkId: string; error: string }[]> {
  return db
    .selectFrom('check_errors')
    .select(['unit_id as unitId', 'check_id as checkId', 'error'])
    .where('run_id', '=', runId)
    .execute();
}

export interface ScoreRow {
  unitId: string;
  score: number;
  grade: string;
  rank: number;
  vetoed: boolean;
  vetoReason: string;
  reasons: unknown[];
  /** The evidence why the unit was not scored (home page unreachable); absent for scored units. */
  unscored?: string;
}

export async function replaceScores(db: Db, runId: number, scores: ScoreRow[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('scores').where('run_id', '=', runId).execute();
    await insertInChunks(scores, (chunk) =>
      trx
        .insertInto('scores')
        .values(
          chunk.map((s) => ({
            run_id: runId,
            unit_id: s.unitId,
            score: s.score,
            grade: s.grade,
            rank: s.rank,
            vetoed: s.vetoed ? 1 : 0,
            veto_reason: s.vetoReason,
            reasons: JSON.stringify(s.reasons),
            unscored: s.unscored ?? null,
          })),
        )
        .execute(),
    );
  });
}

export async function listScores(db: Db, runId: number): Promise<ScoreRow[]> {
  const rows = await db
    .selectFrom('scores')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('rank')
    .orderBy('unit_id')
    .execute();
  return rows.map((r) => ({
    unitId: r.unit_id,
    score: r.score,
    grade: r.grade,
    rank: r.rank,
    vetoed: r.vetoed === 1,
    vetoReason: r.veto_reason,
    reasons: JSON.parse(r.reasons) as unknown[],
    ...(r.unscored != null ? { unscored: r.unscored } : {}),
  }));
}

/** One part of a unit's 政府信息公开专栏 as found: its best address, or none. */
export interface StoredDisclosurePart {
  part: string;
  title: string;
  url?: string;
  signal?: string;
  text?: string;
}

/** Replace a unit's found 专栏 parts; addresses and matched texts are masked as they are written. */
export async function replaceDisclosure(
  db: Db,
  runId: number,
  unitId: string,
  parts: StoredDisclosurePart[],
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .deleteFrom('disclosure_parts')
      .where('run_id', '=', runId)
      .where('unit_id', '=', unitId)
      .execute();
    if (!parts.length) return;
    await trx
      .insertInto('disclosure_parts')
      .values(
        parts.map((p, i) => ({
          run_id: runId,
          unit_id: unitId,
          position: i,
          part: p.part,
          title: p.title,
          url: p.url === undefined ? null : maskUrl(p.url),
          signal: p.signal ?? null,
          text: p.text === undefined ? null : maskText(p.text),
        })),
      )
      .execute();
  });
}

export async function listDisclosure(db: Db, runId: number, unitId: string): Promise<StoredDisclosurePart[]> {
  const rows = await db
    .selectFrom('disclosure_parts')
    .selectAll()
    .where('run_id', '=', runId)
    .where('unit_id', '=', unitId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    part: r.part,
    title: r.title,
    ...(r.url !== null ? { url: r.url } : {}),
    ...(r.signal !== null ? { signal: r.signal } : {}),
    ...(r.text !== null ? { text: r.text } : {}),
  }));
}
