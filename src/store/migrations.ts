/**
 * Numbered schema migrations. Each runs once, in order, inside a transaction; the applied
 * version is kept in PRAGMA user_version. Append new entries; never edit an applied one.
 */
export const migrations: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  inspection_date TEXT NOT NULL,
  seeds_file TEXT NOT NULL,
  settings TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'created',
  finished_at TEXT
);
CREATE TABLE units (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  parent TEXT,
  start_urls TEXT NOT NULL,
  catalogues TEXT NOT NULL,
  hosts TEXT NOT NULL,
  contact TEXT,
  crawl_status TEXT NOT NULL DEFAULT 'pending',
  crawl_error TEXT,
  PRIMARY KEY (run_id, id)
);
CREATE TABLE frontier (
  run_id INTEGER NOT NULL,
  unit_id TEXT NOT NULL,
  url TEXT NOT NULL,
  depth INTEGER NOT NULL,
  kind TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued',
  seq INTEGER NOT NULL,
  PRIMARY KEY (run_id, unit_id, url)
);
CREATE INDEX frontier_queue ON frontier (run_id, unit_id, state, depth, seq);
CREATE TABLE bodies (
  hash TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE resources (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL,
  unit_id TEXT NOT NULL,
  url TEXT NOT NULL,
  final_url TEXT NOT NULL,
  kind TEXT NOT NULL,
  depth INTEGER NOT NULL,
  status INTEGER NOT NULL,
  error_kind TEXT,
  error TEXT,
  content_type TEXT,
  charset TEXT,
  headers TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  size INTEGER NOT NULL,
  content_hash TEXT,
  UNIQUE (run_id, unit_id, url)
);
CREATE TABLE links (
  run_id INTEGER NOT NULL,
  unit_id TEXT NOT NULL,
  from_url TEXT NOT NULL,
  to_url TEXT NOT NULL,
  anchor TEXT NOT NULL,
  tag TEXT NOT NULL
);
CREATE INDEX links_to ON links (run_id, unit_id, to_url);
CREATE INDEX links_from ON links (run_id, unit_id, from_url);
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL,
  unit_id TEXT NOT NULL,
  check_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  url TEXT NOT NULL,
  location TEXT NOT NULL,
  evidence TEXT NOT NULL
);
CREATE INDEX findings_run ON findings (run_id, unit_id, check_id);
CREATE TABLE check_errors (
  run_id INTEGER NOT NULL,
  unit_id TEXT NOT NULL,
  check_id TEXT NOT NULL,
  error TEXT NOT NULL
);
CREATE TABLE scores (
  run_id INTEGER NOT NULL,
  unit_id TEXT NOT NULL,
  score REAL NOT NULL,
  grade TEXT NOT NULL,
  rank INTEGER NOT NULL,
  vetoed INTEGER NOT NULL,
  veto_reason TEXT NOT NULL,
  reasons TEXT NOT NULL,
  PRIMARY KEY (run_id, unit_id)
);
`,
  },
  {
    version: 2,
    sql: `
CREATE INDEX resources_previous ON resources (unit_id, url, run_id);
CREATE TABLE probes (
  id INTEGER PRIMARY KEY,
  unit_id TEXT NOT NULL,
  url TEXT NOT NULL,
  at TEXT NOT NULL,
  status INTEGER NOT NULL,
  error_kind TEXT,
  duration_ms INTEGER NOT NULL
);
CREATE INDEX probes_unit ON probes (unit_id, at);
`,
  },
  {
    // One row per page instead of one per link: a page's links are written and read together,
    // and a row per link (with two indexes) was the largest write cost of a crawl.
    version: 3,
    sql: `
CREATE TABLE page_links (
  run_id INTEGER NOT NULL,
  unit_id TEXT NOT NULL,
  from_url TEXT NOT NULL,
  links TEXT NOT NULL,
  PRIMARY KEY (run_id, unit_id, from_url)
);
INSERT INTO page_links (run_id, unit_id, from_url, links)
  SELECT run_id, unit_id, from_url, json_group_array(json_array(to_url, anchor, tag))
  FROM links GROUP BY run_id, unit_id, from_url;
