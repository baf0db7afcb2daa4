/**
 * The README's pictures of the web console, taken from a finished demo's store (never by hand):
 *   npx tsx scripts/console-pictures.ts [--db <store of a finished demo>] [--out <its reports folder>] [docs/pictures]
 * - console-overview.png: 巡查总览 (/): the latest ranking with its change, the charts
 * - console-unit.png: the page of the unit with the most problems in that batch (/units/<id>?run=<n>),
 *   its 政府信息公开专栏 list shortened (marked 图中从略) so that its findings are in the picture
 * The store is copied to a temporary file first and only the copy is opened: logging in needs an
 * account, and the user's store gets neither that account nor the audit lines of its login.
 * The console runs in this process on 127.0.0.1 (any free port); Chromium is Debian's
 * /usr/bin/chromium; nothing is fetched from the network.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_PATH, LAUNCH_ARGS } from '../src/render/htmlToPdf.js';
import { closeStore, isPostgres, openStore, type Db } from '../src/store/db.js';
import { createAccount, findAccountByUsername, setAccountPassword } from '../src/store/accounts.js';
import { hashPassword } from '../src/console/auth/passwords.js';
import { createConsoleServer } from '../src/console/server.js';
import { createJobControl } from '../src/jobs/jobControl.js';
import { batchReport } from '../src/console/data/report.js';
import { latestRanked, listBatches } from '../src/console/data/batches.js';
import { countProblems } from '../src/report/counts.js';
import { createLogger } from '../src/log.js';
import type { ConsoleEnv } from '../src/console/types.js';

const VIEWPORT = { width: 1280, height: 800 };
/** Taller pages are cut here: the top holds what the picture is for, and the PNG stays small. */
const MAX_HEIGHT = 1600;
/** Above this a picture weighs on the README (and on the repository): say so. */
const MAX_BYTES = 400 * 1024;
const USERNAME = 'readme-pictures';

/** A consistent copy of a SQLite store, even while a console or a batch is writing to it (WAL). */
async function copyStore(location: string, dir: string): Promise<string> {
  if (isPostgres(location)) throw new Error('只支持 SQLite 文件：脚本在数据库的副本上操作，不改动原数据库。');
  if (!existsSync(location)) throw new Error(`找不到数据库 ${location}（请先运行 xuncha demo）`);
  const copy = join(dir, 'store.db');
  const source = new Database(location, { readonly: true, fileMustExist: true });
  try {
    await source.backup(copy);
  } finally {
    source.close();
  }
  return copy;
}

/** A 管理员 in the copy with a password known only to this process. */
async function throwAwayAdmin(db: Db): Promise<string> {
  const password = `Pics-${randomBytes(18).toString('base64url')}`;
  const passwordHash = await hashPassword(password);
  const now = new Date();
  const existing = await findAccountByUsername(db, USERNAME);
  if (existing) await setAccountPassword(db, existing.id, passwordHash, now);
  else
    await createAccount(
      db,
      { username: USERNAME, displayName: '管理员', role: 'admin', unitId: null, email: null, passwordHash },
      now,
    );
  return password;
}

/**
 * A 街道's 政府信息公开专栏 list names some 30 标准目录 with their addresses: in the picture it would
 * fill the height and push the findings out. Keep its first items and say in the page that the
 * rest is left out of the picture, so the picture does not pass for the page as served.
 */
const ELIDE_DISCLOSURE = `(() => {
  const items = [...document.querySelectorAll('ul.disclosure > li')];
  const keep = 4;
  if (items.length <= keep + 1) return;
  for (const li of items.slice(keep)) li.style.display = 'none';
  const note = document.createElement('li');
  note.textContent = '……（另 ' + (items.length - keep) + ' 项，图中从略）';
  items[0].parentElement.appendChild(note);
})()`;

/** Screenshot the page at `path`, refusing an error page or a page that logged an error. */
async function shoot(page: Page, base: string, path: string, file: string, prepare?: string): Promise<void> {
  const errors: string[] = [];
  const onConsole = (m: { type(): string; text(): string }) => {
    if (m.type() === 'error') errors.push(m.text());
  };
  const onPageError = (e: Error) => errors.push(e.message);
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  try {
    const response = await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
    if (!response || response.status() !== 200)
      throw new Error(`${path} 返回 ${response?.status() ?? '无响应'}，不截图`);
    if (new URL(page.url()).pathname === '/login') throw new Error(`${path} 要求重新登录，不截图`);
    if (errors.length) throw new Error(`${path} 出现错误：${errors.join('；')}`);
    if (prepare) await page.evaluate(prepare);
    // Full page, but no taller than MAX_HEIGHT: a long unit page would make a PNG of megabytes.
    const height = Math.min(MAX_HEIGHT, await page.evaluate(() => document.documentElement.scrollHeight));
    await page.screenshot({
      path: file,
      fullPage: true,
      clip: { x: 0, y: 0, width: VIEWPORT.width, height },
    });
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      db: { type: 'string', default: process.env.XUNCHA_STORE || '.xuncha/xuncha.db' },
      out: { type: 'string', default: 'reports/out' },
    },
    allowPositionals: true,
  });
  const pictures = resolve(positionals[0] ?? 'docs/pictures');
  mkdirSync(pictures, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'xuncha-console-pictures-'));
  try {
    const db = await openStore(await copyStore(values.db, tmp));
    try {
      const password = await throwAwayAdmin(db);
      const options = {
        db,
        log: createLogger({ quiet: true }),
        rulesDir: 'rules',
        outDir: resolve(values.out),
        issuer: '示范区人民政府办公室（政务公开办）',
        now: () => new Date(),
      };
      // No scheduler: the pictures must not start a batch or a probe on the copy.
      const jobs = createJobControl(options);
      const env: ConsoleEnv = { ...options, jobs };
      // The overview shows the newest scored batch; the unit page is of the same batch.
      const latest = latestRanked(await listBatches(db));
      const report = latest ? await batchReport(env, latest.id) : undefined;
      if (!report) throw new Error(`${values.db} 中没有完成评分的批次（请先运行 xuncha demo）`);
      const unit = [...report.units].sort((a, b) => countProblems(b.findings) - countProblems(a.findings))[0];
      if (!unit) throw new Error(`第 ${report.runId} 批没有单位`);
      const app = createConsoleServer(env);
      await app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS });
      try {
        const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
        const page = await context.newPage();
        await page.goto(`${base}/login`);
        await page.fill('input[name=username]', USERNAME);
        await page.fill('input[name=password]', password);
        await Promise.all([
          page.waitForNavigation(),
          page.click('form[action="/login"] button[type=submit]'),
        ]);
        if (new URL(page.url()).pathname === '/login') throw new Error('未能登录控制台');
        const overview = join(pictures, 'console-overview.png');
        const unitPage = join(pictures, 'console-unit.png');
        await shoot(page, base, '/', overview);
        await shoot(
          page,
          base,
          `/units/${encodeURIComponent(unit.id)}?run=${report.runId}`,
          unitPage,
          ELIDE_DISCLOSURE,
        );
        for (const f of [overview, unitPage]) {
          const size = statSync(f).size;
          console.log(`${f}：${Math.round(size / 1024)} KB`);
          if (size > MAX_BYTES) console.warn(`  超过 ${MAX_BYTES / 1024} KB，请减小 MAX_HEIGHT`);
        }
        console.log(
          `总览为第 ${report.runId} 批；单位页为问题最多的「${unit.name}」（${countProblems(unit.findings)} 个问题）`,
        );
      } finally {
        await browser.close();
        await app.close();
        await jobs.close();
      }
    } finally {
      await closeStore(db);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
