import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../helpers/testStore.js';
import { readWorkbook } from '../helpers/readBack.js';
import type { Db } from '../../src/store/db.js';
import { createRun, saveUnits, setRunStatus } from '../../src/store/runs.js';
import {
  listFindings,
  listScores,
  replaceFindings,
  replaceScores,
  type ScoreRow,
} from '../../src/store/results.js';
import { saveReview } from '../../src/store/reviews.js';
import { replaceScreenshots } from '../../src/store/screenshots.js';
import { saveBody } from '../../src/store/crawlData.js';
import { saveProbe } from '../../src/store/probes.js';
import { submitFeedback } from '../../src/store/feedback.js';
import { findingKey } from '../../src/review/findingIdentity.js';
import { createLogger } from '../../src/log.js';
import type { Finding } from '../../src/checks/types.js';
import type { Unit } from '../../src/seeds/unit.js';
import type {
  Account,
  ConsoleEnv,
  PageRequest,
  PageResult,
  PageRoute,
  RunningJob,
} from '../../src/console/types.js';
import { viewRoutes } from '../../src/console/pages/viewRoutes.js';
import { scoreRun } from '../../src/scoring/scoreRun.js';
import { consoleFixture, login } from './coreFixture.js';
import { batchReport } from '../../src/console/data/report.js';
import { buildReport } from '../../src/report/buildReport.js';
import type { InspectionReport } from '../../src/report/model.js';

/**
 * The view pages called as the server calls them (route.handle(env, req)) on a store holding two
 * batches of a three-unit county: the second batch shows changes against the first. One unit's name
 * and one finding's message are hostile markup; one finding carries an ID number and a mobile.
 */

const HOSTILE_NAME = '<script>alert(1)</script>局';
const HOSTILE_MESSAGE = '"><img src=x onerror=alert(1)>页面链接无法访问';
const ID_NUMBER = '35050219900101123X';
const MOBILE = '13812345678';
const NOW = new Date('2026-12-24T04:00:00Z');

const unit = (id: string, name: string): Unit => ({
  id,
  name,
  level: '部门',
  startUrls: [`http://${id}.example.gov.cn/`],
  catalogues: [],
  hosts: [],
});
const UNITS = [unit('mzj', '示范区民政局'), unit('jyj', '示范区教育局'), unit('evil', HOSTILE_NAME)];

const finding = (
  unitId: string,
  checkId: string,
  outcome: Finding['outcome'],
  message: string,
  url: string,
  evidence = '',
): Finding => ({
  unitId,
  checkId,
  outcome,
  kind: checkId === 'dead-links' ? 'inner-page' : 'default',
  message,
  url,
  location: '',
  evidence,
});

function score(unitId: string, s: number, rank: number): ScoreRow {
  return {
    unitId,
    score: s,
    grade: s >= 90 ? '优秀' : s >= 60 ? '合格' : '不合格',
    rank,
    vetoed: false,
    vetoReason: '',
    reasons: [
      {
        indicatorId: 'links',
        title: '链接可用性',
        kind: 'deduct',
        points: 100 - s,
        triggered: s < 100,
        findingCount: 1,
        reason: '死链',
        verified: true,
      },
    ],
  };
}

const accounts: Record<'admin' | 'inspector' | 'unit', Account> = {
  admin: { id: 1, username: 'admin', displayName: '管理员', role: 'admin', unitId: null, email: null },
  inspector: {
    id: 2,
    username: 'zhang',
    displayName: '张检查',
    role: 'inspector',
    unitId: null,
    email: null,
  },
  unit: { id: 3, username: 'mzj', displayName: '民政局用户', role: 'unit', unitId: 'mzj', email: null },
};

let db: Db;
let env: ConsoleEnv;
let running: RunningJob[] = [];
let started: unknown[] = [];
let ids: { deadMzj: number; freshMzj: number; piiEvil: number };

function req(
  role: keyof typeof accounts,
  params: Record<string, string> = {},
  query: Record<string, string> = {},
): PageRequest {
  return {
    account: accounts[role],
    params,
    query,
    form: {},
    files: {},
    csrfToken: 'tok-123',
    address: '127.0.0.1',
  };
}

function route(method: string, path: string): PageRoute {
  const r = viewRoutes.find((x) => x.method === method && x.path === path);
  if (!r) throw new Error(`no route ${method} ${path}`);
  return r;
}

