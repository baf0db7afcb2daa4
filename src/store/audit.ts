import type { Db } from './db.js';
import type { Account } from '../console/types.js';
import { maskText } from '../pii/mask.js';

/** One line of the audit log (全过程留痕): who did what to what, when and from where. */
export interface AuditRecord {
  id: number;
  at: string;
  accountId: number | null;
  username: string;
  action: string;
  target: string;
  detail: unknown;
  address: string | null;
}

export interface AuditEntry {
  /** Who acted; null for the scheduler or a failed login. */
  account: Account | null;
  /** The name to record when there is no account (a failed login's username, 'scheduler'). */
  username?: string;
  /** e.g. 'login', 'review', 'feedback.submit', 'feedback.decide', 'batch.start', 'settings.units'. */
  action: string;
  /** What it concerns: 'finding:12', 'feedback:3', 'account:alice' … */
  target: string;
  detail?: unknown;
  address?: string;
}

/**
 * Record one action. The time is the store's clock of record (now), not the caller's; details are
 * masked like every other output since reasons and notes are free text.
 */
export async function recordAudit(db: Db, entry: AuditEntry, now: Date = new Date()): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: now.toISOString(),
      account_id: entry.account?.id ?? null,
      username: entry.account?.username ?? entry.username ?? '',
      action: entry.action,
      target: maskText(entry.target),
      detail: maskText(JSON.stringify(entry.detail ?? null)),
      address: entry.address ?? null,
    })
    .execute();
}

export interface AuditFilter {
  action?: string;
  accountId?: number;
  /** Newest first; `limit` rows after skipping `offset`. */
  limit?: number;
  offset?: number;
}

export async function listAudit(db: Db, filter: AuditFilter = {}): Promise<AuditRecord[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .$if(filter.action !== undefined, (q) => q.where('action', '=', filter.action!))
    .$if(filter.accountId !== undefined, (q) => q.where('account_id', '=', filter.accountId!))
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    accountId: r.account_id === null ? null : Number(r.account_id),
    username: r.username,
    action: r.action,
    target: r.target,
    detail: parseDetail(r.detail),
    address: r.address,
  }));
}

export async function countAudit(
  db: Db,
  filter: Pick<AuditFilter, 'action' | 'accountId'> = {},
): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .$if(filter.action !== undefined, (q) => q.where('action', '=', filter.action!))
    .$if(filter.accountId !== undefined, (q) => q.where('account_id', '=', filter.accountId!))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

function parseDetail(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
