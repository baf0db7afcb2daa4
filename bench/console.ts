/**
 * Page load times of the console's view pages for a county of N units (default 100): a store under
 * --dir is filled through the store functions with two batches — per unit a few hundred crawled
 * pages with their links, 10–80 findings across the checks (dead links, stale columns, catalogue
 * gaps, personal data …), scores from scoreRun, a few screenshots, a week of hourly probes, some
 * review decisions and 整改反馈 — then each page's handler is called as the server calls it
 * (route.handle(env, req)) and timed: the first call (the batch's InspectionReport built, as after
 * a restart or a change) and the median of --repeat warm calls (the report from the console's
 * cache, re-validated by its fingerprint), and the unit page right after a review decision (the
 * cached batches brought up to date). HTML size is the page body without the layout.
 * Figures only: never a test.
 *
 * Usage: npx tsx bench/console.ts [--units 100] [--pages 300] [--repeat 7] [--dir /tmp/xuncha-console-bench]
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { closeStore, inTransaction, openStore, type Db } from '../src/store/db.js';
import { createRun, saveUnits, setCrawlStatus, setRunStatus } from '../src/store/runs.js';
import { listFindings, replaceFindings } from '../src/store/results.js';
import { saveBody, saveLinks, saveResource } from '../src/store/crawlData.js';
import { replaceScreenshots } from '../src/store/screenshots.js';
import { saveProbe } from '../src/store/probes.js';
import { saveReview } from '../src/store/reviews.js';
import { submitFeedback } from '../src/store/feedback.js';
import { scoreRun } from '../src/scoring/scoreRun.js';
import { findingKey } from '../src/review/findingIdentity.js';
import { createLogger } from '../src/log.js';
import type { Finding } from '../src/checks/types.js';
import type { Unit } from '../src/seeds/unit.js';
import type { Account, ConsoleEnv, PageRequest } from '../src/console/types.js';
import { viewRoutes } from '../src/console/pages/viewRoutes.js';
import { forgetReports } from '../src/console/data/report.js';

const { values } = parseArgs({
  options: {
    units: { type: 'string', default: '100' },
    pages: { type: 'string', default: '300' },
    repeat: { type: 'string', default: '7' },
    dir: { type: 'string', default: '/tmp/xuncha-console-bench' },
  },
});
const UNITS = Number(values.units);
const PAGES = Number(values.pages);
const REPEAT = Number(values.repeat);
const NOW = new Date('2026-12-24T04:00:00Z');

/** A small deterministic generator: the same store every run. */
let seed = 17;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;

const LEVELS = ['部门', '部门', '部门', '乡镇（街道）', '乡镇（街道）'];
const units: Unit[] = Array.from({ length: UNITS }, (_, i) => ({
  id: `u${String(i).padStart(3, '0')}`,
  name: i % 3 === 0 ? `示范县第${i}乡镇人民政府` : `示范县第${i}局`,
  level: LEVELS[i % LEVELS.length]!,
  startUrls: [`http://u${i}.example.gov.cn/`],
  catalogues: [],
  hosts: [],
}));

/** Findings a unit of a county typically has in one batch (check, kind, outcome, message). */
const KINDS: [string, string, Finding['outcome'], string][] = [
  ['dead-links', 'inner-page', 'fail', '页面链接无法访问（HTTP 404）'],
  ['dead-links', 'attachment', 'fail', '附件无法下载（HTTP 404）'],
  ['dead-links', 'external', 'warn', '外部链接无法访问（超时）'],
  ['column-freshness', 'notice', 'fail', '栏目“通知公告”已 200 天未更新'],
  ['column-freshness', 'other', 'warn', '栏目“工作动态”已 300 天未更新'],
  ['blank-columns', 'blank', 'fail', '栏目“规划计划”无内容'],
  ['catalogue-coverage', 'missing', 'fail', '标准目录缺少二级事项“救助标准”'],
  ['catalogue-elements', 'elements', 'fail', '目录行缺少“公开时限”要素'],
  ['disclosure-timeliness', 'late', 'fail', '文件发布晚于时限 12 个工作日'],
  ['policy-interpretation', 'missing', 'needs-review', '规范性文件未见解读'],
  ['personal-data-exposure', 'id-card', 'fail', '附件公开了未脱敏的身份证号 35050219900101123X'],
  ['site-identity', 'code-malformed', 'fail', '网站标识码格式错误'],
];

