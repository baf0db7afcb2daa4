import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { Account } from '../types.js';
import { getAccount, publicAccount } from '../../store/accounts.js';
import {
  createSession,
  deleteExpiredSessions,
  deleteSession,
  findSession,
  touchSession,
} from '../../store/sessions.js';
import { newToken } from './csrf.js';

export const SESSION_COOKIE = 'xuncha_session';
/** An office PC left unlocked over lunch should not stay logged in: 2 h idle, 12 h at most. */
export const IDLE_MS = 2 * 60 * 60 * 1000;
export const ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most once a minute, not on every request. */
const TOUCH_MS = 60 * 1000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new session: 32 random bytes in the cookie, only their sha256 in the store. */
export async function startSession(
  db: Db,
  accountId: number,
  now: Date,
): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = newToken();
  const at = now.toISOString();
  await createSession(db, {
    tokenHash: hashToken(token),
    accountId,
    csrfToken,
    createdAt: at,
    expiresAt: new Date(now.getTime() + ABSOLUTE_MS).toISOString(),
    lastSeenAt: at,
  });
  // Housekeeping on login rather than a timer: the table stays small without another moving part.
  await deleteExpiredSessions(db, at, new Date(now.getTime() - IDLE_MS).toISOString());
  return { token, csrfToken };
}

export interface ActiveSession {
  account: Account;
  csrfToken: string;
  tokenHash: string;
}

/** The session a cookie names, if it is live and its account is enabled. */
export async function resolveSession(
  db: Db,
  token: string | undefined,
  now: Date,
): Promise<ActiveSession | undefined> {
  if (!token || token.length > 100) return undefined;
  const tokenHash = hashToken(token);
  const s = await findSession(db, tokenHash);
  if (!s) return undefined;
  const t = now.getTime();
  if (Date.parse(s.expiresAt) <= t || Date.parse(s.lastSeenAt) + IDLE_MS <= t) {
    await deleteSession(db, tokenHash);
    return undefined;
  }
  const account = await getAccount(db, s.accountId);
  if (!account || account.disabled) {
    await deleteSession(db, tokenHash);
    return undefined;
  }
  if (t - Date.parse(s.lastSeenAt) > TOUCH_MS) await touchSession(db, tokenHash, now.toISOString());
  return { account: publicAccount(account), csrfToken: s.csrfToken, tokenHash };
}

export async function endSession(db: Db, tokenHash: string): Promise<void> {
  await deleteSession(db, tokenHash);
}