async function page(path: string, role: keyof typeof accounts, params = {}, query = {}): Promise<string> {
  const result = await route('GET', path).handle(env, req(role, params, query));
  if (result.kind !== 'page') throw new Error(`expected a page, got ${JSON.stringify(result).slice(0, 200)}`);
  return result.body.text;
}

/** Table rows' cell texts (tags dropped) of the first table with this class. */
function rows(body: string, cls: string): string[][] {
  const table = new RegExp(`<table class="${cls}">([\\s\\S]*?)</table>`).exec(body)?.[1] ?? '';
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...tbody.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) =>
      c[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

function expectInert(body: string): void {
  expect(body).not.toContain('<script>alert(1)</script>');
  expect(body).not.toContain('<img src=x');
  expect(body).not.toContain(ID_NUMBER);
  expect(body).not.toContain(MOBILE);
}

beforeAll(async () => {
  db = await openTestStore();
  const outDir = mkdtempSync(join(tmpdir(), 'xuncha-console-'));
  env = {
    db,
    log: createLogger({ quiet: true }),
    rulesDir: 'rules',
    outDir,
    issuer: '示范区人民政府办公室',
    now: () => NOW,
    jobs: {
      startBatch: (by) => {
        if (running.length) return Promise.reject(new Error('已有批次正在进行（第 2 批）'));
        started.push(by);
        return Promise.resolve({ runId: 42 });
      },
      startRecheck: () => Promise.reject(new Error('unused')),
      running: () => running,
    },
  };
  // Batch 1: 民政局 first, 教育局 second, the hostile unit third.
  const r1 = await createRun(db, { inspectionDate: '2026-11-24', seedsFile: 'county.yaml', settings: {} });
  await saveUnits(db, r1, UNITS);
  await replaceFindings(
    db,
    r1,
    'mzj',
    [
      finding(
        'mzj',
        'dead-links',
        'fail',
        '页面链接无法访问（HTTP 404）',
        'http://mzj.example.gov.cn/old.html',
      ),
    ],
    [],
  );
  await replaceFindings(
    db,
    r1,
    'jyj',
    [
      finding(
        'jyj',
        'dead-links',
        'fail',
        '页面链接无法访问（HTTP 404）',
        'http://jyj.example.gov.cn/x.html',
      ),
      finding('jyj', 'homepage-freshness', 'fail', '首页 30 天未更新', 'http://jyj.example.gov.cn/'),
    ],
    [],
  );
  await replaceScores(db, r1, [score('mzj', 90, 1), score('jyj', 80, 2), score('evil', 60, 3)]);
  await setRunStatus(db, r1, 'reported');
  // Batch 2: 教育局 overtakes 民政局 (↑1, +15), 民政局 drops (↓1, −4.5), the hostile unit stays third (+10).
  const r2 = await createRun(db, { inspectionDate: '2026-12-24', seedsFile: 'county.yaml', settings: {} });
  await saveUnits(db, r2, UNITS);
  await replaceFindings(
    db,
    r2,
    'mzj',
    [
      finding('mzj', 'dead-links', 'fail', HOSTILE_MESSAGE, 'http://mzj.example.gov.cn/a.html'),
      finding('mzj', 'dead-links', 'fail', '附件链接无法访问（HTTP 404）', 'javascript:alert(1)'),
      finding(
        'mzj',
        'column-freshness',
        'warn',
        '栏目“通知公告”180 天未更新',
        'http://mzj.example.gov.cn/tzgg/',
      ),
    ],
    [],
  );
  await replaceFindings(
    db,
    r2,
    'jyj',
    [
      finding(
        'jyj',
        'homepage-freshness',
        'needs-review',
        '首页更新日期无法识别',
        'http://jyj.example.gov.cn/',
      ),
    ],
    [],
  );
  await replaceFindings(
    db,
    r2,
    'evil',
    [
      finding(
        'evil',
        'personal-data-exposure',
        'fail',
        `页面公开了身份证号 ${ID_NUMBER} 和手机号 ${MOBILE}`,
        'http://evil.example.gov.cn/gs.html',
        `张三 ${ID_NUMBER}`,
      ),
    ],
    [],
  );
  await replaceScores(db, r2, [score('jyj', 95, 1), score('mzj', 85.5, 2), score('evil', 70, 3)]);
  await setRunStatus(db, r2, 'reported');
  const stored = await listFindings(db, r2);
  const byMsg = (s: string) => stored.find((f) => f.message.includes(s))!;
  ids = { deadMzj: byMsg('onerror').id, freshMzj: byMsg('通知公告').id, piiEvil: byMsg('身份证号').id };
  const fresh = byMsg('通知公告');
  await saveReview(
    db,
    {
      findingKey: findingKey(fresh),
      unitId: 'mzj',
      checkId: fresh.checkId,
      decision: 'dismissed',
      reason: `栏目已撤销，联系人 ${MOBILE}`,
      reviewer: '张检查',
      decidedAt: '2026-12-24T03:00:00Z',
      runId: r2,
    },
    { message: fresh.message, url: fresh.url },
  );
  const pii = byMsg('身份证号');
  await submitFeedback(db, {
    finding: pii,
    findingKey: findingKey(pii),
    note: `已删除，经办人电话 ${MOBILE}`,
    submittedBy: 'evil-user',
    submittedAt: '2026-12-24T03:30:00Z',
  });
  const image = await saveBody(db, Buffer.from('fake-jpeg-bytes'));
  await replaceScreenshots(db, r2, 'mzj', [
    {
      unitId: 'mzj',
      pageUrl: 'http://mzj.example.gov.cn/',
      imageHash: image,
      copyHash: image,
      bodyHash: image,
      status: 200,
      fetchedAt: '2026-12-24T01:00:00Z',
      masked: 0,
      outlined: 1,
      located: true,
      targets: 1,
      findingIds: [ids.deadMzj],
      takenAt: '2026-12-24T02:00:00Z',
    },
  ]);
  // Probes: 民政局 every hour of the last two days, one failure in four on the last day.
  for (let h = 0; h < 48; h++) {
    const at = new Date(NOW.getTime() - (h + 1) * 3600_000).toISOString();
    await saveProbe(db, {
      unitId: 'mzj',
      url: 'http://mzj.example.gov.cn/',
      at,
      status: h < 24 && h % 4 === 0 ? 0 : 200,
      errorKind: h < 24 && h % 4 === 0 ? 'timeout' : null,
      durationMs: 120,
    });
  }
  mkdirSync(join(outDir, String(r2)), { recursive: true });
  writeFileSync(join(outDir, String(r2), '网上巡查排名.xlsx'), 'x');
  writeFileSync(join(outDir, String(r2), '整改通知-<b>.docx'), 'x');
}, 60_000);

describe('overview', () => {
  it('ranks the latest batch with its change since the previous one', async () => {
    const body = await page('/', 'inspector');
    const ranking = rows(body, 'ranking');
    expect(ranking.map((r) => r.slice(0, 2))).toEqual([
      ['1', '示范区教育局'],
      ['2', '示范区民政局'],
      ['3', '<script>alert(1)</script>局'.replace(/</g, '&lt;').replace(/>/g, '&gt;')],
    ]);
    // 升降位次 and 得分变化 (columns 6, 7).
    expect(ranking.map((r) => [r[5], r[6]])).toEqual([
      ['↑1', '+15'],
      ['↓1', '−4.5'],
      ['0', '+10'],
    ]);
    expect(body).toContain('与第 1 批（检查日期 2026-11-24）相比');
    expect(body).toContain('class="chart chart-histogram"');
    expect(body).toContain('class="chart chart-bar"');
    expect(body).toMatch(
      /<form method="post" action="\/batches"[^>]*>\s*<input type="hidden" name="_csrf" value="tok-123"/,
    );
    expectInert(body);
  });

  it('shows running batches with their progress and disables the start button', async () => {
    running = [
      { kind: 'batch', runId: 2, startedAt: '2026-12-24T03:00:00Z', startedBy: '张检查', stage: '抓取' },
    ];
    try {
      const body = await page('/', 'admin');
      expect(body).toContain('data-run-id="2"');
      expect(body).toMatch(/单位 0\/3 已抓取完/);
      expect(body).toMatch(/<button type="submit"\s+disabled>/);
      const json = await route('GET', '/api/progress').handle(env, req('admin'));
      expect(json).toEqual({
        kind: 'json',
        data: {
          now: NOW.toISOString(),
          running: [
            expect.objectContaining({
              kind: 'batch',
              runId: 2,
              stage: '抓取',
              units: 3,
              crawled: 0,
              status: 'reported',
              statusLabel: '已完成',
            }),
          ],
        },
      });
      const refused = await route('POST', '/batches').handle(env, req('inspector'));
      expect(refused).toEqual({
        kind: 'error',
        status: 409,
        message: '未能开始巡查：已有批次正在进行（第 2 批）',
      });
    } finally {
      running = [];
    }
  });

  it('starts a batch and goes to its page; a unit user is sent to their unit', async () => {
    started = [];
    expect(await route('POST', '/batches').handle(env, req('inspector'))).toEqual({
      kind: 'redirect',
      to: '/batches/42',
    });
    expect(started).toEqual([accounts.inspector]);
    expect(await route('GET', '/').handle(env, req('unit'))).toEqual({ kind: 'redirect', to: '/units/mzj' });
    expect(await route('GET', '/').unitOf!(env, req('unit'))).toBe('mzj');
  });
});

describe('batch page', () => {
  it('shows the ranking with the stored indicator points, counts and the report files', async () => {
    const body = await page('/batches/:runId', 'admin', { runId: '2' });
    const ranking = rows(body, 'ranking');
    expect(ranking.map((r) => r[1])).toEqual([
      '示范区教育局',
      '示范区民政局',
      '&lt;script&gt;alert(1)&lt;/script&gt;局',
    ]);
    const breakdown = rows(body, 'breakdown');
    expect(breakdown.map((r) => [r[1], r[4]])).toEqual([
      ['示范区教育局', '−5'],
      ['示范区民政局', '−14.5'],
      ['&lt;script&gt;alert(1)&lt;/script&gt;局', '−30'],
    ]);
    // 问题数: 民政局 has two 问题 (the dismissed 提示 is not one).
    expect(ranking[1]![4]).toBe('2');
    expect(body).toContain(
      'href="/batches/2/files/%E7%BD%91%E4%B8%8A%E5%B7%A1%E6%9F%A5%E6%8E%92%E5%90%8D.xlsx"',
    );
    expect(body).toContain('整改通知-&lt;b&gt;.docx');
    expect(body).toContain('href="/batches/2/files"');
    expectInert(body);
  });

  it('answers 404 for an unknown or malformed batch', async () => {
    for (const runId of ['999', 'abc', '0'])
      expect(await route('GET', '/batches/:runId').handle(env, req('admin', { runId }))).toMatchObject({
        kind: 'error',
        status: 404,
      });
  });
});

describe('unit page', () => {
  it('groups findings by check with evidence, screenshot, review and feedback state', async () => {
    const body = await page('/units/:unitId', 'inspector', { unitId: 'mzj' });
    const groups = [...body.matchAll(/<h4>([^<]*)<\/h4>/g)].map((m) => m[1]!.replace(/\s+/g, ' ').trim());
    expect(groups).toEqual([
      '链接可用性（链接可用性，2 条，其中问题 2 个）',
      '栏目更新情况（信息更新，1 条，其中问题 0 个）',
    ]);
    expect(body).toContain(`href="/batches/2/units/mzj/screenshots/1"`);
    expect(body).toContain('已排除：');
    expect(body).toContain(`action="/findings/${ids.deadMzj}/review"`);
    expect(body).toContain(`name="next" value="/units/mzj?run=2#finding-${ids.deadMzj}"`);
    expect(body).not.toContain('/feedback"');
    // A javascript: address stays text.
    expect(body).not.toContain('href="javascript:');
    expect(body).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(body).toContain('class="chart chart-line"');
    expectInert(body);
  });

  it('gives the unit user the feedback form and shows submitted feedback masked', async () => {
    writeFileSync(join(env.outDir, '2', '整改通知-示范区民政局.docx'), 'x');
    writeFileSync(join(env.outDir, '2', '整改通知-示范区教育局.docx'), 'x');
    const mine = await page('/units/:unitId', 'unit', { unitId: 'mzj' });
    expect(mine).toContain(`href="/batches/2/files/${encodeURIComponent('整改通知-示范区民政局.docx')}"`);
    expect(mine).not.toContain('整改通知-示范区教育局');
    expect(mine).toMatch(
      new RegExp(`action="/findings/${ids.deadMzj}/feedback"\\s+enctype="multipart/form-data"`),
    );
    expect(mine).not.toContain('/review"');
    const evil = await page('/units/:unitId', 'inspector', { unitId: 'evil' });
    expect(evil).toContain('整改反馈：待审核');
    expectInert(evil);
    expect(await route('GET', '/units/:unitId').unitOf!(env, req('unit', { unitId: 'evil' }))).toBe('evil');
  });

  it('shows an earlier batch with ?run= and answers 404 for unknown units and batches', async () => {
    const body = await page('/units/:unitId', 'admin', { unitId: 'jyj' }, { run: '1' });
    expect(body).toContain('名次：第 2 名');
    expect(body).toContain('首页 30 天未更新');
    const get = route('GET', '/units/:unitId');
    expect(await get.handle(env, req('admin', { unitId: 'nope' }))).toMatchObject({ status: 404 });
    const fresh = { ...accounts.unit, unitId: 'new-unit' };
    expect(await get.handle(env, { ...req('unit', { unitId: 'new-unit' }), account: fresh })).toMatchObject({
      kind: 'page',
      body: { text: expect.stringContaining('本单位尚未被巡查') },
    });
    expect(await get.handle(env, req('admin', { unitId: 'jyj' }, { run: '7' }))).toMatchObject({
      status: 404,
    });
  });

  it('serves the screenshot, and 404 past the last', async () => {
    const shot = route('GET', '/batches/:runId/units/:unitId/screenshots/:n');
    const ok = await shot.handle(env, req('unit', { runId: '2', unitId: 'mzj', n: '1' }));
    expect(ok).toMatchObject({ kind: 'file', type: 'image/jpeg' });
    expect((ok as Extract<PageResult, { kind: 'file' }>).data!.toString()).toBe('fake-jpeg-bytes');
    expect(await shot.handle(env, req('unit', { runId: '2', unitId: 'mzj', n: '2' }))).toMatchObject({
      status: 404,
    });
    expect(await shot.unitOf!(env, req('unit', { runId: '2', unitId: 'evil', n: '1' }))).toBe('evil');
  });
});

describe('findings', () => {
  it('filters by unit, check, outcome and review state, 50 a page', async () => {
    const all = rows(await page('/findings', 'inspector'), 'findings');
    expect(all).toHaveLength(5);
    const dead = rows(await page('/findings', 'inspector', {}, { check: 'dead-links' }), 'findings');
    expect(dead.map((r) => r[1])).toEqual(['示范区民政局', '示范区民政局']);
    const dismissed = rows(await page('/findings', 'inspector', {}, { review: 'dismissed' }), 'findings');
    expect(dismissed.map((r) => r[0])).toEqual([String(ids.freshMzj)]);
    const review = rows(
      await page('/findings', 'inspector', {}, { outcome: 'needs-review', unit: 'jyj' }),
      'findings',
    );
    expect(review.map((r) => r[4])).toEqual(['首页更新日期无法识别']);
    const earlier = rows(await page('/findings', 'inspector', {}, { run: '1' }), 'findings');
    expect(earlier).toHaveLength(3);
  });

  it('keeps a unit user to their own unit', async () => {
    const list = rows(await page('/findings', 'unit'), 'findings');
    expect(list.map((r) => r[1])).toEqual(['示范区民政局', '示范区民政局', '示范区民政局']);
    const unitOf = route('GET', '/findings').unitOf!;
    expect(await unitOf(env, req('unit'))).toBe('mzj');
    expect(await unitOf(env, req('unit', {}, { unit: 'evil' }))).toBe('evil');
    // Even past the server's check, the handler lists only their unit.
    const forced = rows(await page('/findings', 'unit', {}, { unit: 'evil' }), 'findings');
    expect(forced.every((r) => r[1] === '示范区民政局')).toBe(true);
  });

  it('exports the filtered list as CSV and XLSX, masked', async () => {
    const csv = await route('GET', '/findings.csv').handle(env, req('admin', {}, { unit: 'evil' }));
    expect(csv).toMatchObject({ kind: 'file', type: 'text/csv; charset=utf-8' });
    const text = (csv as Extract<PageResult, { kind: 'file' }>).data!.toString('utf8');
    expect(text.startsWith('\uFEFF编号,单位,检查项')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('<script>alert(1)</script>局');
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain(MOBILE);
    expect(text).toContain('350502********123X');
    const xlsx = await route('GET', '/findings.xlsx').handle(env, req('admin', {}, { check: 'dead-links' }));
    const sheet = (await readWorkbook((xlsx as Extract<PageResult, { kind: 'file' }>).data!))['问题清单']!;
    expect(sheet[1]![0]).toBe('编号');
    expect(sheet.slice(2).map((r) => r[5])).toEqual([HOSTILE_MESSAGE, '附件链接无法访问（HTTP 404）']);
  });
});

describe('probes', () => {
  it('shows availability per unit and one unit by day', async () => {
    const body = await page('/probes', 'inspector');
    const table = rows(body, 'probes');
    const mzj = table.find((r) => r[0] === '示范区民政局')!;
    expect(mzj.slice(1, 4)).toEqual(['48', '6', '87.5%']);
    expect(body).toContain('class="chart chart-strip"');
    expectInert(body);
    const one = await page('/probes', 'unit');
    expect(one).toContain('近 7 天监测 48 次，失败 6 次');
    expect(one).toContain('class="chart chart-line"');
    expect(await route('GET', '/probes').unitOf!(env, req('unit'))).toBe('mzj');
    expect(await route('GET', '/probes').handle(env, req('admin', {}, { unit: 'nope' }))).toMatchObject({
      status: 404,
    });
  });
});

describe('the batch as the reports see it', () => {
  it('is the InspectionReport of buildReport, also after a review decision and a re-scoring', async () => {
    const strip = (r: InspectionReport) => ({ ...r, finishedAt: '' });
    const opts = { rulesDir: env.rulesDir, issuer: env.issuer };
    expect(strip((await batchReport(env, 2))!)).toEqual(strip(await buildReport(db, 2, opts)));
    const before = rows(await page('/', 'admin'), 'ranking').find((r) => r[1] === '示范区教育局')!;
    expect(before[4]).toBe('0');
    // A reviewer confirms 教育局's needs-review finding: it becomes a 问题 on the next view.
    const f = (await listFindings(db, 2)).find((x) => x.unitId === 'jyj')!;
    await saveReview(
      db,
      {
        findingKey: findingKey(f),
        unitId: 'jyj',
        checkId: f.checkId,
        decision: 'confirmed',
        reason: '已核实',
        reviewer: '张检查',
        decidedAt: '2026-12-24T03:40:00Z',
        runId: 2,
      },
      { message: f.message, url: f.url },
    );
    const after = rows(await page('/', 'admin'), 'ranking').find((r) => r[1] === '示范区教育局')!;
    expect(after[4]).toBe('1');
    expect(strip((await batchReport(env, 2))!)).toEqual(strip(await buildReport(db, 2, opts)));
    // Re-scored (as xuncha score after the reviews): the ranking follows the stored scores.
    const original = await listScores(db, 2);
    await replaceScores(db, 2, [score('evil', 99, 1), score('jyj', 95, 2), score('mzj', 85.5, 3)]);
    try {
      const report = (await batchReport(env, 2))!;
      expect(report.units.map((u) => [u.id, u.rank, u.previous?.rank])).toEqual([
        ['evil', 1, 3],
        ['jyj', 2, 2],
        ['mzj', 3, 1],
      ]);
      expect(strip(report)).toEqual(strip(await buildReport(db, 2, opts)));
    } finally {
      await replaceScores(db, 2, original);
    }
  });
});

describe('an unfinished batch', () => {
  it('shows its crawl progress, polled only while this console runs it', async () => {
    const r3 = await createRun(db, { inspectionDate: '2027-01-24', seedsFile: 'county.yaml', settings: {} });
    await saveUnits(db, r3, UNITS);
    const still = await page('/batches/:runId', 'admin', { runId: String(r3) });
    expect(still).toContain('单位 0/3 已抓取完（失败 0），页面 0 已抓、0 待抓');
    expect(still).not.toContain('id="running"');
    running = [
      { kind: 'batch', runId: r3, startedAt: '2027-01-24T01:00:00Z', startedBy: '张检查', stage: '抓取' },
    ];
    try {
      const live = await page('/batches/:runId', 'admin', { runId: String(r3) });
      expect(live).toContain('<section id="running" data-progress-url="/api/progress">');
      expect(live).toContain(`data-run-id="${r3}"`);
    } finally {
      running = [];
    }
    // The overview still ranks the newest scored batch.
    expect(await page('/', 'admin')).toContain('最新排名：<a href="/batches/2">第 2 批</a>');
  });
});

describe('every route', () => {
  it('names a unit for every route a 单位用户 may use', () => {
    for (const r of viewRoutes) if (r.roles.includes('unit')) expect(r.unitOf, r.path).toBeDefined();
  });
});

describe('through the console server', () => {
  it('serves every view page to the roles it admits, and keeps a unit user to their unit', async () => {
    const fx = await consoleFixture();
    await scoreRun(fx.db, fx.runId, 'rules/indicators/national-2019.yaml');
    await setRunStatus(fx.db, fx.runId, 'reported');
    const get = async (who: string, url: string) => {
      const s = await login(fx.app, who);
      const res = await fx.app.inject({ method: 'GET', url, cookies: s.cookie });
      // Markup stays text in every page (a CSV or workbook is not markup: it keeps the text as is).
      if (String(res.headers['content-type']).startsWith('text/html')) {
        expect(res.body).not.toContain('<script>alert("x")');
        expect(res.body).not.toContain('<img src=x');
      }
      return res;
    };
    for (const url of [
      '/',
      '/batches',
      `/batches/${fx.runId}`,
      '/units/czj',
      '/findings',
      '/findings?check=dead-links',
      '/probes',
      '/findings.csv',
    ])
      expect((await get('inspector', url)).statusCode, url).toBe(200);
    expect((await get('admin', '/api/progress')).json()).toEqual({
      now: '2026-12-01T02:00:00.000Z',
      running: [],
    });
    expect((await get('mzj_user', '/')).headers.location).toBe('/units/mzj');
    for (const url of ['/units/mzj', '/findings', '/findings?unit=mzj', '/probes', '/findings.xlsx'])
      expect((await get('mzj_user', url)).statusCode, url).toBe(200);
    for (const url of [
      '/units/czj',
      '/findings?unit=czj',
      '/probes?unit=czj',
      '/findings.csv?unit=czj',
      `/batches/${fx.runId}`,
      '/api/progress',
    ])
      expect((await get('mzj_user', url)).statusCode, url).toBe(403);
    const mine = await get('mzj_user', '/findings');
    expect(mine.body).toContain('死链 &lt;img src=x onerror=alert(1)&gt; mzj');
    expect(mine.body).not.toContain('czj');
    // Starting a batch is a form with its token: without it the server refuses.
    const s = await login(fx.app, 'inspector');
    const bare = await fx.app.inject({ method: 'POST', url: '/batches', cookies: s.cookie, payload: {} });
    expect(bare.statusCode).toBe(403);
    const refused = await fx.app.inject({
      method: 'POST',
      url: '/batches',
      cookies: s.cookie,
      payload: { _csrf: s.csrf },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('未能开始巡查');
    // The unit page's review form comes back to the finding, decided; the feedback form likewise.
    const unitPage = (await get('inspector', '/units/mzj')).body;
    const id = fx.finding.mzj.id;
    const next = new RegExp(`action="/findings/${id}/review"[\\s\\S]*?name="next" value="([^"]+)"`).exec(
      unitPage,
    )![1]!;
    const reviewed = await fx.app.inject({
      method: 'POST',
      url: `/findings/${id}/review`,
      cookies: s.cookie,
      payload: { _csrf: s.csrf, decision: 'dismissed', reason: '测试页面', next },
    });
    expect(reviewed.statusCode).toBe(303);
    expect(reviewed.headers.location).toBe(`/units/mzj?run=${fx.runId}#finding-${id}`);
    expect((await get('inspector', '/units/mzj')).body).toContain('已排除：');
    const u = await login(fx.app, 'mzj_user');
    const own = (await fx.app.inject({ method: 'GET', url: '/units/mzj', cookies: u.cookie })).body;
    expect(own).not.toContain(`/findings/${id}/feedback`); // dismissed: nothing to answer
    await fx.app.close();
  }, 60_000);
});
