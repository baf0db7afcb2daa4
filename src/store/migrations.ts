import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Db, Engine } from './db.js';

/**
 * Numbered schema migrations, one list for both engines (written with the query builder's schema
 * builder, so each engine gets its own types). Each runs once, in order, inside a transaction; the
 * applied version is kept in PRAGMA user_version (SQLite) or the xuncha_schema table (PostgreSQL).
 * Append new entries; never edit an applied one.
 */
interface Migration {
  version: number;
  up(db: Kysely<any>, t: Types): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The column types of one engine. */
interface Types {
  engine: Engine;
  int: ReturnType<typeof sql.raw>;
  real: ReturnType<typeof sql.raw>;
  blob: ReturnType<typeof sql.raw>;
  /** An integer key numbered by the store; never reused when `autoIncrement` is set. */
  id(
    autoIncrement?: boolean,
  ): [ReturnType<typeof sql.raw>, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder];
}

function typesOf(engine: Engine): Types {
  if (engine === 'postgres')
    return {
      engine,
      int: sql.raw('bigint'),
      real: sql.raw('double precision'),
      blob: sql.raw('bytea'),
      // Identity values are never reused, which is what SQLite's AUTOINCREMENT promises.
      id: () => [sql.raw('bigint'), (c) => c.primaryKey().generatedByDefaultAsIdentity()],
    };
  return {
    engine,
    // "integer primary key" is SQLite's rowid alias.
    int: sql.raw('integer'),
    real: sql.raw('real'),
    blob: sql.raw('blob'),
    id: (auto) => [sql.raw('integer'), (c) => (auto ? c.primaryKey().autoIncrement() : c.primaryKey())],
  };
}

type Table = CreateTableBuilder<string, string>;
const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

/** run_id + unit_id, the two columns most tables start with. */
function unitScoped(table: Table, t: Types): Table {
  return table.addColumn('run_id', t.int, notNull).addColumn('unit_id', 'text', notNull);
}

export const migrations: Migration[] = [
  {
    version: 1,
    async up(db, t) {
      await db.schema
        .createTable('runs')
        .addColumn('id', ...t.id())
        .addColumn('created_at', 'text', notNull)
        .addColumn('inspection_date', 'text', notNull)
        .addColumn('seeds_file', 'text', notNull)
        .addColumn('settings', 'text', notNull)
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('created'))
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema
        .createTable('units')
        .addColumn('run_id', t.int, (c) => c.notNull().references('runs.id'))
        .addColumn('id', 'text', notNull)
        .addColumn('name', 'text', notNull)
        .addColumn('level', 'text', notNull)
        .addColumn('parent', 'text')
        .addColumn('start_urls', 'text', notNull)
        .addColumn('catalogues', 'text', notNull)
        .addColumn('hosts', 'text', notNull)
        .addColumn('contact', 'text')
        .addColumn('crawl_status', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('crawl_error', 'text')
        .addPrimaryKeyConstraint('units_pk', ['run_id', 'id'])
        .execute();
      await unitScoped(db.schema.createTable('frontier'), t)
        .addColumn('url', 'text', notNull)
        .addColumn('depth', t.int, notNull)
        .addColumn('kind', 'text', notNull)
        .addColumn('state', 'text', (c) => c.notNull().defaultTo('queued'))
        .addColumn('seq', t.int, notNull)
        .addPrimaryKeyConstraint('frontier_pk', ['run_id', 'unit_id', 'url'])
        .execute();
      await db.schema
        .createIndex('frontier_queue')
        .on('frontier')
        .columns(['run_id', 'unit_id', 'state', 'depth', 'seq'])
        .execute();
      await db.schema
        .createTable('bodies')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('size', t.int, notNull)
        .addColumn('data', t.blob, notNull)
        .execute();
      await db.schema
        .createTable('resources')
        .addColumn('id', ...t.id())
        .addColumn('run_id', t.int, notNull)
        .addColumn('unit_id', 'text', notNull)
        .addColumn('url', 'text', notNull)
        .addColumn('final_url', 'text', notNull)
        .addColumn('kind', 'text', notNull)
        .addColumn('depth', t.int, notNull)
        .addColumn('status', t.int, notNull)
        .addColumn('error_kind', 'text')
        .addColumn('error', 'text')
        .addColumn('content_type', 'text')
        .addColumn('charset', 'text')
        .addColumn('headers', 'text', notNull)
        .addColumn('fetched_at', 'text', notNull)
        .addColumn('duration_ms', t.int, notNull)
        .addColumn('size', t.int, notNull)
        .addColumn('content_hash', 'text')
        .addUniqueConstraint('resources_unique', ['run_id', 'unit_id', 'url'])
        .execute();
      await unitScoped(db.schema.createTable('links'), t)
        .addColumn('from_url', 'text', notNull)
        .addColumn('to_url', 'text', notNull)
        .addColumn('anchor', 'text', notNull)
        .addColumn('tag', 'text', notNull)
        .execute();
      await db.schema
        .createTable('findings')
        .addColumn('id', ...t.id())
        .addColumn('run_id', t.int, notNull)
        .addColumn('unit_id', 'text', notNull)
        .addColumn('check_id', 'text', notNull)
        .addColumn('outcome', 'text', notNull)
        .addColumn('kind', 'text', notNull)
        .addColumn('message', 'text', notNull)
        .addColumn('url', 'text', notNull)
        .addColumn('location', 'text', notNull)
        .addColumn('evidence', 'text', notNull)
        .execute();
      await db.schema
        .createIndex('findings_run')
        .on('findings')
        .columns(['run_id', 'unit_id', 'check_id'])
        .execute();
      await unitScoped(db.schema.createTable('check_errors'), t)
        .addColumn('check_id', 'text', notNull)
        .addColumn('error', 'text', notNull)
        .execute();
      await unitScoped(db.schema.createTable('scores'), t)
        .addColumn('score', t.real, notNull)
        .addColumn('grade', 'text', notNull)
        .addColumn('rank', t.int, notNull)
        .addColumn('vetoed', t.int, notNull)
        .addColumn('veto_reason', 'text', notNull)
        .addColumn('reasons', 'text', notNull)
        .addPrimaryKeyConstraint('scores_pk', ['run_id', 'unit_id'])
        .execute();
    },
  },
  {
    version: 2,
    async up(db, t) {
      await db.schema
        .createIndex('resources_previous')
        .on('resources')
        .columns(['unit_id', 'url', 'run_id'])
        .execute();
      await db.schema
        .createTable('probes')
        .addColumn('id', ...t.id())
        .addColumn('unit_id', 'text', notNull)
        .addColumn('url', 'text', notNull)
        .addColumn('at', 'text', notNull)
        .addColumn('status', t.int, notNull)
        .addColumn('error_kind', 'text')
        .addColumn('duration_ms', t.int, notNull)
        .execute();
      await db.schema.createIndex('probes_unit').on('probes').columns(['unit_id', 'at']).execute();
    },
  },
  {
    // One row per page instead of one per link: a page's links are written and read together,
    // and a row per link (with two indexes) was the largest write cost of a crawl.
    version: 3,
    async up(db, t) {
      await unitScoped(db.schema.createTable('page_links'), t)
        .addColumn('from_url', 'text', notNull)
        .addColumn('links', 'text', notNull)
        .addPrimaryKeyConstraint('page_links_pk', ['run_id', 'unit_id', 'from_url'])
        .execute();
      // Only SQLite stores can be older than this migration; a PostgreSQL store starts empty.
      if (t.engine === 'sqlite')
        await sql`INSERT INTO page_links (run_id, unit_id, from_url, links)
          SELECT run_id, unit_id, from_url, json_group_array(json_array(to_url, anchor, tag))
          FROM links GROUP BY run_id, unit_id, from_url`.execute(db);
      await db.schema.dropTable('links').execute();
    },
  },
  {
    // The human-review ledger: a person's decision on a finding, kept across runs by the finding's
    // identity (unit, check, kind, place, message without numbers), so a false positive dismissed
    // once stays dismissed next month.
    version: 4,
    async up(db, t) {
      await db.schema
        .createTable('reviews')
        .addColumn('finding_key', 'text', (c) => c.primaryKey())
        .addColumn('unit_id', 'text', notNull)
        .addColumn('check_id', 'text', notNull)
        .addColumn('decision', 'text', notNull)
        .addColumn('reason', 'text', notNull)
        .addColumn('reviewer', 'text', notNull)
        .addColumn('decided_at', 'text', notNull)
        .addColumn('run_id', t.int, notNull)
        .addColumn('message', 'text', notNull)
        .addColumn('url', 'text', notNull)
        .execute();
      await db.schema
        .createTable('review_log')
        .addColumn('id', ...t.id())
        .addColumn('finding_key', 'text', notNull)
        .addColumn('decision', 'text', notNull)
        .addColumn('reason', 'text', notNull)
        .addColumn('reviewer', 'text', notNull)
        .addColumn('decided_at', 'text', notNull)
        .addColumn('run_id', t.int, notNull)
        .execute();
    },
  },
  {
    // Which process works on which batch (src/store/locks.ts): one row per holder, so two
    // processes never crawl one batch and crawls of different batches do not overlap unasked.
    // Ids never reused: a holder whose stale lock was taken over must not, by a reused id, beat on
    // or release its successor's lock.
    version: 5,
    async up(db, t) {
      await db.schema
        .createTable('batch_locks')
        .addColumn('id', ...t.id(true))
        .addColumn('run_id', t.int, notNull)
        .addColumn('mode', 'text', notNull)
        .addColumn('command', 'text', notNull)
        .addColumn('pid', t.int, notNull)
        .addColumn('host', 'text', notNull)
        .addColumn('started_at', t.int, notNull)
        .addColumn('heartbeat_at', t.int, notNull)
        .execute();
    },
  },
  {
    // A unit whose home page could not be fetched is not scored (src/scoring/scoreUnit.ts): the
    // crawl's evidence is kept here, NULL for scored units.
    version: 6,
    async up(db) {
      await db.schema.alterTable('scores').addColumn('unscored', 'text').execute();
    },
  },
  {
    // Units are (host, path prefix) scopes (src/crawl/scope.ts): the extra prefixes a seed gives.
    // Link targets are looked up across units (a 部门 page linking a portal page), hence the index.
    version: 7,
    async up(db) {
      await db.schema
        .alterTable('units')
        .addColumn('paths', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema.createIndex('resources_url').on('resources').columns(['run_id', 'url']).execute();
    },
  },
  {
    // 政府信息公开专栏 pages a seed pins (part → URL), as JSON; NULL when none.
    version: 8,
    async up(db) {
      await db.schema.alterTable('units').addColumn('disclosure', 'text').execute();
    },
  },
  {
    // What the check stage found of each unit's 政府信息公开专栏 (the best address of each part),
    // so the report shows it without parsing pages again.
    version: 9,
    async up(db, t) {
      await unitScoped(db.schema.createTable('disclosure_parts'), t)
        .addColumn('position', t.int, notNull)
        .addColumn('part', 'text', notNull)
        .addColumn('title', 'text', notNull)
        .addColumn('url', 'text')
        .addColumn('signal', 'text')
        .addColumn('text', 'text')
        .addPrimaryKeyConstraint('disclosure_parts_pk', ['run_id', 'unit_id', 'position'])
        .execute();
    },
  },
  {
    // Evidence screenshots (src/evidence/): one per page that proves a unit's findings. The image and
    // the masked saved copy live in bodies (by hash); finding_ids ties the findings it proves.
    version: 10,
    async up(db, t) {
      await unitScoped(db.schema.createTable('screenshots'), t)
        .addColumn('page_url', 'text', notNull)
        .addColumn('image_hash', 'text', notNull)
        .addColumn('copy_hash', 'text', notNull)
        .addColumn('body_hash', 'text', notNull)
        .addColumn('status', t.int, notNull)
        .addColumn('fetched_at', 'text', notNull)
        .addColumn('masked', t.int, notNull)
        .addColumn('outlined', t.int, notNull)
        .addColumn('located', t.int, notNull)
        .addColumn('finding_ids', 'text', notNull)
        .addColumn('taken_at', 'text', notNull)
        .addPrimaryKeyConstraint('screenshots_pk', ['run_id', 'unit_id', 'page_url'])
        .execute();
    },
  },
  {
    // How many elements the screenshot was to outline (0: the page as a whole proves the finding,
    // e.g. a missing 专栏), so "not located" is told apart from "nothing to locate".
    version: 11,
    async up(db, t) {
      await db.schema
        .alterTable('screenshots')
        .addColumn('targets', t.int, (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  {
    // Explicit write order where SQLite's rowid gave it and PostgreSQL has none: units in seed
    // order, a page's links and a unit's screenshots in the order they were stored.
    version: 12,
    async up(db, t) {
      for (const [table, column] of [
        ['units', 'position'],
        ['page_links', 'seq'],
        ['screenshots', 'position'],
      ] as const) {
        await db.schema
          .alterTable(table)
          .addColumn(column, t.int, (c) => c.notNull().defaultTo(0))
          .execute();
        if (t.engine === 'sqlite')
          await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = rowid`.execute(db);
      }
    },
  },
  {
    // The store's own identity (src/store/storeId.ts): processes that open the same store under
    // different addresses still find the same work queue.
    version: 13,
    async up(db) {
      await db.schema
        .createTable('store_info')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', notNull)
        .execute();
    },
  },
  {
    // The web console (xuncha serve, issue 17): accounts and their sessions, the audit log
    // (全过程留痕), units' 整改反馈 on findings, console settings (unit roster, SMTP, office) and the
    // scheduler's jobs, which survive restarts here, and the mail sent.
    version: 14,
    async up(db, t) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', ...t.id(true))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', notNull)
        .addColumn('role', 'text', notNull)
        .addColumn('unit_id', 'text')
        .addColumn('email', 'text')
        .addColumn('password_hash', 'text', notNull)
        .addColumn('disabled', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', notNull)
        .addColumn('password_changed_at', 'text', notNull)
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('account_id', t.int, notNull)
        .addColumn('csrf_token', 'text', notNull)
        .addColumn('created_at', 'text', notNull)
        .addColumn('expires_at', 'text', notNull)
        .addColumn('last_seen_at', 'text', notNull)
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', ...t.id(true))
        .addColumn('at', 'text', notNull)
        .addColumn('account_id', t.int)
        .addColumn('username', 'text', notNull)
        .addColumn('action', 'text', notNull)
        .addColumn('target', 'text', notNull)
        .addColumn('detail', 'text', notNull)
        .addColumn('address', 'text')
        .execute();
      await db.schema
        .createTable('feedback')
        .addColumn('id', ...t.id(true))
        .addColumn('run_id', t.int, notNull)
        .addColumn('unit_id', 'text', notNull)
        .addColumn('finding_id', t.int, notNull)
        .addColumn('finding_key', 'text', notNull)
        .addColumn('note', 'text', notNull)
        .addColumn('file_hash', 'text')
        .addColumn('file_name', 'text')
        .addColumn('file_type', 'text')
        .addColumn('submitted_by', 'text', notNull)
        .addColumn('submitted_at', 'text', notNull)
        .addColumn('state', 'text', notNull)
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('decision_note', 'text')
        .execute();
      await db.schema.createIndex('feedback_unit').on('feedback').columns(['unit_id', 'run_id']).execute();
      await db.schema
        .createTable('console_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', notNull)
        .addColumn('updated_at', 'text', notNull)
        .addColumn('updated_by', 'text', notNull)
        .execute();
      await db.schema
        .createTable('schedule_jobs')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', notNull)
        .addColumn('cron', 'text', notNull)
        .addColumn('enabled', t.int, (c) => c.notNull().defaultTo(1))
        .addColumn('options', 'text', notNull)
        .addColumn('last_started_at', 'text')
        .addColumn('last_finished_at', 'text')
        .addColumn('last_outcome', 'text')
        .addColumn('last_run_id', t.int)
        .execute();
      await db.schema
        .createTable('mail_log')
        .addColumn('id', ...t.id(true))
        .addColumn('at', 'text', notNull)
        .addColumn('kind', 'text', notNull)
        .addColumn('recipient', 'text', notNull)
        .addColumn('subject', 'text', notNull)
        .addColumn('run_id', t.int)
        .addColumn('unit_id', 'text')
        .addColumn('outcome', 'text', notNull)
        .addColumn('error', 'text')
        .execute();
    },
  },
  {
    // A unit's crawl figures (pages, links, dead links) once its crawl has ended: counting the
    // targets of every stored link takes ~0.2 s per 2,000-page unit, and the report and every
    // console page of a batch ask for them. Dropped whenever the unit's crawl status changes.
    version: 15,
    async up(db, t) {
      await unitScoped(db.schema.createTable('crawl_stats'), t)
        .addColumn('not_dead', 'text', notNull)
        .addColumn('pages', t.int, notNull)
        .addColumn('attachments', t.int, notNull)
        .addColumn('failures', t.int, notNull)
        .addColumn('links', t.int, notNull)
        .addColumn('dead_links', t.int, notNull)
        .addPrimaryKeyConstraint('crawl_stats_pk', ['run_id', 'unit_id'])
        .execute();
    },
  },
];

/**
 * Bring the store to the latest version. On PostgreSQL an advisory lock serialises workers
 * starting at once against a new store; SQLite's write lock does the same for processes.
 */
export async function migrate(db: Db, engine: Engine): Promise<void> {
  const t = typesOf(engine);
  if (engine === 'postgres')
    await sql`CREATE TABLE IF NOT EXISTS xuncha_schema (version integer NOT NULL)`.execute(db);
  const latest = migrations[migrations.length - 1]!.version;
  if ((await currentVersion(db, engine)) >= latest) return;
  await db.transaction().execute(async (trx) => {
    if (engine === 'postgres') await sql`SELECT pg_advisory_xact_lock(7215303)`.execute(trx);
    const current = await currentVersion(trx, engine);
    for (const m of migrations) {
      if (m.version <= current) continue;
      await m.up(trx, t);
    }
    await setVersion(trx, engine, latest);
  });
}

async function currentVersion(db: Db, engine: Engine): Promise<number> {
  if (engine === 'sqlite') {
    const r = await sql<{ user_version: number }>`PRAGMA user_version`.execute(db);
    return r.rows[0]?.user_version ?? 0;
  }
  const row = await db.selectFrom('xuncha_schema').select('version').executeTakeFirst();
  return row?.version ?? 0;
}

async function setVersion(db: Db, engine: Engine, version: number): Promise<void> {
  if (engine === 'sqlite') {
    await sql.raw(`PRAGMA user_version = ${Number(version)}`).execute(db);
    return;
  }
  await db.deleteFrom('xuncha_schema').execute();
  await db.insertInto('xuncha_schema').values({ version }).execute();
}
