import type { Db } from './db.js';
import type { Finding, StoredFinding } from '../checks/types.js';
import { maskText, maskUrl } from '../pii/mask.js';

export function replaceFindings(
  db: Db,
  runId: number,
  unitId: string,
  findings: Finding[],
  errors: { checkId: string; error: string }[],
): void {
  const insert = db.prepare(
    `INSERT INTO findings (run_id, unit_id, check_id, outcome, kind, message, url, location, evidence)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertError = db.prepare(
    'INSERT INTO check_errors (run_id, unit_id, check_id, error) VALUES (?, ?, ?, ?)',
  );
  db.transaction(() => {
    db.prepare('DELETE FROM findings WHERE run_id = ? AND unit_id = ?').run(runId, unitId);
    db.prepare('DELETE FROM check_errors WHERE run_id = ? AND unit_id = ?').run(runId, unitId);
    // Masked as they are written: page titles, link texts, attachment names and URLs carry personal
    // data as often as page bodies do, and the store is read by every later stage and by people.
    for (const f of findings)
      insert.run(
        runId,
        unitId,
        f.checkId,
        f.outcome,
        f.kind,
        maskText(f.message),
        maskUrl(f.url),
        maskText(f.location),
        maskText(f.evidence),
      );
    for (const e of errors) insertError.run(runId, unitId, e.checkId, maskText(e.error));
  })();
}

export function listFindings(db: Db, runId: number): StoredFinding[] {
  const rows = db.prepare('SELECT * FROM findings WHERE run_id = ? ORDER BY id').all(runId) as Record<
    string,
    unknown
  >[];
  return rows.map((r) => ({
    id: r.id as number,
    runId: r.run_id as number,
    unitId: r.unit_id as string,
    checkId: r.check_id as string,
    outcome: r.outcome as StoredFinding['outcome'],
    kind: r.kind as string,
    message: r.message as string,
    url: r.url as string,
    location: r.location as string,
    evidence: r.evidence as string,
  }));
}

export function listCheckErrors(db: Db, runId: number): { unitId: string; checkId: string; error: string }[] {
  return db
    .prepare('SELECT unit_id AS unitId, check_id AS checkId, error FROM check_errors WHERE run_id = ?')
    .all(runId) as {
    unitId: string;
    checkId: string;
    error: string;
  }[];
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

export function replaceScores(db: Db, runId: number, scores: ScoreRow[]): void {
  const insert = db.prepare(
    `INSERT INTO scores (run_id, unit_id, score, grade, rank, vetoed, veto_reason, reasons, unscored)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    db.prepare('DELETE FROM scores WHERE run_id = ?').run(runId);
    for (const s of scores)
      insert.run(
        runId,
        s.unitId,
        s.score,
        s.grade,
        s.rank,
        s.vetoed ? 1 : 0,
        s.vetoReason,
        JSON.stringify(s.reasons),
        s.unscored ?? null,
      );
  })();
}

export function listScores(db: Db, runId: number): ScoreRow[] {
  const rows = db.prepare('SELECT * FROM scores WHERE run_id = ? ORDER BY rank').all(runId) as Record<
    string,
    unknown
  >[];
  return rows.map((r) => ({
    unitId: r.unit_id as string,
    score: r.score as number,
    grade: r.grade as string,
    rank: r.rank as number,
    vetoed: r.vetoed === 1,
    vetoReason: r.veto_reason as string,
    reasons: JSON.parse(r.reasons as string) as unknown[],
    ...(r.unscored != null ? { unscored: r.unscored as string } : {}),
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
export function replaceDisclosure(
  db: Db,
  runId: number,
  unitId: string,
  parts: StoredDisclosurePart[],
): void {
  const insert = db.prepare(
    'INSERT INTO disclosure_parts (run_id, unit_id, position, part, title, url, signal, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    db.prepare('DELETE FROM disclosure_parts WHERE run_id = ? AND unit_id = ?').run(runId, unitId);
    parts.forEach((p, i) =>
      insert.run(
        runId,
        unitId,
        i,
        p.part,
        p.title,
        p.url === undefined ? null : maskUrl(p.url),
        p.signal ?? null,
        p.text === undefined ? null : maskText(p.text),
      ),
    );
  })();
}

export function listDisclosure(db: Db, runId: number, unitId: string): StoredDisclosurePart[] {
  const rows = db
    .prepare('SELECT * FROM disclosure_parts WHERE run_id = ? AND unit_id = ? ORDER BY position')
    .all(runId, unitId) as Record<string, string | null>[];
  return rows.map((r) => ({
    part: r.part!,
    title: r.title!,
    ...(r.url !== null ? { url: r.url } : {}),
    ...(r.signal !== null ? { signal: r.signal } : {}),
    ...(r.text !== null ? { text: r.text } : {}),
  }));
}
