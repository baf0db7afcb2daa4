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
  /** Console accounts (migration 14). role: 'admin' | 'inspector' | 'unit' (unit_id set). */
  accounts: {
    id: Generated<number>;
    username: string;
    display_name: string;
    role: string;
    unit_id: string | null;
    email: string | null;
    /** scrypt: `scrypt$N$r$p$salt$hash` (base64). */
    password_hash: string;
    disabled: Generated<number>;
    created_at: string;
    password_changed_at: string;
  };
  /** Console sessions; the cookie holds the token, the store only its sha256. */
  sessions: {
    token_hash: string;
    account_id: number;
    csrf_token: string;
    created_at: string;
    expires_at: string;
    last_seen_at: string;
  };
  /** Every review, feedback decision, batch start and setting change (全过程留痕). detail: JSON. */
  audit_log: {
    id: Generated<number>;
    at: string;
    account_id: number | null;
    username: string;
    action: string;
    target: string;
    detail: string;
    address: string | null;
  };
  /** A unit's 整改反馈 on one finding. state: 'submitted' | 'accepted' | 'rejected'. file_hash → bodies. */
  feedback: {
    id: Generated<number>;
    run_id: number;
    unit_id: string;
    finding_id: number;
    /** findingKey() of the finding, so a 复查 finds it across runs. */
    finding_key: string;
    note: string;
    file_hash: string | null;
    file_name: string | null;
    file_type: string | null;
    submitted_by: string;
    submitted_at: string;
    state: string;
    decided_by: string | null;
    decided_at: string | null;
    decision_note: string | null;
  };
  /** Console settings by key (value: JSON): 'units' (the roster as seed YAML), 'smtp', 'office'. */
  console_settings: { key: string; value: string; updated_at: string; updated_by: string };
  /** The scheduler's jobs. kind: 'batch' | 'probe' | 'recheck' | 'reminder'; options: JSON. */
  schedule_jobs: {
    name: string;
    kind: string;
    cron: string;
    enabled: Generated<number>;
    options: string;
    last_started_at: string | null;
    last_finished_at: string | null;
    last_outcome: string | null;
    last_run_id: number | null;
  };
  /** Mail sent or attempted. kind: 'summary' | 'notice' | 'reminder' | 'test'; outcome: 'sent' | 'failed'. */
  mail_log: {
    id: Generated<number>;
    at: string;
    kind: string;
    recipient: string;
    subject: string;
    run_id: number | null;
    unit_id: string | null;
    outcome: string;
    error: string | null;
  };
  /** A finished unit crawl's figures (migration 15), for the error kinds in not_dead (JSON). */
  crawl_stats: {
    run_id: number;
    unit_id: string;
    not_dead: string;
    pages: number;
    attachments: number;
    failures: number;
    links: number;
    dead_links: number;
  };
  /** PostgreSQL only: the applied migration (SQLite keeps it in PRAGMA user_version). */
  xuncha_schema: { version: number };
}
