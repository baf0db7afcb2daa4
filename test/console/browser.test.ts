import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { CHROMIUM_PATH, LAUNCH_ARGS } from '../../src/render/htmlToPdf.js';
import { startDemoCounty, type DemoCounty } from '../../src/demo/county.js';
import { readSeeds } from '../../src/seeds/readSeeds.js';
import { saveRoster } from '../../src/jobs/roster.js';
import { createJobControl } from '../../src/jobs/jobControl.js';
import { createConsoleServer } from '../../src/console/server.js';
import { createAccount } from '../../src/store/accounts.js';
import { hashPassword } from '../../src/console/auth/passwords.js';
import { putSetting, SETTING_CRAWL } from '../../src/store/consoleSettings.js';
import { listReviewedFindings } from '../../src/store/reviews.js';
import { listFeedback } from '../../src/store/feedback.js';
import { listAudit } from '../../src/store/audit.js';
import { latestRunId, getRun } from '../../src/store/runs.js';
import { createLogger } from '../../src/log.js';
import type { ConsoleEnv, Role } from '../../src/console/types.js';
import type { Db } from '../../src/store/db.js';
import { openTestStore } from '../helpers/testStore.js';

/**
 * The console in Debian's Chromium, as an office uses it: an inspector starts a batch on the demo
 * county and watches it finish, reviews a finding; a unit user submits 整改反馈 and is refused
 * another unit's pages and files; the inspector accepts the feedback; a form without its CSRF token
 * is refused; a hostile page title and link texts crawled from a unit's site stay inert on every
 * page; no page logs a console error beyond the refusals the test asks for.
 */

const PASSWORD = 'Browser-test 2026!';
/** What a hostile site puts in its title and link texts: it must only ever be text. */
const HOSTILE = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;

let county: DemoCounty;
let hostile: Server;
let db: Db;
let app: FastifyInstance;
let env: ConsoleEnv;
let base: string;
let browser: Browser;
let dir: string;
const consoleErrors: string[] = [];

/** A unit site whose title and link texts are markup, with dead links so findings quote them. */
function hostileSite(): Promise<Server> {
  const page = (title: string, body: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        page(
          HOSTILE,
          `<h1>${HOSTILE}</h1><a href="/gone1.html">${HOSTILE}</a> <a href="/gone2.html">"><svg onload=window.__pwned=1></a> <a href="/news.html">新闻</a>`,
        ),
      );
    } else if (path === '/news.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page(`${HOSTILE}新闻`, `<p>发布时间：2026-11-01</p><a href="/gone3.html">${HOSTILE}</a>`));
    } else {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('404', 'not found'));
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  county = await startDemoCounty({ today: new Date() });
  hostile = await hostileSite();
  dir = mkdtempSync(join(tmpdir(), 'xuncha-console-browser-'));
  const seeds = join(dir, 'units.yaml');
  const origin = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  writeFileSync(
    seeds,
    `${county.seedsText.trimEnd()}\n  - id: hostile\n    name: 恶意标题测试单位\n    level: 部门\n    start: ["${origin}/"]\n`,
  );
  db = await openTestStore();
  const now = new Date();
  await saveRoster(db, readSeeds(seeds), seeds, 'test', now);
  // The sample sites are on this machine: no need for the default half-second between requests.
  await putSetting(db, SETTING_CRAWL, { perHostDelayMs: 25, screenshots: false }, 'test', now);
  const log = createLogger({ quiet: true });
  const options = {
    db,
    log,
    rulesDir: 'rules',
    outDir: join(dir, 'out'),
    issuer: '示范县政务公开办',
    now: () => new Date(),
  };
  const jobs = createJobControl(options);
  env = { ...options, jobs };
  for (const [username, role, unitId] of [
    ['inspector', 'inspector', null],
    ['admin', 'admin', null],
    ['mzj_user', 'unit', 'mzj'],
    ['hostile_user', 'unit', 'hostile'],
  ] as [string, Role, string | null][])
    await createAccount(
      db,
      {
        username,
        displayName: username,
        role,
        unitId,
        email: null,
        passwordHash: await hashPassword(PASSWORD),
      },
      now,
    );
  app = createConsoleServer(env);
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await (env?.jobs as { close?: () => Promise<void> } | undefined)?.close?.();
  await county?.close();
  await new Promise((r) => hostile?.close(r));
});

