import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../helpers/testStore.js';
import { startGeneratedCounty, type GeneratedCounty } from '../helpers/generatedCounty.js';
import { createJobControl, JobRefused } from '../../src/jobs/jobControl.js';
import { saveRoster } from '../../src/jobs/roster.js';
import { recheckSource } from '../../src/jobs/recheck.js';
import { putSetting, SETTING_CRAWL, SETTING_UNITS } from '../../src/store/consoleSettings.js';
import { parseSeedText } from '../../src/seeds/readSeeds.js';
import { getRun } from '../../src/store/runs.js';
import { listAudit } from '../../src/store/audit.js';
import { acquireBatchLock } from '../../src/store/locks.js';
import type { Logger } from '../../src/log.js';
import type { Account } from '../../src/console/types.js';
import type { Db } from '../../src/store/db.js';

const admin: Account = {
  id: 1,
  username: 'admin',
  displayName: '管理员甲',
  role: 'admin',
  unitId: null,
  email: null,
};

function quietLog(lines: string[]): Logger {
  return {
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`警告：${m}`),
    error: (m) => lines.push(`错误：${m}`),
    progress: () => {},
    done: () => {},
  };
}

/** Quick, local, no browser: the sites are on this machine. */
const FAST = { perHostDelayMs: 0, checkExternalLinks: false, screenshots: false, render: 'never' };

let county: GeneratedCounty;
let out: string;

beforeAll(async () => {
  county = await startGeneratedCounty({ hosts: 2, columns: 1, listPages: 1 });
  out = mkdtempSync(join(tmpdir(), 'xuncha-jobs-'));
});
afterAll(async () => {
  await county.close();
  rmSync(out, { recursive: true, force: true });
});

async function store(): Promise<Db> {
  const db = await openTestStore();
  await saveRoster(db, parseSeedText(county.seedsYaml(), 'units.yaml'), 'units.yaml', 'admin', new Date());
  await putSetting(db, SETTING_CRAWL, FAST, 'admin');
  return db;
}

describe('createJobControl', () => {
  it(
    'runs a batch on the roster to reported and refuses a second start while it runs',
    { timeout: 90_000 },
    async () => {
      const db = await store();
      const lines: string[] = [];
      const jobs = createJobControl({
        db,
        log: quietLog(lines),
        rulesDir: 'rules',
        outDir: out,
        issuer: '示范区政务公开办',
        now: () => new Date(),
      });
      const { runId } = await jobs.startBatch(admin, { inspectionDate: '2026-12-01' });
      expect(jobs.running()).toMatchObject([{ kind: 'batch', runId, startedBy: '管理员甲' }]);
      await expect(jobs.startBatch(admin)).rejects.toThrow(JobRefused);
      await expect(jobs.startBatch('scheduler')).rejects.toThrow(/两个批次不能同时进行/);
      // What running() says while it goes on: the stage each stage announces.
      const stages = new Set<string>();
      const sample = setInterval(
        () => jobs.running().forEach((j) => stages.add(j.stage.replace(/（.*$/, ''))),
        20,
      );
      await jobs.settled();
      clearInterval(sample);
      // (The checks hold the event loop while they run, so a sampler may never see 检查.)
      expect([...stages]).toEqual(expect.arrayContaining(['抓取', '评分与报告']));
      expect(jobs.running()).toEqual([]);
      const run = await getRun(db, runId);
      expect(run).toMatchObject({
        status: 'reported',
        inspectionDate: '2026-12-01',
        seedsFile: 'units.yaml',
      });
      expect(existsSync(join(out, String(runId), 'run.json'))).toBe(true);
      const audit = await listAudit(db, { action: 'batch.start' });
      expect(audit).toMatchObject([{ username: 'admin', target: `run:${runId}` }]);
      expect(lines.some((l) => l.startsWith('错误'))).toBe(false);

      // The 复查 of that batch: the same units again, then the comparison and its workbook.
      const recheck = await jobs.startRecheck(admin, runId);
      expect(jobs.running()).toMatchObject([{ kind: 'recheck', runId: recheck.runId }]);
      await expect(jobs.startBatch(admin)).rejects.toThrow(/两个批次不能同时进行/);
      await jobs.settled();
      expect(await getRun(db, recheck.runId)).toMatchObject({
        status: 'reported',
        seedsFile: recheckSource(runId),
      });
      expect(readdirSync(join(out, String(recheck.runId))).some((f) => f.includes('复查'))).toBe(true);
      expect(await listAudit(db, { action: 'batch.recheck' })).toMatchObject([
        { username: 'admin', target: `run:${runId}`, detail: { recheckRunId: recheck.runId } },
      ]);
      expect(lines.some((l) => l.startsWith('错误'))).toBe(false);
      await expect(jobs.startBatch(admin, { inspectionDate: '2026-02-30' })).rejects.toThrow(/真实日期/);
      await jobs.close();
      await expect(jobs.startBatch(admin)).rejects.toThrow(/正在关闭/);
    },
  );

  it('is refused while another process crawls a batch of the same store (a CLI run)', async () => {
    const db = await store();
    const jobs = createJobControl({
      db,
      log: quietLog([]),
      rulesDir: 'rules',
      outDir: out,
      issuer: '示范区政务公开办',
      now: () => new Date(),
    });
    const cli = await acquireBatchLock(db, {
      run: async (tx) =>
        Number(
          (
            await tx
              .insertInto('runs')
              .values({ created_at: '', inspection_date: '2026-12-01', seeds_file: 'x.yaml', settings: '{}' })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
        ),
      mode: 'crawl',
      command: 'run',
      env: { pid: 999_999, host: 'other-host' },
    });
    await expect(jobs.startBatch(admin)).rejects.toThrow(/另一进程正在抓取/);
    expect(jobs.running()).toEqual([]);
    await cli.release();
    await jobs.close();
  });

  it('refuses with the reason when the roster or settings are missing or wrong', async () => {
    const db = await openTestStore();
    const jobs = createJobControl({
      db,
      log: quietLog([]),
      rulesDir: 'rules',
      outDir: out,
      issuer: '示范区',
      now: () => new Date(),
    });
    await expect(jobs.startBatch(admin)).rejects.toThrow(/还没有单位名单/);
    // A roster stored by an older console that the reader no longer accepts: file, line and field.
    const text = 'units:\n  - id: a\n    name: 甲\n    level: 部门\n    start: ["ftp://a.example/"]\n';
    await putSetting(db, SETTING_UNITS, { file: 'units.yaml', format: 'yaml', text }, 'admin');
    await expect(jobs.startBatch(admin)).rejects.toThrow(/units\.yaml:5 字段 units\[0\]\.start\[0\]/);
    await putSetting(
      db,
      SETTING_UNITS,
      { file: 'units.yaml', format: 'yaml', text: text.replace('ftp', 'http') },
      'admin',
    );
    await putSetting(db, SETTING_CRAWL, { perHostDelayMs: -1 }, 'admin');
    await expect(jobs.startBatch(admin)).rejects.toThrow(/抓取设置（crawl）无效/);
    expect(await db.selectFrom('runs').selectAll().execute()).toEqual([]);
  });
});
