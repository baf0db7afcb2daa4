import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll } from 'vitest';
import { closeStore, openStore, type Db } from '../../src/store/db.js';
import type { Schema } from '../../src/store/schema.js';

/**
 * The engine the suite runs on. Without XUNCHA_TEST_PG the tests use SQLite files and ':memory:'
 * as written; with it (a postgres:// URL, set by .ci/run for the PostgreSQL pass) every store a
 * test opens becomes a PostgreSQL schema of its own in that database, so the same tests run on
 * both engines.
 */
export const testPostgres = process.env.XUNCHA_TEST_PG || undefined;

/**
 * Where a test's store lives: the SQLite path or ':memory:' it names, or on PostgreSQL a schema
 * derived from that path (the same path, reopened or passed to the CLI, is the same store) or a
 * fresh one for ':memory:'.
 */
export function testStoreLocation(file = ':memory:'): string {
  if (!testPostgres) return file;
  const name =
    file === ':memory:'
      ? `t_${randomBytes(8).toString('hex')}`
      : `t_${createHash('sha256').update(file).digest('hex').slice(0, 16)}`;
  const url = new URL(testPostgres);
  url.searchParams.set('schema', name);
  return url.toString();
}

/** Stores opened by the test file, closed when it ends (closing twice is harmless). */
const opened = new Set<Db>();

/**
 * Open a test's store on the engine the suite runs on. Whatever a test leaves open is closed after
 * the file's tests: on PostgreSQL every store is a connection pool the server counts.
 */
export async function openTestStore(file = ':memory:'): Promise<Db> {
  const db = await openStore(testStoreLocation(file));
  opened.add(db);
  return db;
}

/** Close every store the file's tests opened and left open. */
export async function closeTestStores(): Promise<void> {
  const dbs = [...opened];
  opened.clear();
  await Promise.all(dbs.map((db) => closeStore(db)));
}

// Registered when a test file first imports this helper: on that file's own suite.
afterAll(closeTestStores);

/**
 * Read a store that a CLI process the test spawned owns, without creating or migrating it (the
 * process may be creating it right now): a read-only connection to the SQLite file, or one
 * connection to the PostgreSQL schema. Undefined while a SQLite file does not exist yet; a query
 * on tables not created yet throws, as it would have on the file.
 */
export async function peekTestStore<T>(file: string, read: (db: Db) => Promise<T>): Promise<T | undefined> {
  let db: Db;
  if (testPostgres) {
    const url = new URL(testStoreLocation(file));
    const schema = url.searchParams.get('schema')!;
    url.searchParams.delete('schema');
    const pool = new pg.Pool({
      connectionString: url.toString(),
      max: 1,
      options: `-c search_path=${schema}`,
    });
    db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  } else {
    if (!existsSync(file)) return undefined;
    const conn = new Database(file, { readonly: true, fileMustExist: true });
    db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: conn }) });
  }
  try {
    return await read(db);
  } finally {
    await db.destroy();
  }
}
