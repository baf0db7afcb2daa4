import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  action,
  inspectionDateFromFlags,
  openFromFlags,
  pipelineOptions,
  settingsFromFlags,
  storeLocation,
  withCommonOptions,
  type CommonFlags,
} from './common.js';
import type { DemoCounty } from '../demo/county.js';
import type { PipelineOptions } from '../pipeline.js';
import { printSummary } from './summary.js';
import type { Db } from '../store/db.js';
import type { CrawlSettings } from '../config/settings.js';
import type { Logger } from '../log.js';

/** Demo politeness: the sample sites are on this machine, so a short delay keeps the demo quick. */
const DEMO_DELAY_MS = 10;
/**
 * The availability indicator samples a week (7 days × 20 visits); the demo takes as many rounds,
 * back to back: a veto stands only on the full sample (site-availability).
 */
const DEMO_PROBE_ROUNDS = 140;

/** The sample county's sites and the whole pipeline, loaded when the demo runs (not for its help). */
async function demoModules() {
  const [county, pipeline, recheck, lock, rules, probe, seeds] = await Promise.all([
    import('../demo/county.js'),
    import('../pipeline.js'),
    import('../jobs/recheck.js'),
    import('./batchLock.js'),
    import('../config/validateRules.js'),
    import('../probe/probeUnits.js'),
    import('../seeds/readSeeds.js'),
  ]);
  return { ...county, ...pipeline, ...recheck, ...lock, ...rules, ...probe, ...seeds };
}

async function probeDemo(db: Db, seedsFile: string, settings: CrawlSettings, log: Logger): Promise<void> {
  const { readSeeds, probeRound } = await demoModules();
  const units = readSeeds(seedsFile);
  log.info(`可用性监测：连续访问各单位首页 ${DEMO_PROBE_ROUNDS} 轮……`);
  // The sample sites are on this machine: the rounds need no politeness delay between them.
  const quick = { ...settings, perHostDelayMs: 0 };
  for (let round = 0; round < DEMO_PROBE_ROUNDS; round++) await probeRound(db, units, quick);
}

/**
 * The demo's own batches are locked like any crawl (no `crawl --resume` may join them), but they
 * never wait for another batch: their load is on this machine's sample sites only.
 */
async function demoLock(o: PipelineOptions, seedsFile: string, date: string) {
  const { createRunFromSeeds } = await demoModules();
  const run = (tx: Db) => createRunFromSeeds(tx, seedsFile, date, o.settings);
  return { run, mode: 'crawl', command: 'demo', allowParallel: true } as const;
}

/** The county's webmasters fix part of what the notices listed; inspect again and compare. */
async function recheckDemo(
  county: DemoCounty,
  o: PipelineOptions,
  seedsFile: string,
  date: string,
  previousRunId: number,
): Promise<void> {
  o.log.info('');
  o.log.info('模拟各单位按整改通知整改了部分问题，再次巡查……');
  county.rectify();
  const { withBatchLock, runAllStages, recheckAgainst } = await demoModules();
  const runId = await withBatchLock(o.db, o.log, await demoLock(o, seedsFile, date), async (lock) => {
    printSummary(o.log, await runAllStages({ ...o, lock }, lock.runId));
    return lock.runId;
  });
  o.log.info('');
  // The comparison, the 整改复查 workbook and the 督办通知, as the console's 复查 writes them.
  await recheckAgainst(o, previousRunId, runId);
}

/** A shell word: quoted when it holds anything a shell would split or expand. */
function shellWord(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** How to look at the demo's batches in the web console (a store URL is shown without its password). */
function printConsoleHint(log: Logger, flags: CommonFlags): void {
  let store = storeLocation(flags);
  if (/^postgres(ql)?:/.test(store)) {
    const u = new URL(store);
    if (u.password) u.password = '***';
    store = u.toString();
  }
  const serve = `node bin/xuncha.js serve --db ${shellWord(store)} --out ${shellWord(flags.out)}`;
  log.info('');
  log.info('在网页控制台查看本次巡查（排名、各单位问题、整改反馈、报告下载）：');
  log.info(`  ${serve} --init-admin admin    （首次使用：设置管理员 admin 的密码后启动）`);
  log.info(`  ${serve}    （以后）`);
  log.info('  然后在浏览器中打开 http://127.0.0.1:8080/ ，用管理员账号登录。');
}

export function registerDemoCommand(program: Command): void {
  withCommonOptions(program.command('demo'))
    .description('在本机启动示例区县网站（127.0.0.1），并对其完成一次完整巡查')
    .option('--date <YYYY-MM-DD>', '检查日期（默认今天）')
    .option('--recheck', '巡查后模拟各单位整改，再巡查一次并生成整改复查表')
    .option('--keep', '巡查结束后保持示例网站运行，便于浏览（Ctrl+C 退出）')
    .action(
      action(async (flags: CommonFlags & Record<string, unknown>) => {
        const { todayIso, validateRules, startDemoCounty, withBatchLock, runAllStages } = await demoModules();
        const date = inspectionDateFromFlags(flags, todayIso);
        validateRules(flags.rules);
        // Off-site links (the 党政机关标识 badge points to bszs.conac.cn) are not checked: the demo
        // never leaves 127.0.0.1.
        const settings = settingsFromFlags(flags, {
          perHostDelayMs: DEMO_DELAY_MS,
          checkExternalLinks: false,
        });
        const { db, log } = await openFromFlags(flags);
        log.info('正在启动示例区县网站……');
        const county = await startDemoCounty({ today: new Date(`${date}T00:00:00Z`) });
        // One file per demo: two demos at once (the test suite on both engines) each read their
        // own sites' addresses when their second batch starts.
        const seedsFile = join(resolve('.xuncha', 'demo'), `units-${process.pid}.yaml`);
        try {
          for (const [key, url] of county.urls) log.info(`  ${key}: ${url}/`);
          mkdirSync(dirname(seedsFile), { recursive: true });
          writeFileSync(seedsFile, county.seedsText);
          const pipeline = pipelineOptions(flags, db, log, settings);
          const runId = await withBatchLock(
            db,
            log,
            await demoLock(pipeline, seedsFile, date),
            async (lock) => {
              await probeDemo(db, seedsFile, settings, log);
              printSummary(log, await runAllStages({ ...pipeline, lock }, lock.runId));
              return lock.runId;
            },
          );
          if (flags.recheck) await recheckDemo(county, pipeline, seedsFile, date, runId);
          printConsoleHint(log, flags);
          if (flags.keep) {
            log.info('示例网站仍在运行，按 Ctrl+C 退出。');
            // Ctrl+C ends the wait, not the process: the sites close and the seeds file goes.
            await new Promise<void>((done) => process.once('SIGINT', () => done()));
          }
        } finally {
          await county.close();
          rmSync(seedsFile, { force: true });
        }
      }),
    );
}