function findingsFor(u: Unit, batch: number): Finding[] {
  const n = 10 + Math.floor(rand() * 70) - batch * 5;
  return Array.from({ length: Math.max(3, n) }, (_, j) => {
    const [checkId, kind, outcome, message] = pick(KINDS);
    return {
      unitId: u.id,
      checkId,
      outcome,
      kind,
      message,
      url: `http://${u.id}.example.gov.cn/col${j % 9}/t2026${j}.html`,
      location: `第 ${j % 5} 页`,
      evidence: `证据摘录 ${j}：联系电话 13812345678`,
    };
  });
}

async function fillBatch(db: Db, date: string, batch: number): Promise<number> {
  const runId = await createRun(db, { inspectionDate: date, seedsFile: 'county.yaml', settings: {} });
  await saveUnits(db, runId, units);
  const image = await saveBody(db, Buffer.from(`fake-jpeg-${batch}`));
  for (const u of units) {
    await inTransaction(db, async (trx) => {
      for (let p = 0; p < PAGES; p++) {
        const url = `http://${u.id}.example.gov.cn/col${p % 9}/t${p}.html`;
        const dead = p % 97 === 5;
        await saveResource(trx, runId, u.id, {
          url,
          finalUrl: url,
          kind: p % 10 === 9 ? 'attachment' : 'page',
          depth: 2,
          status: dead ? 404 : 200,
          errorKind: dead ? 'http-4xx' : null,
          error: null,
          contentType: 'text/html',
          charset: 'utf-8',
          headers: {},
          fetchedAt: `${date}T01:00:00Z`,
          durationMs: 80,
          size: 20_000,
          contentHash: null,
        });
        const links = Array.from({ length: 30 }, (_, k) => ({
          toUrl: `http://${u.id}.example.gov.cn/col${k % 9}/t${(p + k * 7) % PAGES}.html`,
          anchor: `文章${k}`,
          tag: 'a',
        }));
        if (p % 10 !== 9) await saveLinks(trx, runId, u.id, url, links);
      }
    });
    await setCrawlStatus(db, runId, u.id, 'done');
    await replaceFindings(db, runId, u.id, findingsFor(u, batch), []);
  }
  const stored = await listFindings(db, runId);
  for (const u of units) {
    const mine = stored.filter((f) => f.unitId === u.id).slice(0, 10);
    await replaceScreenshots(
      db,
      runId,
      u.id,
      mine.map((f) => ({
        unitId: u.id,
        pageUrl: f.url,
        imageHash: image,
        copyHash: image,
        bodyHash: image,
        status: 200,
        fetchedAt: `${date}T01:00:00Z`,
        masked: 0,
        outlined: 1,
        located: true,
        targets: 1,
        findingIds: [f.id],
        takenAt: `${date}T02:00:00Z`,
      })),
    );
  }
  // One finding in twenty dismissed by a reviewer; one in ten answered with 整改反馈.
  for (const [i, f] of stored.entries()) {
    if (i % 20 === 0)
      await saveReview(
        db,
        {
          findingKey: findingKey(f),
          unitId: f.unitId,
          checkId: f.checkId,
          decision: 'dismissed',
          reason: '误报',
          reviewer: '检查员',
          decidedAt: `${date}T03:00:00Z`,
          runId,
        },
        { message: f.message, url: f.url },
      );
    if (i % 10 === 1)
      await submitFeedback(db, {
        finding: f,
        findingKey: findingKey(f),
        note: '已整改',
        submittedBy: f.unitId,
        submittedAt: `${date}T05:00:00Z`,
      });
  }
  await scoreRun(db, runId, 'rules/indicators/national-2019.yaml');
  await setRunStatus(db, runId, 'reported');
  return runId;
}

