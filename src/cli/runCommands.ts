import type { Command } from 'commander';
import {
  UserError,
  action,
  openFromFlags,
  pipelineOptions,
  resolveRunId,
  settingsFromFlags,
  withCommonOptions,
  withCrawlOptions,
  type CommonFlags,
} from './common.js';
import {
  createRunFromSeeds,
  runAllStages,
  stageCheck,
  stageCrawl,
  stageReport,
  stageScore,
  todayIso,
} from '../pipeline.js';
import { getRun } from '../store/runs.js';
import { crawlSettings, type CrawlSettings } from '../config/settings.js';
import { printSummary } from './summary.js';

type Flags = CommonFlags & Record<string, unknown>;

function storedSettings(stored: Record<string, unknown>): CrawlSettings {
  return crawlSettings(stored as Partial<CrawlSettings>);
}

export function registerRunCommands(program: Command): void {
  withCrawlOptions(withCommonOptions(program.command('run')))
    .description('完整巡查：抓取 → 检查 → 评分 → 生成报告')
    .requiredOption('--seeds <file>', '单位种子文件（YAML 或 CSV，格式见 seeds/README.md）')
    .option('--date <YYYY-MM-DD>', '检查日期（默认今天，北京时间）')
    .action(
      action(async (flags: Flags) => {
        const { db, log } = openFromFlags(flags);
        const settings = settingsFromFlags(flags);
        if (!settings.respectRobots) log.warn('已按用户要求忽略 robots.txt');
        const runId = createRunFromSeeds(
          db,
          flags.seeds as string,
          (flags.date as string) ?? todayIso(),
          settings,
        );
        printSummary(log, await runAllStages(pipelineOptions(flags, db, log, settings), runId));
      }),
    );

  withCrawlOptions(withCommonOptions(program.command('crawl')))
    .description('只抓取：新建批次（--seeds）或继续未完成的批次（--resume）')
    .option('--seeds <file>', '单位种子文件')
    .option('--resume [run]', '继续中断的批次（默认最近一次）')
    .option('--date <YYYY-MM-DD>', '检查日期（默认今天）')
    .action(
      action(async (flags: Flags) => {
        const { db, log } = openFromFlags(flags);
        let runId: number;
        let settings: CrawlSettings;
        if (flags.resume !== undefined) {
          runId = resolveRunId(db, flags.resume === true ? undefined : String(flags.resume));
          settings = storedSettings(getRun(db, runId)!.settings);
        } else {
          if (!flags.seeds) throw new UserError('请用 --seeds 指定种子文件，或用 --resume 继续中断的批次');
          settings = settingsFromFlags(flags);
          runId = createRunFromSeeds(
            db,
            flags.seeds as string,
            (flags.date as string) ?? todayIso(),
            settings,
          );
        }
        await stageCrawl(pipelineOptions(flags, db, log, settings), runId);
        log.info(`抓取完成，批次号 ${runId}。下一步：xuncha check --run ${runId}`);
      }),
    );

  for (const [name, title] of [
    ['check', '只检查：对已抓取的批次运行全部检查项'],
    ['score', '只评分：按指标体系计算得分和排名'],
    ['report', '只生成报告：排名表、整改通知和 run.json'],
  ] as const) {
    withCommonOptions(program.command(name))
      .description(title)
      .option('--run <id>', '批次号（默认最近一次）')
      .action(
        action(async (flags: Flags) => {
          const { db, log } = openFromFlags(flags);
          const runId = resolveRunId(db, flags.run as string | undefined);
          const o = pipelineOptions(flags, db, log, storedSettings(getRun(db, runId)!.settings));
          if (name === 'check') await stageCheck(o, runId);
          if (name === 'score') stageScore(o, runId);
          if (name === 'report') printSummary(log, await stageReport(o, runId));
          else log.info(`完成：批次 ${runId} ${title.slice(0, 3)}`);
        }),
      );
  }
}
