import type { Command } from 'commander';
import { action, openFromFlags, untilStopped, withCommonOptions, type CommonFlags } from './common.js';
import type { ConsoleEnv } from '../console/types.js';
import { formatTable } from '../log.js';

/**
 * `xuncha schedule`: the console's scheduler without its web pages (src/schedule/), for a server
 * without cron. The same jobs, lock and history as `xuncha serve`, so the two can take turns on
 * one store; run only one of them with its scheduler at a time.
 */
export function registerScheduleCommand(program: Command): void {
  // No --doc-number: one 文号 for every scheduled batch would be wrong from the second month on.
  withCommonOptions(program.command('schedule'), ['out', 'rules'])
    .option('--issuer <name>', '整改通知落款单位', '示范区人民政府办公室（政务公开办）')
    .description(
      '运行内置定时任务（每月巡查、每小时可用性监测、整改期满复查、整改期限提醒），不启动网页控制台；按 Ctrl+C 停止',
    )
    .action(
      action(async (flags: CommonFlags) => {
        // The jobs (the whole pipeline) are loaded when the scheduler starts, not for its help.
        const { createJobControl } = await import('../jobs/jobControl.js');
        const { startScheduler } = await import('../schedule/scheduler.js');
        const { beijingMinute, jobTitle } = await import('../schedule/jobs.js');
        const { listScheduleJobs } = await import('../store/scheduleJobs.js');
        const { db, log } = await openFromFlags(flags);
        const now = () => new Date();
        const o = { db, log, rulesDir: flags.rules, outDir: flags.out, issuer: flags.issuer, now };
        const jobs = createJobControl(o);
        const env: ConsoleEnv = { ...o, jobs };
        const scheduler = startScheduler(env);
        await scheduler.settled();
        const next = new Map(scheduler.next().map((n) => [n.name, n.at]));
        const rows = (await listScheduleJobs(db)).map((j) => [
          jobTitle(j),
          j.cron,
          j.enabled ? '启用' : '停用',
          j.enabled && next.has(j.name) ? beijingMinute(new Date(next.get(j.name)!)) : '—',
          j.lastStartedAt ? `${beijingMinute(new Date(j.lastStartedAt))} ${j.lastOutcome ?? ''}` : '尚未运行',
        ]);
        log.info('定时任务（北京时间，可在控制台“设置 → 定时任务”中修改）：');
        for (const line of formatTable([['任务', '时间表达式', '状态', '下次运行', '上次运行'], ...rows]))
          log.info(line);
        log.info('定时任务运行中，按 Ctrl+C 停止。');
        await untilStopped();
        log.info('正在停止定时任务，等待进行中的任务结束……');
        await scheduler.stop();
        await jobs.close();
      }),
    );
}
