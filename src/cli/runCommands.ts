import type { Db } from '../store/db.js';
import type { Command } from 'commander';
import {
  UserError,
  action,
  inspectionDateFromFlags,
  openExistingFromFlags,
  openFromFlags,
  pipelineOptions,
  resolveRunId,
  settingsFromFlags,
  withCommonOptions,
  withCrawlOptions,
  withParallelOption,
  type CommonFlags,
} from './common.js';
import { crawlSettings, type CrawlSettings } from '../config/settings.js';
import { createLogger } from '../log.js';
import type { Unit } from '../seeds/unit.js';
import { withQueueOption } from './queueCommands.js';
import { printSummary } from './summary.js';

/**
 * What the actions run — the pipeline, the rule and seed validation, the batch lock — loaded when
 * one runs: `xuncha run --help` or a usage mistake needs none of it (a second of loading).
 */
async function actionModules() {
  const [pipeline, runs, rules, seeds, lock, queue] = await Promise.all([
    import('../pipeline.js'),
    import('../store/runs.js'),
    import('../config/validateRules.js'),
    import('../seeds/readSeeds.js'),
    import('./batchLock.js'),
    import('./queueCommands.js'),
  ]);
  return { ...pipeline, ...runs, ...rules, ...seeds, ...lock, ...queue };
}

type Flags = CommonFlags & Record<string, unknown>;

function storedSettings(stored: Record<string, unknown>): CrawlSettings {
  return crawlSettings(stored as Partial<CrawlSettings>);
}

/**
 * Everything a new batch needs, checked before the store is opened: flags, rules and seeds. A
 * mistake in any of them costs no request and leaves no database or empty batch behind.
 */
async function newBatchInput(
  flags: Flags,
): Promise<{ settings: CrawlSettings; date: string; units: Unit[] }> {
  const { todayIso, validateRules, readSeeds, checkSeedsAgainstRules } = await actionModules();
  const settings = settingsFromFlags(flags);
  const date = inspectionDateFromFlags(flags, todayIso);
  const rules = validateRules(flags.rules);
  const seeds = flags.seeds as string;
  // Warnings (ignored columns, two units of one name) are shown before the batch starts.
  const log = createLogger({
    json: flags.json as boolean | undefined,
    quiet: flags.quiet as boolean | undefined,
  });
  const units = readSeeds(seeds, undefined, (m) => log.warn(m));
  checkSeedsAgainstRules(units, seeds, rules);
  return { settings, date, units };
}

