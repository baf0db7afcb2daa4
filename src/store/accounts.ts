import type { Db } from './db.js';
import type { Account, Role } from '../console/types.js';

/** An account with what only the login needs: its password hash and whether it may log in. */
export interface StoredAccount extends Account {
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
  passwordChangedAt: string;
}

type Row = {
  id: number;
  username: string;
  display_name: string;
  role: string;
  unit_id: string | null;
  email: string | null;
  password_hash: string;
  disabled: number;
  created_at: string;
  password_changed_at: string;
};

function toAccount(r: Row): StoredAccount {
  return {
    id: Number(r.id),
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    unitId: r.unit_id,
    email: r.email,
    passwordHash: r.password_hash,
    disabled: Number(r.disabled) === 1,
    createdAt: r.created_at,
    passwordChangedAt: r.password_changed_at,
  };
}

/** The account as pages see it: never the password hash. */
export function publicAccount(a: StoredAccount): Account {
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    role: a.role,
    unitId: a.unitId,
    email: a.email,
  };
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  email: string | null;
  /** Already hashed (src/console/auth/passwords.ts): the store never sees a password. */
  passwordHash: string;
}

export async function createAccount(db: Db, a: NewAccount, now: Date): Promise<number> {
  const at = now.toISOString();
  const row = await db
    .insertInto('accounts')
    .values({
      username: a.username,
      display_name: a.displayName,
      role: a.role,
      // Only a 单位用户 is tied to a unit; anyone else with a unit id would be misleading.
      unit_id: a.role === 'unit' ? a.unitId : null,
      email: a.email,
      password_hash: a.passwordHash,
      created_at: at,
      password_changed_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function findAccountByUsername(db: Db, username: string): Promise<StoredAccount | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

export async function getAccount(db: Db, id: number): Promise<StoredAccount | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

export async function listAccounts(db: Db): Promise<StoredAccount[]> {
  const rows = await db.selectFrom('accounts').selectAll().orderBy('role').orderBy('username').execute();
  return rows.map(toAccount);
}

/** Enabled administrators: `serve --init-admin` refuses to add a second one unless told. */
export async function countAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function setAccountDisabled(db: Db, id: number, disabled: boolean): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ disabled: disabled ? 1 : 0 })
    .where('id', '=', id)
    .execute();
}

export async function setAccountPassword(db: Db, id: number, passwordHash: string, now: Date): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ password_hash: passwordHash, password_changed_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}
