import { Option, type Command } from 'commander';
import type { Db } from '../store/db.js';
import type { Logger } from '../log.js';
import { redisConnection } from '../queue/connection.js';
import type { PipelineOptions } from '../pipeline.js';
import { printSummary } from './summary.js';
import {
  action,
  openExistingFromFlags,
  openFromFlags,
  resolveRunId,
  UserError,
  withCommonOptions,
  type CommonFlags,
} from './common.js';

type Flags = CommonFlags & Record<string, unknown>;

/** --queue, or XUNCHA_QUEUE: the Redis that carries a store's batch jobs. */
export function withQueueOption(cmd: Command): Command {
  return cmd.option(
    '--queue <redis://…>',
    '任务队列（Redis）地址：批次交由多台机器上的 xuncha worker 执行（默认取环境变量 XUNCHA_QUEUE）',
    process.env.XUNCHA_QUEUE || undefined,
  );
}

function queueFlag(flags: Flags, required: boolean): string | undefined {
  const url = flags.queue as string | undefined;
  if (!url && required)
    throw new UserError('请用 --queue redis://主机:端口 指定任务队列，或设置环境变量 XUNCHA_QUEUE');
  return url;
}

/**
 * `xuncha run --queue`: the batch is created here, its jobs go to the queue, and this process
 * shows progress until the workers have scored it, then writes the reports (unless --detach).
 */
export async function runOnQueue(
  o: PipelineOptions,
  runId: number,
  queueUrl: string,
  detach: boolean,
): Promise<void> {
  const connection = redisConnection(queueUrl);
  const { enqueueBatch } = await import('../queue/batchJobs.js');
  await enqueueBatch(o.db, connection, runId);
  o.log.info(`第 ${runId} 批次已下达到任务队列，由 xuncha worker 执行`);
  if (detach) {
    o.log.info(`查看进度：xuncha status ${runId} --queue ${queueUrl}；完成后：xuncha report --run ${runId}`);
    return;
  }
  await waitForBatch(o.db, o.log, runId, connection);
  const { stageReport } = await import('../pipeline.js');
  printSummary(o.log, await stageReport(o, runId));
}

async function waitForBatch(
  db: Db,
  log: Logger,
  runId: number,
  connection: ReturnType<typeof redisConnection>,
) {
  const { batchProgress, describeProgress } = await import('../queue/batchProgress.js');
  let last = '';
  for (;;) {
    const p = await batchProgress(db, runId, connection);
    const text = describeProgress(p).join('\n');
    if (text !== last) for (const line of describeProgress(p)) log.info(line);
    last = text;
    if (p.status === 'scored' || p.status === 'reported') return;
    if (p.jobs?.finish === 'failed')
      throw new Error(`第 ${runId} 批次评分任务失败：${p.jobs.finishReason ?? ''}`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

export function registerQueueCommands(program: Command): void {
  withQueueOption(withCommonOptions(program.command('worker'), ['rules']))
    .description(
      '任务队列工作进程：执行 xuncha run --queue 下达的抓取、检查和评分任务（可在多台机器上各启动一个）',
    )
    .addOption(
      new Option('--concurrency <n>', '同时抓取的任务数（每个任务是一组共用主机的单位，主要在等待礼貌间隔）')
        .argParser(Number)
        .default(32),
    )
    .addOption(
      new Option('--check-concurrency <n>', '同时检查的任务数（解析附件、运行检查项，较占 CPU 和内存）')
        .argParser(Number)
        .default(2),
    )
    .addOption(
      new Option('--lock-seconds <n>', '任务失联多少秒后交由其他工作进程接手').argParser(Number).default(30),
    )
    .action(
      action(async (flags: Flags) => {
        // The queue and the pipeline are loaded by the command that uses them, not at every start.
        const { validateRules } = await import('../config/validateRules.js');
        validateRules(flags.rules);
        const connection = redisConnection(queueFlag(flags, true)!);
        const { db, log } = await openFromFlags(flags);
        const concurrency = flags.concurrency as number;
        const checkConcurrency = flags.checkConcurrency as number;
        for (const [flag, n] of [
          ['--concurrency', concurrency],
          ['--check-concurrency', checkConcurrency],
        ] as const)
          if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} 应为正整数`);
        const { startWorker } = await import('../queue/worker.js');
        const worker = await startWorker({
          db,
          connection,
          log,
          rulesDir: flags.rules,
          concurrency,
          checkConcurrency,
          lockMs: (flags.lockSeconds as number) * 1000,
        });
        log.info(
          `工作进程已启动（进程号 ${process.pid}，同时抓取 ${concurrency} 个、检查 ${checkConcurrency} 个任务），按 Ctrl+C 停止`,
        );
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            log.info(`收到 ${signal}，等待进行中的任务告一段落后退出……`);
            // Jobs not finished in time go back to the queue when their lock expires.
            void worker.close().then(resolve, resolve);
            setTimeout(resolve, 10_000).unref();
          };
          process.once('SIGINT', () => stop('SIGINT'));
          process.once('SIGTERM', () => stop('SIGTERM'));
        });
      }),
    );

  withQueueOption(withCommonOptions(program.command('status'), []))
    .description('查看批次进度：抓取、检查和评分到了哪一步（给出 --queue 时含各任务状态）')
    .argument('[批次号]', '批次号（默认最近一次）')
    .action(
      action(async (run: string | undefined, flags: Flags) => {
        const { db, log } = await openExistingFromFlags(flags, run);
        const runId = await resolveRunId(db, run);
        const url = queueFlag(flags, false);
        const { batchProgress, describeProgress } = await import('../queue/batchProgress.js');
        const p = await batchProgress(db, runId, url ? redisConnection(url) : undefined);
        for (const line of describeProgress(p)) log.info(line);
      }),
    );
}