/** A fresh browser session, logged in as `username`; every console error and dialog is recorded. */
async function loginAs(username: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (m) => {
    // A refusal the test asks for (401 wrong password, 403 other unit) is logged by Chromium as a
    // failed resource load: expected. Anything else is a fault of the console's pages.
    if (m.type() === 'error' && !/status of 40[13]/.test(m.text()))
      consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  page.on('dialog', (d) => {
    consoleErrors.push(`dialog on ${page.url()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`${base}/`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
  expect(new URL(page.url()).pathname).not.toBe('/login');
  return { context, page };
}

/** No script from crawled text ran on this page. */
async function inert(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
}

let runId = 0;

describe('the console in a browser', () => {
  it('without a session, every page leads to the login page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const path of ['/', '/findings', '/units/mzj', '/batches/1/files', '/audit', '/settings/units']) {
      await page.goto(`${base}${path}`);
      expect(new URL(page.url()).pathname, path).toBe('/login');
    }
    await context.close();
  });

  it('an inspector starts a batch on the demo county and watches it finish', async () => {
    const { context, page } = await loginAs('inspector');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/batches"] button[type=submit]')]);
    runId = Number(/\/batches\/(\d+)/.exec(page.url())?.[1]);
    expect(runId).toBeGreaterThan(0);
    // The page shows the batch running, then (console.js reloads it as progress changes) finished.
    await page.waitForFunction(
      () => !document.querySelector('#running') || /已完成|已生成报告|报告/.test(document.body.innerText),
      undefined,
      { timeout: 240_000, polling: 1000 },
    );
    await (env.jobs as unknown as { settled(): Promise<void> }).settled();
    expect((await getRun(db, runId))?.status).toBe('reported');
    expect(await latestRunId(db)).toBe(runId);
    await page.goto(`${base}/batches/${runId}`);
    const text = await page.innerText('main');
    for (const name of ['恶意标题测试单位']) expect(text).toContain(name);
    await inert(page);
    await context.close();
  }, 300_000);

  it('an inspector reviews a finding, through the ledger xuncha review reads', async () => {
    const { context, page } = await loginAs('inspector');
    await page.goto(`${base}/units/mzj?run=${runId}`);
    const form = page.locator('form.review-form').first();
    await form.locator('select[name=decision]').selectOption('confirmed');
    await form.locator('input[name=reason]').fill('人工核实确有此问题');
    await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
    const reviewed = (await listReviewedFindings(db, runId)).filter((f) => f.review);
    // The ledger keys a decision by the finding's identity: every finding of this batch with that
    // identity carries it, and nothing else does.
    expect(reviewed.length).toBeGreaterThanOrEqual(1);
    expect(new Set(reviewed.map((f) => f.review!.findingKey)).size).toBe(1);
    for (const f of reviewed)
      expect(f.review).toMatchObject({
        decision: 'confirmed',
        reason: '人工核实确有此问题',
        reviewer: 'inspector',
      });
    await context.close();
  }, 60_000);

  it('a unit user submits 整改反馈, and is refused another unit’s pages and files', async () => {
    const { context, page } = await loginAs('mzj_user');
    // Their home is their own unit.
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/units/mzj');
    const form = page.locator('form.feedback-form').first();
    await form.locator('textarea[name=note]').fill('已删除失效链接并更新栏目');
    await form.locator('input[name=file]').setInputFiles({
      name: '整改说明.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('整改情况说明'),
    });
    await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
    const submitted = await listFeedback(db, { unitId: 'mzj' });
    expect(submitted).toHaveLength(1);
    expect(submitted[0]).toMatchObject({
      state: 'submitted',
      note: '已删除失效链接并更新栏目',
      hasFile: true,
    });

    // Their own notice downloads.
    await page.goto(`${base}/batches/${runId}/files`);
    const own = page.locator('a[href*="/files/"]').filter({ hasText: '.docx' }).first();
    const [download] = await Promise.all([page.waitForEvent('download'), own.click()]);
    expect(download.suggestedFilename()).toMatch(/\.docx$/);

    // Another unit's page, finding list, notice and feedback file: 403, whatever the URL.
    for (const path of [
      '/units/hostile',
      `/units/hostile?run=${runId}`,
      '/findings?unit=hostile',
      '/batches/' + runId,
    ])
      expect((await page.goto(`${base}${path}`))?.status(), path).toBe(403);
    const files = await context.request.get(`${base}/batches/${runId}/files`);
    expect(files.status()).toBe(200);
    const others = await (
      await context.request.get(`${base}/batches/${runId}/files?unit=hostile`, { maxRedirects: 0 })
    ).text();
    expect(others).not.toContain('恶意标题测试单位');
    // The other unit's notices, as writeReports named them: refused by URL.
    const batchDir = join(dir, 'out', String(runId));
    const theirs = readdirSync(batchDir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.includes('恶意标题测试单位') && /\.(docx|pdf)$/.test(f),
    );
    expect(theirs.length).toBeGreaterThan(0);
    for (const f of theirs) {
      const url = `${base}/batches/${runId}/files/${f.split('/').map(encodeURIComponent).join('/')}`;
      expect((await context.request.get(url)).status(), f).toBe(403);
    }

    // A form posted without its CSRF token is refused, even with a live session.
    const forged = await context.request.post(`${base}/findings/${submitted[0]!.findingId}/feedback`, {
      form: { note: '伪造的提交' },
    });
    expect(forged.status()).toBe(403);
    expect(await listFeedback(db, { unitId: 'mzj' })).toHaveLength(1);
    await context.close();
  }, 90_000);

  it('the inspector accepts the feedback; the decision is in the audit log', async () => {
    const { context, page } = await loginAs('inspector');
    const [feedback] = await listFeedback(db, { unitId: 'mzj' });
    await page.goto(`${base}/feedback/${feedback!.id}`);
    await page.fill('form.decide textarea[name=note]', '材料齐全，予以认可');
    await Promise.all([page.waitForNavigation(), page.click('form.decide button[value=accepted]')]);
    expect((await listFeedback(db, { unitId: 'mzj' }))[0]).toMatchObject({ state: 'accepted' });
    const actions = (await listAudit(db, {})).map((a) => a.action);
    expect(actions.some((a) => /feedback/.test(a) && /submit/.test(a))).toBe(true);
    expect(actions.some((a) => /feedback/.test(a) && /accept|decide/.test(a))).toBe(true);
    expect(actions.some((a) => /review/.test(a))).toBe(true);
    // A CSRF-less start of a batch is refused as well.
    expect((await context.request.post(`${base}/batches`, { form: {} })).status()).toBe(403);
    await context.close();
  }, 60_000);

  it('hostile crawled text stays inert on every page, for every role', async () => {
    for (const user of ['inspector', 'admin', 'hostile_user']) {
      const { context, page } = await loginAs(user);
      const paths =
        user === 'hostile_user'
          ? [`/units/hostile?run=${runId}`, `/findings?unit=hostile`, '/feedback', `/batches/${runId}/files`]
          : [
              '/',
              `/batches/${runId}`,
              `/units/hostile?run=${runId}`,
              `/findings?run=${runId}`,
              `/findings?run=${runId}&unit=hostile`,
              '/probes',
              '/feedback',
              `/batches/${runId}/files`,
              ...(user === 'admin'
                ? ['/audit', '/accounts', '/settings/units', '/settings/schedule', '/settings/mail']
                : []),
            ];
      for (const path of paths) {
        const response = await page.goto(`${base}${path}`);
        expect(response?.status(), `${user} ${path}`).toBe(200);
        await inert(page);
      }
      // The hostile unit's findings quote its markup as text.
      if (user !== 'admin') {
        await page.goto(`${base}/units/hostile?run=${runId}`);
        // The markup reached the page (quoted by its findings) — as text, never as elements.
        expect(await page.innerText('main')).toContain('<img src=x onerror=');
        expect(await page.locator('main img[src=x], main svg[onload], main script').count()).toBe(0);
      }
      await context.close();
    }
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
