import { Option, type Command } from 'commander';
import { action, openFromFlags, settingsFromFlags, withCommonOptions, type CommonFlags } from './common.js';
import { readSeeds } from '../seeds/readSeeds.js';
import { probeRound } from '../probe/probeUnits.js';

/** National indicator: ≥ 20 visits a day for a week → one round every 72 minutes, 140 rounds. */
const DEFAULT_INTERVAL_MINUTES = 72;
const DEFAULT_ROUNDS = 140;

export function registerProbeCommand(program: Command): void {
  withCommonOptions(program.command('probe'), [])
    .description('可用性监测：按计划访问各单位首页并记录结果（国家指标：每天不少于20次、连续1周、超时15秒）')
    .requiredOption('--seeds <file>', '单位种子文件')
    .addOption(
      new Option('--interval <minutes>', '两轮之间的间隔（分钟）')
        .argParser(Number)
        .default(DEFAULT_INTERVAL_MINUTES),
    )
    .addOption(
      new Option('--rounds <n>', '监测轮数（默认 140 轮 ≈ 1 周）').argParser(Number).default(DEFAULT_ROUNDS),
    )
    .option('--once', '只监测一轮（适合由 cron 定时调用）')
    .action(
      action(async (flags: CommonFlags & Record<string, unknown>) => {
        // Seeds and flags first: a bad seed file must not create the store.
        const units = readSeeds(flags.seeds as string);
        const settings = settingsFromFlags(flags);
        const { db, log } = await openFromFlags(flags);
        const rounds = flags.once ? 1 : (flags.rounds as number);
        for (let round = 1; round <= rounds; round++) {
          const results = await probeRound(db, units, settings);
          const failed = results.filter((r) => r.errorKind);
          log.info(`第 ${round} 轮监测：${units.length - failed.length}/${units.length} 个单位首页可访问`);
          for (const f of failed)
            log.warn(
              `${units.find((u) => u.id === f.unitId)?.name} 首页无法访问（${f.errorKind}，${f.durationMs} 毫秒）`,
            );
          if (round < rounds) await new Promise((r) => setTimeout(r, (flags.interval as number) * 60_000));
        }
      }),
    );
}
