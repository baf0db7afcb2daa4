import type { Command } from 'commander';
import type { Db } from '../store/db.js';
import { crawlSettings } from '../config/settings.js';
import {
  UserError,
  action,
  openExistingFromFlags,
  pipelineOptions,
  resolveRunId,
  withCommonOptions,
  type CommonFlags,
} from './common.js';

type Flags = CommonFlags & { run?: string; against?: string };

/** Stages a run must have passed before its findings can be compared. */
const CHECKED = new Set(['checked', 'scored', 'reported']);

async function requireChecked(db: Db, runId: number): Promise<void> {
  const { getRun } = await import('../store/runs.js');
  const status = (await getRun(db, runId))!.status;
  if (!CHECKED.has(status))
    throw new UserError(
      `批次 ${runId} 尚未完成检查（状态：${status}），请先运行 xuncha check --run ${runId}`,
    );
}

/** The run to compare against: the one given, else the latest run before `runId`. */
async function earlierRun(db: Db, runId: number, against: string | undefined): Promise<number> {
  if (against !== undefined) return resolveRunId(db, against);
  const { latestRunId } = await import('../store/runs.js');
  const id = await latestRunId(db, runId);
  if (!id) throw new UserError(`批次 ${runId} 之前没有可供对比的巡查批次，请用 --against 指定`);
  return id;
}

export function registerRecheckCommand(program: Command): void {
  withCommonOptions(program.command('recheck'))
    .description(
      '整改复查：对比两次巡查，列出各单位已整改、未整改和新发现的问题，并向仍有未整改问题的单位生成督办通知',
    )
    .option('--run <id>', '复查批次号（默认最近一次）')
    .option('--against <id>', '对比的原巡查批次号（默认复查批次之前的最近一次）')
    .action(
      action(async (flags: Flags) => {
        // The comparison and the documents are loaded when the command runs, not for its help.
        const { validateRules } = await import('../config/validateRules.js');
        const { recheckAgainst } = await import('../jobs/recheck.js');
        validateRules(flags.rules);
        const { db, log } = await openExistingFromFlags(flags, flags.run);
        const runId = await resolveRunId(db, flags.run);
        const previousId = await earlierRun(db, runId, flags.against);
        if (previousId === runId) throw new UserError('复查批次与原巡查批次不能相同');
        await requireChecked(db, previousId);
        await requireChecked(db, runId);
        // A 复查 compares stored batches: none of the crawl settings is read.
        await recheckAgainst(pipelineOptions(flags, db, log, crawlSettings({})), previousId, runId);
      }),
    );
}
