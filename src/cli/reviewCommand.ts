import type { Command } from 'commander';
import type { Db } from '../store/db.js';
import { clearReview, listReviewedFindings, saveReview } from '../store/reviews.js';
import { DECISION_LABELS, type ReviewDecision, type ReviewedFinding } from '../review/ledger.js';
import { findingKey } from '../review/findingIdentity.js';
import { OUTCOME_LABELS } from '../checks/defineCheck.js';
import { formatTable, type Logger } from '../log.js';
import { loadUnits } from '../store/runs.js';
import {
  UserError,
  action,
  openExistingFromFlags,
  resolveRunId,
  withCommonOptions,
  type CommonFlags,
} from './common.js';

type Flags = CommonFlags & {
  run?: string;
  unit?: string;
  check?: string;
  all?: boolean;
  reason?: string;
  reviewer?: string;
};

/** `xuncha review list`: what waits for a person (needs-review), or every finding with --all. */
/** “示范区卫生健康局（wjj）”: the name a reviewer knows, with the id --unit takes. */
async function unitLabels(db: Db, runId: number): Promise<(unitId: string) => string> {
  const names = new Map((await loadUnits(db, runId)).map((u) => [u.id, u.name]));
  return (unitId) => {
    const name = names.get(unitId);
    return name ? `${name}（${unitId}）` : unitId;
  };
}

function printFindings(
  log: Logger,
  findings: ReviewedFinding[],
  flags: Flags,
  unitLabel: (unitId: string) => string,
): void {
  const shown = findings.filter(
    (f) =>
      (flags.all || f.outcome === 'needs-review') &&
      (!flags.unit || f.unitId === flags.unit) &&
      (!flags.check || f.checkId === flags.check),
  );
  if (!shown.length) {
    log.info(flags.all ? '没有符合条件的检查结果。' : '没有待人工复核的检查结果（加 --all 列出全部结果）。');
    return;
  }
  const rows = shown.map((f) => [
    String(f.id),
    unitLabel(f.unitId),
    f.checkId,
    OUTCOME_LABELS[f.outcome],
    f.message.slice(0, 40),
    f.url,
    f.review ? `${DECISION_LABELS[f.review.decision]}（${f.review.reviewer}）` : '',
  ]);
  for (const line of formatTable([['编号', '单位', '检查项', '结论', '问题', '网址', '复核'], ...rows]))
    log.info(line);
}

function requireText(value: string | undefined, flag: string): string {
  if (!value?.trim())
    throw new UserError(`请用 ${flag} 写明${flag === '--reason' ? '理由' : '复核人'}（复核记录需全程留痕）`);
  return value.trim();
}

async function pick(db: Db, runId: number, ids: string[]): Promise<ReviewedFinding[]> {
  const byId = new Map((await listReviewedFindings(db, runId)).map((f) => [String(f.id), f]));
  return ids.map((id) => {
    const f = byId.get(id);
    if (!f)
      throw new UserError(
        `批次 ${runId} 中没有编号为 ${id} 的检查结果（用 xuncha review list --all 查看编号）`,
      );
    return f;
  });
}

async function decide(
  db: Db,
  log: Logger,
  runId: number,
  ids: string[],
  decision: ReviewDecision | 'clear',
  flags: Flags,
) {
  const unitLabel = await unitLabels(db, runId);
  const by = {
    reason: requireText(flags.reason, '--reason'),
    reviewer: requireText(flags.reviewer, '--reviewer'),
    decidedAt: new Date().toISOString(),
    runId,
  };
  for (const f of await pick(db, runId, ids)) {
    const key = findingKey(f);
    if (decision === 'clear') await clearReview(db, key, by);
    else await saveReview(db, { findingKey: key, unitId: f.unitId, checkId: f.checkId, decision, ...by }, f);
    const label = decision === 'clear' ? '已撤销复核' : DECISION_LABELS[decision];
    log.info(`${label}：${f.id} ${unitLabel(f.unitId)} ${f.message}`);
  }
  log.info(
    `复核结果已记录，之后各批次中相同的问题沿用此结论。请运行 xuncha score --run ${runId} 和 xuncha report --run ${runId} 更新得分和报告。`,
  );
}

export function registerReviewCommand(program: Command): void {
  const review = program
    .command('review')
    .description('人工复核：把检查结果确认为问题，或作为误报排除（记录复核人和理由）');
  withCommonOptions(review.command('list'), [])
    .description('列出待人工复核的检查结果及其编号')
    .option('--run <id>', '批次号（默认最近一次）')
    .option('--unit <id>', '只列出某个单位')
    .option('--check <id>', '只列出某个检查项')
    .option('--all', '列出全部检查结果，而不只是待人工复核的')
    .action(
      action(async (flags: Flags) => {
        const { db, log } = await openExistingFromFlags(flags, flags.run);
        const runId = await resolveRunId(db, flags.run);
        printFindings(log, await listReviewedFindings(db, runId), flags, await unitLabels(db, runId));
      }),
    );
  for (const [name, decision, title] of [
    ['dismiss', 'dismissed', '排除：确认为误报或不适用，不计分、不列入整改通知'],
    ['confirm', 'confirmed', '确认：人工核实为问题（待复核的结果随之计为问题）'],
    ['clear', 'clear', '撤销之前的复核结论'],
  ] as const)
    withCommonOptions(review.command(name), [])
      .description(title)
      .argument('<编号...>', '检查结果编号（见 xuncha review list）')
      .option('--run <id>', '批次号（默认最近一次）')
      .option('--reason <text>', '理由（必填）')
      .option('--reviewer <name>', '复核人（必填）')
      .action(
        action(async (ids: string[], flags: Flags) => {
          const { db, log } = await openExistingFromFlags(flags, flags.run);
          await decide(db, log, await resolveRunId(db, flags.run), ids, decision, flags);
        }),
      );
}