DROP TABLE links;
`,
  },
  {
    // The human-review ledger: a person's decision on a finding, kept across runs by the finding's
    // identity (unit, check, kind, place, message without numbers), so a false positive dismissed
    // once stays dismissed next month.
    version: 4,
    sql: `
CREATE TABLE reviews (
  finding_key TEXT PRIMARY KEY,
  unit_id TEXT NOT NULL,
  check_id TEXT NOT NULL,
  decision TEXT NOT NULL,
  reason TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  message TEXT NOT NULL,
  url TEXT NOT NULL
);
CREATE TABLE review_log (
  id INTEGER PRIMARY KEY,
  finding_key TEXT NOT NULL,
  decision TEXT NOT NULL,
  reason TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  run_id INTEGER NOT NULL
);
`,
  },
  {
    // Which process works on which batch (src/store/locks.ts): one row per holder, so two
    // processes never crawl one batch and crawls of different batches do not overlap unasked.
    // AUTOINCREMENT: a holder whose stale lock was taken over must not, by a reused id, beat on or
    // release its successor's lock.
    version: 5,
    sql: `
CREATE TABLE batch_locks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL,
  mode TEXT NOT NULL,
  command TEXT NOT NULL,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
`,
  },
  {
    // A unit whose home page could not be fetched is not scored (src/scoring/scoreUnit.ts): the
    // crawl's evidence is kept here, NULL for scored units.
    version: 6,
    sql: `ALTER TABLE scores ADD COLUMN unscored TEXT;`,
  },
  {
    // Units are (host, path prefix) scopes (src/crawl/scope.ts): the extra prefixes a seed gives.
    // Link targets are looked up across units (a 部门 page linking a portal page), hence the index.
    version: 7,
    sql: `
ALTER TABLE units ADD COLUMN paths TEXT NOT NULL DEFAULT '[]';
CREATE INDEX resources_url ON resources (run_id, url);
`,
  },
  {
    // 政府信息公开专栏 pages a seed pins (part → URL), as JSON; NULL when none.
    version: 8,
    sql: `ALTER TABLE units ADD COLUMN disclosure TEXT;`,
  },
  {
    // What the check stage found of each unit's 政府信息公开专栏 (the best address of each part),
    // so the report shows it without parsing pages again.
    version: 9,
    sql: `
CREATE TABLE disclosure_parts (
  run_id INTEGER NOT NULL,
  unit_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  part TEXT NOT NULL,
  title TEXT NOT NULL,
  url TEXT,
  signal TEXT,
  text TEXT,
  PRIMARY KEY (run_id, unit_id, position)
);
`,
  },
  {
    // Evidence screenshots (src/evidence/): one per page that proves a unit's findings. The image and
    // the masked saved copy live in bodies (by hash); finding_ids ties the findings it proves.
    version: 10,
    sql: `
CREATE TABLE screenshots (
  run_id INTEGER NOT NULL,
  unit_id TEXT NOT NULL,
  page_url TEXT NOT NULL,
  image_hash TEXT NOT NULL,
  copy_hash TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  fetched_at TEXT NOT NULL,
  masked INTEGER NOT NULL,
  outlined INTEGER NOT NULL,
  located INTEGER NOT NULL,
  finding_ids TEXT NOT NULL,
  taken_at TEXT NOT NULL,
  PRIMARY KEY (run_id, unit_id, page_url)
);
`,
  },
  {
    // How many elements the screenshot was to outline (0: the page as a whole proves the finding,
    // e.g. a missing 专栏), so "not located" is told apart from "nothing to locate".
    version: 11,
    sql: `ALTER TABLE screenshots ADD COLUMN targets INTEGER NOT NULL DEFAULT 0;`,
  },
];
