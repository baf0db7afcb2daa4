import type { Selectable } from 'kysely';
import type { Schema } from './schema.js';
import type { Db } from './db.js';
import type { StoredFinding } from '../checks/types.js';
import { maskText } from '../pii/mask.js';
import { loadBody, saveBody } from './crawlData.js';

export type FeedbackState = 'submitted' | 'accepted' | 'rejected';

export const FEEDBACK_STATE_LABELS: Record<FeedbackState, string> = {
  submitted: '待审核',
  accepted: '已认可',
  rejected: '已退回',
};

/** A unit's 整改反馈 on one finding, as pages list it (the file itself is loaded on download). */
export interface FeedbackRecord {
  id: number;
  runId: number;
  unitId: string;
  findingId: number;
  /** findingKey() of the finding, so the next 复查 finds it in a later batch. */
  findingKey: string;
  note: string;
  fileName: string | null;
  fileType: string | null;
  hasFile: boolean;
  submittedBy: string;
  submittedAt: string;
  state: FeedbackState;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

/** A feedback row as the store schema describes it. */
type Row = Selectable<Schema['feedback']>;

function toRecord(r: Row): FeedbackRecord {
  return {
    id: Number(r.id),
    runId: Number(r.run_id),
    unitId: r.unit_id,
    findingId: Number(r.finding_id),
    findingKey: r.finding_key,
    note: r.note,
    fileName: r.file_name,
    fileType: r.file_type,
    hasFile: r.file_hash !== null,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at,
    state: r.state as FeedbackState,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    decisionNote: r.decision_note,
  };
}

export interface NewFeedback {
  finding: StoredFinding;
  findingKey: string;
  note: string;
  file?: { name: string; type: string; data: Buffer };
  submittedBy: string;
  submittedAt: string;
}

/**
 * Store a submission. The note is masked like everything people read back; the file is kept as
 * it was sent (it is the unit's evidence of the fix) in the content-addressed bodies table.
 */
export async function submitFeedback(db: Db, f: NewFeedback): Promise<number> {
  const fileHash = f.file ? await saveBody(db, f.file.data) : null;
  const row = await db
    .insertInto('feedback')
    .values({
      run_id: f.finding.runId,
      unit_id: f.finding.unitId,
      finding_id: f.finding.id,
      finding_key: f.findingKey,
      note: maskText(f.note),
      file_hash: fileHash,
      file_name: f.file ? f.file.name : null,
      file_type: f.file ? f.file.type : null,
      submitted_by: f.submittedBy,
      submitted_at: f.submittedAt,
      state: 'submitted',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function getFeedback(db: Db, id: number): Promise<FeedbackRecord | undefined> {
  const row = await db.selectFrom('feedback').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function listFeedback(
  db: Db,
  filter: { runId?: number; unitId?: string; state?: FeedbackState; findingId?: number },
): Promise<FeedbackRecord[]> {
  const rows = await db
    .selectFrom('feedback')
    .selectAll()
    .$if(filter.runId !== undefined, (q) => q.where('run_id', '=', filter.runId!))
    .$if(filter.unitId !== undefined, (q) => q.where('unit_id', '=', filter.unitId!))
    .$if(filter.state !== undefined, (q) => q.where('state', '=', filter.state!))
    .$if(filter.findingId !== undefined, (q) => q.where('finding_id', '=', filter.findingId!))
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toRecord);
}

/** Accept or reject a submission still waiting; false when it was already decided. */
export async function decideFeedback(
  db: Db,
  id: number,
  d: { state: 'accepted' | 'rejected'; decidedBy: string; decidedAt: string; note: string },
): Promise<boolean> {
  const result = await db
    .updateTable('feedback')
    .set({
      state: d.state,
      decided_by: d.decidedBy,
      decided_at: d.decidedAt,
      decision_note: maskText(d.note),
    })
    .where('id', '=', id)
    .where('state', '=', 'submitted')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The uploaded file of a submission, or undefined when it has none. */
export async function feedbackFile(
  db: Db,
  id: number,
): Promise<{ name: string; type: string; data: Buffer } | undefined> {
  const row = await db
    .selectFrom('feedback')
    .select(['file_hash', 'file_name', 'file_type'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row?.file_hash) return undefined;
  const data = await loadBody(db, row.file_hash);
  if (!data) return undefined;
  return { name: row.file_name ?? '附件', type: row.file_type ?? 'application/octet-stream', data };
}

/** One finding by its id (the console's URLs name findings by id), whatever its batch. */
export async function loadFinding(db: Db, id: number): Promise<StoredFinding | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const r = await db.selectFrom('findings').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  return {
    id: Number(r.id),
    runId: Number(r.run_id),
    unitId: r.unit_id,
    checkId: r.check_id,
    outcome: r.outcome as StoredFinding['outcome'],
    kind: r.kind,
    message: r.message,
    url: r.url,
    location: r.location,
    evidence: r.evidence,
  };
}
