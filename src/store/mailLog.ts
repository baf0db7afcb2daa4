import type { Db } from './db.js';

export type MailKind = 'summary' | 'notice' | 'reminder' | 'test';

/** One mail sent or attempted (a failure is kept with its reason, so the office can resend). */
export interface MailLogEntry {
  id: number;
  at: string;
  kind: MailKind;
  recipient: string;
  subject: string;
  runId: number | null;
  unitId: string | null;
  outcome: 'sent' | 'failed';
  error: string | null;
}

export async function recordMail(db: Db, e: Omit<MailLogEntry, 'id'>): Promise<void> {
  await db
    .insertInto('mail_log')
    .values({
      at: e.at,
      kind: e.kind,
      recipient: e.recipient,
      subject: e.subject,
      run_id: e.runId,
      unit_id: e.unitId,
      outcome: e.outcome,
      error: e.error,
    })
    .execute();
}

/** Newest first. */
export async function listMailLog(
  db: Db,
  filter: { runId?: number; limit?: number } = {},
): Promise<MailLogEntry[]> {
  const rows = await db
    .selectFrom('mail_log')
    .selectAll()
    .$if(filter.runId !== undefined, (q) => q.where('run_id', '=', filter.runId!))
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 200)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    kind: r.kind as MailKind,
    recipient: r.recipient,
    subject: r.subject,
    runId: r.run_id === null ? null : Number(r.run_id),
    unitId: r.unit_id,
    outcome: r.outcome as 'sent' | 'failed',
    error: r.error,
  }));
}
