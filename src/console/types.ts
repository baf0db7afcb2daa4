import type { Db } from '../store/db.js';
import type { Logger } from '../log.js';
import type { Html } from './html.js';

/**
 * The contract between the console's server (src/console/server.ts: sessions, CSRF, roles) and
 * its pages (src/console/pages/*): a page is a route with the roles it admits and a handler from
 * the request to a result. The server enforces roles, the unit scope and CSRF before a handler
 * runs, so a handler never checks who is asking beyond filtering what it lists.
 */

/** 管理员, 检查员, 单位用户. */
export type Role = 'admin' | 'inspector' | 'unit';

export const ROLE_LABELS: Record<Role, string> = { admin: '管理员', inspector: '检查员', unit: '单位用户' };

export interface Account {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /** Set for 单位用户: the only unit they may see. */
  unitId: string | null;
  email: string | null;
}

/** What every handler may use. One per server. */
export interface ConsoleEnv {
  db: Db;
  log: Logger;
  rulesDir: string;
  /** Where batches' reports are written: `<outDir>/<runId>/…` as `xuncha run --out`. */
  outDir: string;
  /** 发文机关 of notices and 通报. */
  issuer: string;
  /** The clock (tests pass a fixed one). */
  now(): Date;
  /** Batches started from the console or its scheduler (src/jobs). */
  jobs: JobControl;
}

/** Starting work in the console's process; implemented in src/jobs. */
export interface JobControl {
  /** Start a batch on the roster (console_settings 'units'); refused while another runs. */
  startBatch(by: Account | 'scheduler', options?: { inspectionDate?: string }): Promise<{ runId: number }>;
  /** A 复查 of an earlier batch (`xuncha recheck`), same lock. */
  startRecheck(by: Account | 'scheduler', runId: number): Promise<{ runId: number }>;
  /** Batches this process is running now, with what they are doing. */
  running(): RunningJob[];
}

export interface RunningJob {
  kind: 'batch' | 'recheck' | 'probe';
  runId: number | null;
  startedAt: string;
  startedBy: string;
  /** 抓取 / 检查 / 截图 / 评分 / 报告 … */
  stage: string;
}

export interface PageRequest {
  account: Account;
  /** Route parameters (`:runId` …), as strings. */
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  /** Form fields of a POST (url-encoded or multipart text fields). */
  form: Record<string, string>;
  /** An uploaded file of a multipart POST (field name → file), size-limited by the server. */
  files: Record<string, { name: string; type: string; data: Buffer }>;
  /** To put in every form as `<input type="hidden" name="_csrf" value="…">`. */
  csrfToken: string;
  /** The client's address, for the audit log. */
  address: string;
}

export type PageResult =
  /** A full page: the server wraps `body` in the layout (navigation by role, CSRF meta, assets). */
  | { kind: 'page'; title: string; body: Html; status?: number }
  | { kind: 'redirect'; to: string }
  | { kind: 'json'; data: unknown }
  /** A download: `path` (inside outDir) or `data`. */
  | { kind: 'file'; name: string; type: string; path?: string; data?: Buffer }
  | { kind: 'error'; status: 400 | 403 | 404 | 409; message: string };

export interface PageRoute {
  method: 'GET' | 'POST';
  /** Fastify path syntax: `/units/:unitId`. */
  path: string;
  /** Roles admitted; anyone else gets 403. */
  roles: readonly Role[];
  /**
   * The unit this request concerns. Required for any route that admits 'unit': the server refuses
   * (403) a 单位用户 when it returns another unit or nothing at all (fail closed).
   */
  unitOf?(env: ConsoleEnv, req: PageRequest): Promise<string | undefined>;
  handle(env: ConsoleEnv, req: PageRequest): Promise<PageResult>;
}
