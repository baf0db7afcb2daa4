import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openTestStore } from '../helpers/testStore.js';
import { createConsoleServer, type ConsoleServerOptions } from '../../src/console/server.js';
import type { ConsoleEnv, JobControl, Role } from '../../src/console/types.js';
import { createLogger } from '../../src/log.js';
import { createRun, saveUnits } from '../../src/store/runs.js';
import { listFindings, replaceFindings } from '../../src/store/results.js';
import { createAccount } from '../../src/store/accounts.js';
import { hashPassword } from '../../src/console/auth/passwords.js';
import type { Db } from '../../src/store/db.js';
import type { StoredFinding } from '../../src/checks/types.js';

/** A hostile unit name, as a scraped title could make one. */
export const HOSTILE = '<script>alert("x")</script>财政局';
export const PASSWORD = 'correct horse 2026';

export const USERS: Record<string, { role: Role; unitId: string | null }> = {
  admin: { role: 'admin', unitId: null },
  inspector: { role: 'inspector', unitId: null },
  mzj_user: { role: 'unit', unitId: 'mzj' },
  czj_user: { role: 'unit', unitId: 'czj' },
};

const fakeJobs: JobControl = {
  startBatch: () => Promise.reject(new Error('not in tests')),
  startRecheck: () => Promise.reject(new Error('not in tests')),
  running: () => [],
};

export interface Fixture {
  db: Db;
  env: ConsoleEnv;
  app: FastifyInstance;
  runId: number;
  outDir: string;
  /** The first finding of each unit. */
  finding: Record<'mzj' | 'czj', StoredFinding>;
  clock: { now: Date };
}

/** A store with one batch of two units (one hostile name), their findings, and an account per role. */
export async function consoleFixture(opts: ConsoleServerOptions = {}): Promise<Fixture> {
  const db = await openTestStore();
  const outDir = mkdtempSync(join(tmpdir(), 'xuncha-console-'));
  const runId = await createRun(db, { inspectionDate: '2026-11-20', seedsFile: 'test.yaml', settings: {} });
  const unit = (id: string, name: string) => ({
    id,
    name,
    level: '部门',
    startUrls: [`http://${id}.example.gov.cn/`],
    catalogues: [],
    hosts: [],
  });
  await saveUnits(db, runId, [unit('mzj', '示范区民政局'), unit('czj', HOSTILE)]);
  for (const unitId of ['mzj', 'czj'])
    await replaceFindings(
      db,
      runId,
      unitId,
      [
        {
          checkId: 'dead-links',
          unitId,
          outcome: 'fail',
          kind: 'inner-page',
          message: `死链 <img src=x onerror=alert(1)> ${unitId}`,
          url: `http://${unitId}.example.gov.cn/a.html`,
          location: '正文',
          evidence: 'HTTP 404',
        },
      ],
      [],
    );
  const all = await listFindings(db, runId);
  const finding = {
    mzj: all.find((f) => f.unitId === 'mzj')!,
    czj: all.find((f) => f.unitId === 'czj')!,
  };
  const clock = { now: new Date('2026-12-01T02:00:00Z') };
  const hash = await hashPassword(PASSWORD);
  for (const [username, u] of Object.entries(USERS))
    await createAccount(
      db,
      { username, displayName: username, role: u.role, unitId: u.unitId, email: null, passwordHash: hash },
      clock.now,
    );
  const env: ConsoleEnv = {
    db,
    log: createLogger({ quiet: true }),
    rulesDir: 'rules',
    outDir,
    issuer: '示范区人民政府办公室',
    now: () => clock.now,
    jobs: fakeJobs,
  };
  const app = createConsoleServer(env, opts);
  return { db, env, app, runId, outDir, finding, clock };
}

/** Cookies of a response as `name=value` pairs for the next request. */
export function cookiesOf(res: { cookies: { name: string; value: string }[] }): Record<string, string> {
  return Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
}

export function formToken(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!m) throw new Error('no _csrf in page');
  return m[1]!;
}

export interface Session {
  cookie: Record<string, string>;
  csrf: string;
}

/** Log in through the form as a browser does: GET /login for its token, POST it back. */
export async function login(
  app: FastifyInstance,
  username: string,
  password = PASSWORD,
  remoteAddress = '127.0.0.1',
): Promise<Session> {
  const res = await loginAttempt(app, username, password, remoteAddress);
  if (res.statusCode !== 303) throw new Error(`login ${username} failed: ${res.statusCode}`);
  const cookie = { xuncha_session: cookiesOf(res).xuncha_session! };
  const page = await app.inject({ method: 'GET', url: '/account', cookies: cookie });
  return { cookie, csrf: formToken(page.body) };
}

export async function loginAttempt(
  app: FastifyInstance,
  username: string,
  password: string,
  remoteAddress = '127.0.0.1',
) {
  const form = await app.inject({ method: 'GET', url: '/login', remoteAddress });
  return app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress,
    cookies: cookiesOf(form),
    payload: { _csrf: formToken(form.body), username, password, next: '/account' },
  });
}

/** A multipart/form-data body with text fields and at most one file. */
export function multipart(
  fields: Record<string, string>,
  file?: { field: string; name: string; type: string; data: Buffer },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----xuncha' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