async function fillProbes(db: Db): Promise<void> {
  await inTransaction(db, async (trx) => {
    for (const u of units)
      for (let h = 0; h < 7 * 24; h++) {
        const failed = rand() < 0.02;
        await saveProbe(trx, {
          unitId: u.id,
          url: u.startUrls[0]!,
          at: new Date(NOW.getTime() - h * 3600_000).toISOString(),
          status: failed ? 0 : 200,
          errorKind: failed ? 'timeout' : null,
          durationMs: 150,
        });
      }
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  rmSync(values.dir, { recursive: true, force: true });
  mkdirSync(values.dir, { recursive: true });
  const db = await openStore(join(values.dir, 'xuncha.db'));
  let t = performance.now();
  await fillBatch(db, '2026-11-24', 0);
  const run2 = await fillBatch(db, '2026-12-24', 1);
  await fillProbes(db);
  const findings = (await listFindings(db, run2)).length;
  console.log(
    `store: ${UNITS} units × 2 batches, ${PAGES} pages/unit, ${findings} findings in batch ${run2}, ` +
      `${UNITS * 7 * 24} probes; filled in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const env: ConsoleEnv = {
    db,
    log: createLogger({ quiet: true }),
    rulesDir: 'rules',
    outDir: join(values.dir, 'out'),
    issuer: '示范县人民政府办公室',
    now: () => NOW,
    jobs: {
      startBatch: () => Promise.reject(new Error('bench')),
      startRecheck: () => Promise.reject(new Error('bench')),
      running: () => [],
    },
  };
  const account: Account = {
    id: 1,
    username: 'a',
    displayName: '检查员',
    role: 'inspector',
    unitId: null,
    email: null,
  };
  const unitAccount: Account = { ...account, role: 'unit', unitId: 'u050' };
  const cases: [string, string, Record<string, string>, Record<string, string>, Account?][] = [
    ['/ 总览', '/', {}, {}],
    ['/batches/:runId 批次', '/batches/:runId', { runId: String(run2) }, {}],
    ['/units/:unitId 单位（检查员）', '/units/:unitId', { unitId: 'u050' }, {}],
    ['/units/:unitId 单位（单位用户）', '/units/:unitId', { unitId: 'u050' }, {}, unitAccount],
    ['/findings 问题清单第1页', '/findings', {}, {}],
    ['/findings?check=dead-links', '/findings', {}, { check: 'dead-links' }],
    ['/findings.csv 全部', '/findings.csv', {}, {}],
    ['/findings.xlsx 全部', '/findings.xlsx', {}, {}],
    ['/probes 全部单位 7 天', '/probes', {}, {}],
    ['/probes 全部单位 30 天', '/probes', {}, { days: '30' }],
    ['/probes?unit= 一个单位', '/probes', {}, { unit: 'u050' }],
    ['/api/progress', '/api/progress', {}, {}],
  ];
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; median of ${REPEAT} warm calls`,
  );
  console.log('page | first call (report built) ms | warm median ms | size KB');
  for (const [label, path, params, query, who] of cases) {
    const route = viewRoutes.find((r) => r.method === 'GET' && r.path === path)!;
    const req: PageRequest = {
      account: who ?? account,
      params,
      query,
      form: {},
      files: {},
      csrfToken: 'x',
      address: '127.0.0.1',
    };
    forgetReports(db);
    t = performance.now();
    let result = await route.handle(env, req);
    const first = performance.now() - t;
    const times: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      t = performance.now();
      result = await route.handle(env, req);
      times.push(performance.now() - t);
    }
    const size =
      result.kind === 'page'
        ? Buffer.byteLength(result.body.text)
        : result.kind === 'file'
          ? (result.data?.length ?? 0)
          : Buffer.byteLength(JSON.stringify(result));
    console.log(`${label} | ${first.toFixed(0)} | ${median(times).toFixed(1)} | ${(size / 1024).toFixed(0)}`);
  }
  // A review decision changes outcomes: the cached batches are brought up to date (not rebuilt).
  const overview = viewRoutes.find((r) => r.method === 'GET' && r.path === '/')!;
  const unitPage = viewRoutes.find((r) => r.method === 'GET' && r.path === '/units/:unitId')!;
  const req: PageRequest = {
    account,
    params: { unitId: 'u050' },
    query: {},
    form: {},
    files: {},
    csrfToken: 'x',
    address: '127.0.0.1',
  };
  await overview.handle(env, req);
  const decided: number[] = [];
  const mine = (await listFindings(db, run2)).filter((f) => f.unitId === 'u050');
  for (const f of mine.slice(0, REPEAT)) {
    await saveReview(
      db,
      {
        findingKey: findingKey(f),
        unitId: f.unitId,
        checkId: f.checkId,
        decision: 'confirmed',
        reason: '已核实',
        reviewer: '检查员',
        decidedAt: NOW.toISOString(),
        runId: run2,
      },
      { message: f.message, url: f.url },
    );
    t = performance.now();
    await unitPage.handle(env, req);
    decided.push(performance.now() - t);
  }
  console.log(`/units/:unitId right after a review decision | — | ${median(decided).toFixed(0)} | —`);
  await closeStore(db);
}

await main();