export function registerRunCommands(program: Command): void {
  withQueueOption(withParallelOption(withCrawlOptions(withCommonOptions(program.command('run')))))
    .description('完整巡查：抓取 → 检查 → 评分 → 生成报告')
    .option('--detach', '与 --queue 同用：下达批次后立即返回，不等待完成')
    .requiredOption(
      '--seeds <file>',
      '单位种子文件（YAML、CSV 或 Excel，格式见 seeds/README.md；可先用 xuncha seeds check 检查）',
    )
    .option('--date <YYYY-MM-DD>', '检查日期（默认今天，北京时间）')
    .action(
      action(async (flags: Flags) => {
        const { settings, date, units } = await newBatchInput(flags);
        const { createRunFromUnits, runOnQueue, withBatchLock, runAllStages } = await actionModules();
        const { db, log } = await openFromFlags(flags);
        if (!settings.respectRobots) log.warn('已按用户要求忽略 robots.txt');
        const create = (tx: Db) => createRunFromUnits(tx, units, flags.seeds as string, date, settings);
        if (flags.queue) {
          // Workers crawl and check; the host-group jobs keep one host on one worker at a time.
          const runId = await create(db);
          await runOnQueue(
            pipelineOptions(flags, db, log, settings),
            runId,
            flags.queue as string,
            !!flags.detach,
          );
          return;
        }
        if (flags.detach) throw new UserError('--detach 只能与 --queue 同用');
        const lockOptions = {
          run: create,
          mode: 'crawl',
          command: 'run',
          allowParallel: !!flags.allowParallel,
        } as const;
        await withBatchLock(db, log, lockOptions, async (lock) => {
          const o = { ...pipelineOptions(flags, db, log, settings), lock };
          printSummary(log, await runAllStages(o, lock.runId));
        });
      }),
    );

  withParallelOption(withCrawlOptions(withCommonOptions(program.command('crawl'))))
    .description('只抓取：新建批次（--seeds）或继续未完成的批次（--resume）')
    .option('--seeds <file>', '单位种子文件')
    .option('--resume [run]', '继续中断的批次（默认最近一次）')
    .option('--date <YYYY-MM-DD>', '检查日期（默认今天）')
    .action(
      action(async (flags: Flags) => {
        const { validateRules, getRun, withBatchLock, stageCrawl, createRunFromUnits } =
          await actionModules();
        const allowParallel = !!flags.allowParallel;
        if (flags.resume !== undefined) {
          // The crawl itself reads no rules, but the stages after it do: better to know now.
          validateRules(flags.rules);
          const run = flags.resume === true ? undefined : String(flags.resume);
          const { db, log } = await openExistingFromFlags(flags, run);
          const runId = await resolveRunId(db, run);
          const settings = storedSettings((await getRun(db, runId))!.settings);
          const lockOptions = {
            run: runId,
            mode: 'crawl',
            command: 'crawl --resume',
            allowParallel,
          } as const;
          await withBatchLock(db, log, lockOptions, async () => {
            await stageCrawl(pipelineOptions(flags, db, log, settings), runId);
            log.info(`抓取完成，批次号 ${runId}。下一步：xuncha check --run ${runId}`);
          });
          return;
        }
        if (!flags.seeds) throw new UserError('请用 --seeds 指定种子文件，或用 --resume 继续中断的批次');
        const { settings, date, units } = await newBatchInput(flags);
        const { db, log } = await openFromFlags(flags);
        const create = (tx: Db) => createRunFromUnits(tx, units, flags.seeds as string, date, settings);
        await withBatchLock(
          db,
          log,
          { run: create, mode: 'crawl', command: 'crawl', allowParallel },
          async (lock) => {
            await stageCrawl(pipelineOptions(flags, db, log, settings), lock.runId);
            log.info(`抓取完成，批次号 ${lock.runId}。下一步：xuncha check --run ${lock.runId}`);
          },
        );
      }),
    );

  for (const [name, title] of [
    ['check', '只检查：对已抓取的批次运行全部检查项'],
    ['evidence', '只截图取证：为问题所在页面截图（个人信息已遮蔽）并保存页面副本'],
    ['score', '只评分：按指标体系计算得分和排名'],
    ['report', '只生成报告：排名表、整改通知和 run.json'],
  ] as const) {
    withParallelOption(withCommonOptions(program.command(name)))
      .description(title)
      .option('--run <id>', '批次号（默认最近一次）')
      .action(
        action(async (flags: Flags) => {
          const { validateRules, getRun, withBatchLock, stageCheck, stageEvidence, stageScore, stageReport } =
            await actionModules();
          validateRules(flags.rules);
          const run = flags.run as string | undefined;
          const { db, log } = await openExistingFromFlags(flags, run);
          const runId = await resolveRunId(db, run);
          const o = pipelineOptions(flags, db, log, storedSettings((await getRun(db, runId))!.settings));
          const lockOptions = {
            run: runId,
            mode: 'read',
            command: name,
            allowParallel: !!flags.allowParallel,
          } as const;
          await withBatchLock(db, log, lockOptions, async () => {
            if (name === 'check') await stageCheck(o, runId);
            if (name === 'evidence') await stageEvidence(o, runId);
            if (name === 'score') await stageScore(o, runId);
            if (name === 'report') printSummary(log, await stageReport(o, runId));
            else log.info(`完成：批次 ${runId} ${title.slice(0, 3)}`);
          });
        }),
      );
  }
}
