import Database from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations.js';
import { isPostgres } from './location.js';
import type { Schema } from './schema.js';

/**
 * The store: one typed query builder (Kysely) over either engine. SQLite (a file, nothing to
 * install) is the default for a county on one machine; PostgreSQL (`postgres://…`) is the shared
 * store when workers on several machines work on one batch. Every store function takes a `Db` —
 * the store itself or a transaction of it — and runs the same query on both engines.
 */
export type Db = Kysely<Schema>;
export type Engine = 'sqlite' | 'postgres';

export { isPostgres };

/**
 * Open (or create) the store and bring its schema up to date. A PostgreSQL location may name the
 * schema to use (`postgres://…/xuncha?schema=county_a`): several stores then share one database.
 */
export async function openStore(location: string): Promise<Db> {
  const db = isPostgres(location) ? await openPostgres(location) : openSqlite(location);
  try {
    await migrate(db, engineOf(db));
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

export async function closeStore(db: Db): Promise<void> {
  await db.destroy();
}

export function engineOf(db: Db): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * Run `fn` in a transaction, or inside the caller's one: the crawler wraps a page's writes in one
 * transaction and the functions it calls must not try to open a second.
 */
export async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction || exclusive.has(db)) return fn(db);
  return db.transaction().execute(fn);
}

/** Connections inside an exclusiveTransaction (SQLite's is begun by hand, unknown to Kysely). */
const exclusive = new WeakSet<Db>();

/**
 * Run `fn` in a transaction no other process runs at the same time on this store: SQLite's BEGIN
 * IMMEDIATE takes the write lock before the first read; on PostgreSQL a transaction-scoped
 * advisory lock (`key`) does the same across machines.
 */
export async function exclusiveTransaction<T>(db: Db, key: number, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (engineOf(db) === 'postgres')
    return db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${key})`.execute(trx);
      return fn(trx);
    });
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    exclusive.add(conn);
    try {
      const result = await fn(conn);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (err) {
      await sql`ROLLBACK`.execute(conn);
      throw err;
    } finally {
      exclusive.delete(conn);
    }
  });
}

/** WAL so a crash mid-crawl loses at most the in-flight fetches. */
function openSqlite(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const conn = new Database(file);
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = NORMAL');
  conn.pragma('foreign_keys = ON');
  return new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachingStatements(conn) }) });
}

/**
 * The dialect prepares every query it runs; the crawler runs the same few thousands of times a
 * minute, and re-preparing them was ~5 % of crawl CPU in bench/crawl. Statements are kept per SQL
 * text, a bounded number (multi-row inserts make many distinct texts).
 */
function cachingStatements(conn: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => conn.close(),
    prepare(text: string) {
      let stmt = cache.get(text);
      if (stmt) return stmt;
      stmt = conn.prepare(text);
      if (cache.size >= 500) cache.delete(cache.keys().next().value as string);
      cache.set(text, stmt);
      return stmt;
    },
  };
}

// PostgreSQL's count(*) and bigint columns (sequence numbers, epoch milliseconds) arrive as
// strings; every integer the store keeps is far below 2^53, so numbers are exact.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

async function openPostgres(location: string): Promise<Db> {
  const url = new URL(location);
  const schema = url.searchParams.get('schema');
  url.searchParams.delete('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new Error(`存储地址中的 schema「${schema}」无效：只能由小写字母、数字和下划线组成`);
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: 8,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection dropped by the server must not crash the process; the pool reconnects.
  pool.on('error', () => {});
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (schema) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
  } catch (err) {
    await db.destroy();
    throw new Error(`无法连接 PostgreSQL 存储（${redact(url)}）：${(err as Error).message}`);
  }
  return db;
}

/** A connection string as it may be shown: without its password. */
export function redact(url: URL | string): string {
  const u = new URL(url.toString());
  if (u.password) u.password = '***';
  return u.toString();
}

/**
 * Rows per multi-row insert: a chunk of rows of up to ~12 columns stays well under both engines'
 * limits on bound parameters (SQLite 32,766; PostgreSQL 65,535) and under SQLite's statement size.
 */
export const INSERT_CHUNK = 100;

/**
 * Insert `rows` a chunk at a time: `insert` gets each chunk and the index of its first row (for
 * explicit write-order columns). Returns the sum of the numbers `insert` returns (rows inserted,
 * when it counts them).
 */
export async function insertInChunks<T>(
  rows: readonly T[],
  insert: (chunk: T[], offset: number) => Promise<unknown>,
  size = INSERT_CHUNK,
): Promise<number> {
  let total = 0;
  for (let i = 0; i < rows.length; i += size) {
    const n = await insert(rows.slice(i, i + size), i);
    if (typeof n === 'number') total += n;
  }
  return total;
}
