import type { Generated } from 'kysely';

/**
 * The store's tables as the query builder sees them: one description for both engines (SQLite
 * and PostgreSQL). Column names are the stored ones; the store functions map rows to records.
 * Integers are numbers on both engines (PostgreSQL's bigint is parsed as a number in db.ts).
 */
export interface Schema {
  runs: {
    id: Generated<number>;
    created_at: string;
    inspection_date: string;
    seeds_file: string;
    settings: string;
    status: Generated<string>;
    finished_at: string | null;
  };
  units: {
    run_id: number;
    id: string;
    name: string;
    level: string;
    parent: string | null;
    start_urls: string;
    catalogues: string;
    hosts: string;
    contact: string | null;
    crawl_status: Generated<string>;
    crawl_error: string | null;
    paths: Generated<string>;
    disclosure: string | null;
    /** Seed order (migration 12): reports list units as the seed file does. */
    position: Generated<number>;
  };
  frontier: {
    run_id: number;
    unit_id: string;
    url: string;
    depth: number;
    kind: string;
    state: Generated<string>;
    seq: number;
  };
  bodies: { hash: string; size: number; data: Buffer };
  resources: {
    id: Generated<number>;
    run_id: number;
    unit_id: string;
    url: string;
    final_url: string;
    kind: string;
    depth: number;
    status: number;
    error_kind: string | null;
    error: string | null;
    content_type: string | null;
    charset: string | null;
    headers: string;
    fetched_at: string;
    duration_ms: number;
    size: number;
    content_hash: string | null;
  };
  /** Only in stores older than migration 3, which folds it into page_links. */
  links: { run_id: number; unit_id: string; from_url: string; to_url: string; anchor: string; tag: string };
  page_links: {
    run_id: number;
    unit_id: string;
    from_url: string;
    links: string;
    /** Write order (migration 12). */
    seq: Generated<number>;
  };
  findings: {
    id: Generated<number>;
    run_id: number;
    unit_id: string;
    check_id: string;
    outcome: string;
    kind: string;
    message: string;
    url: string;
    location: string;
    evidence: string;
  };
  check_errors: { run_id: number; unit_id: string; check_id: string; error: string };
  scores: {
    run_id: number;
    unit_id: string;
    score: number;
    grade: string;
    rank: number;
    vetoed: number;
    veto_reason: string;
    reasons: string;
    unscored: string | null;
  };
  probes: {
    id: Generated<number>;
    unit_id: string;
    url: string;
    at: string;
    status: number;
    error_kind: string | null;
    duration_ms: number;
  };
  reviews: {
    finding_key: string;
    unit_id: string;
    check_id: string;
    decision: string;
    reason: string;
    reviewer: string;
    decided_at: string;
    run_id: number;
    message: string;
    url: string;
  };
  review_log: {
    id: Generated<number>;
    finding_key: string;
    decision: string;
    reason: string;
    reviewer: string;
    decided_at: string;
    run_id: number;
  };
  batch_locks: {
    id: Generated<number>;
    run_id: number;
    mode: string;
    command: string;
    pid: number;
    host: string;
    started_at: number;
    heartbeat_at: number;
  };
  disclosure_parts: {
    run_id: number;
    unit_id: string;
    position: number;
    part: string;
    title: string;
    url: string | null;
    signal: string | null;
    text: string | null;
  };
  screenshots: {
    run_id: number;
    unit_id: string;
    page_url: string;
    image_hash: string;
    copy_hash: string;
    body_hash: string;
    status: number;
    fetched_at: string;
    masked: number;
    outlined: number;
    located: number;
    finding_ids: string;
    taken_at: string;
    targets: Generated<number>;
    /** Write order (migration 12). */
    position: Generated<number>;
  };
  /** Facts about the store itself (key 'id': a random identity, see storeId.ts). */
  store_info: { key: string; value: string };
  /** PostgreSQL only: the applied migration (SQLite keeps it in PRAGMA user_version). */
  xuncha_schema: { version: number };
}
