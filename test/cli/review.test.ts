import ExcelJS from 'exceljs';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/checks/types.js';
import { crawlSettings } from '../../src/config/settings.js';
import { closeStore } from '../../src/store/db.js';
import { listFindings, listScores, replaceFindings } from '../../src/store/results.js';
import { createRun, saveUnits, setRunStatus } from '../../src/store/runs.js';
import { runCli } from '../helpers/cli.js';
import { openTestStore, testPostgres } from '../helpers/testStore.js';

/** Two checked runs of one unit whose page shows the office's duty mobile (a false positive). */
let dir: string;
let db: string;
const duty: Omit<Finding, 'unitId'> = {
  checkId: 'personal-data-exposure',
  outcome: 'fail',
  kind: 'mobile',
  message: '公开内容含未脱敏的手机号码',
  url: 'http://127.0.0.1:9/lxwm/index.html',
  location: '正文',
  evidence: '138****5678',
};
const exposed: Omit<Finding, 'unitId'> = {
  ...duty,
  url: 'http://127.0.0.1:9/tzgg/mingdan.xlsx',
  kind: 'id-card',
  message: '公开内容含未脱敏的身份证号',
  evidence: '350502********1236',
};

async function checkedRun(date: string): Promise<void> {
  const store = await openTestStore(db);
  const runId = await createRun(store, {
    inspectionDate: date,
    seedsFile: 'test',
    settings: crawlSettings(),
  });
  await saveUnits(store, runId, [
    {
      id: 'wjj',
      name: '示范区卫生健康局',
      level: '部门',
      startUrls: ['http://127.0.0.1:9/'],
      catalogues: [],
      hosts: [],
    },
  ]);
  await replaceFindings(
    store,
    runId,
    'wjj',
    [duty, exposed].map((f) => ({ ...f, unitId: 'wjj' })),
    [],
  );
  await setRunStatus(store, runId, 'checked');
  await closeStore(store);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xuncha-review-'));
  db = join(dir, 'x.db');
  await checkedRun('2026-11-24');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const common = () => ['--db', db, '--out', join(dir, 'out')];
/** review takes no report options: it only reads and writes the store. */
const dbOnly = () => ['--db', db];
const cellsOf = async (file: string) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const rows: string[][] = [];
  wb.getWorksheet('问题明细')!.eachRow((row) =>
    rows.push(
      (row.values as unknown[])
        .slice(1)
        .map((v) => (typeof v === 'object' && v ? String((v as { text?: string }).text) : String(v ?? ''))),
    ),
  );
  return rows;
};

describe('xuncha review', () => {
  it('records a dismissal with reviewer and reason, scores and reports by it, and keeps it next month', async () => {
    const store = await openTestStore(db);
    const dutyId = (await listFindings(store, 1)).find((f) => f.kind === 'mobile')!.id;
    await closeStore(store);

    const missing = await runCli(['review', 'dismiss', String(dutyId), '--reviewer', '张三', ...dbOnly()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('请用 --reason 写明理由');

    const listed = await runCli(['review', 'list', '--all', ...dbOnly()]);
    expect(listed.stdout).toMatch(
      new RegExp(`${dutyId}\\s+示范区卫生健康局（wjj）\\s+personal-data-exposure\\s+问题`),
    );

    const dismissed = await runCli([
      'review',
      'dismiss',
      String(dutyId),
      '--reason',
      '该号码为单位值班电话',
      '--reviewer',
      '张三',
      ...dbOnly(),
    ]);
    expect(dismissed.stderr).toBe('');
    expect(dismissed.stdout).toContain('已排除');

    for (const stage of ['score', 'report'])
      expect((await runCli([stage, '--run', '1', ...common()])).code).toBe(0);
    const rows = await cellsOf(join(dir, 'out', '1', '网上巡查排名.xlsx'));
    const header = rows[0]!;
    const dutyRow = rows.find((r) => r[header.indexOf('证据（已脱敏）')] === '138****5678')!;
    expect(dutyRow[header.indexOf('结论')]).toBe('已排除（人工复核）');
    expect(dutyRow[header.indexOf('人工复核')]).toMatch(
      /^已排除：张三（\d{4}年\d{1,2}月\d{1,2}日）该号码为单位值班电话$/,
    );
    const idRow = rows.find((r) => r[header.indexOf('证据（已脱敏）')] === '350502********1236')!;
    expect(idRow[header.indexOf('结论')]).toBe('问题');
    // The workbook carries the 编号 a reviewer passes to xuncha review.
    expect(dutyRow[header.indexOf('编号')]).toBe(String(dutyId));

    // Next month the same number is found again: the decision carries over without a new review.
    await checkedRun('2026-12-24');
    for (const stage of ['score', 'report'])
      expect((await runCli([stage, '--run', '2', ...common()])).code).toBe(0);
    const next = await cellsOf(join(dir, 'out', '2', '网上巡查排名.xlsx'));
    expect(
      next.find((r) => r[header.indexOf('证据（已脱敏）')] === '138****5678')![header.indexOf('结论')],
    ).toBe('已排除（人工复核）');
    const store2 = await openTestStore(db);
    const [first, second] = await Promise.all([1, 2].map(async (run) => (await listScores(store2, run))[0]!));
    await closeStore(store2);
    expect(second!.score).toBe(first!.score);

    // Withdrawn: the finding counts again.
    const cleared = await runCli([
      'review',
      'clear',
      String(dutyId),
      '--run',
      '1',
      '--reason',
      '复核有误',
      '--reviewer',
      '李四',
      ...dbOnly(),
    ]);
    expect(cleared.code).toBe(0);
    expect((await runCli(['score', '--run', '1', ...common()])).code).toBe(0);
    const store3 = await openTestStore(db);
    expect((await listScores(store3, 1))[0]!.score).toBeLessThan(first!.score);
    const log = await store3
      .selectFrom('review_log')
      .select(['decision', 'reviewer'])
      .orderBy('id')
      .execute();
    await closeStore(store3);
    expect(log).toEqual([
      { decision: 'dismissed', reviewer: '张三' },
      { decision: 'cleared', reviewer: '李四' },
    ]);
  }, 180_000);

  // SQLite only: the store asked for is a file that must exist; a PostgreSQL store is a schema
  // of a database, and the message names the file the test passed.
  it.skipIf(testPostgres)(
    'refuses a store that does not exist instead of creating an empty one',
    async () => {
      const missing = join(dir, 'missing.db');
      for (const args of [
        ['review', 'list'],
        ['review', 'dismiss', '1', '--reason', '误报', '--reviewer', '张三'],
      ]) {
        const r = await runCli([...args, '--db', missing]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`数据库 ${missing} 不存在`);
        expect(existsSync(missing)).toBe(false);
      }
    },
  );
});
