import { dirname } from 'node:path';
import type { PipelineOptions } from '../pipeline.js';
import { buildRecheckWithReports } from '../report/buildRecheck.js';
import { writeRecheck } from '../report/writeRecheck.js';
import { printRecheck, writeSupervision } from '../cli/recheckCommand.js';

/**
 * A 复查 from the console is what `xuncha demo --recheck` and `xuncha recheck` do together: a new
 * batch on the same units (run by the caller), then the comparison with the earlier batch, the
 * 整改复查 workbook and the 督办通知, written by the same functions as the CLI.
 */
export async function recheckAgainst(o: PipelineOptions, previousId: number, runId: number): Promise<void> {
  const { recheck, previous, current } = await buildRecheckWithReports(o.db, previousId, runId, {
    rulesDir: o.rulesDir,
    issuer: o.issuer,
    ...(o.docNumber ? { docNumber: o.docNumber } : {}),
  });
  printRecheck(o.log, recheck);
  const written = await writeRecheck(recheck, o.outDir);
  o.log.info(`复查表已生成：${written.workbook}`);
  await writeSupervision(o.log, {
    rulesDir: o.rulesDir,
    recheck,
    previous,
    current,
    dir: dirname(written.workbook),
  });
}

const RECHECK_PREFIX = '整改复查：第 ';

/**
 * The `seeds_file` a 复查 batch is created with. It names the batch it follows up, so the scheduler
 * can tell a 复查 from a regular batch (a 复查 is not itself re-checked).
 */
export function recheckSource(previousId: number): string {
  return `${RECHECK_PREFIX}${previousId} 批次`;
}

/** The batch a 复查 batch followed up, or undefined for a regular batch. */
export function recheckedRunOf(seedsFile: string): number | undefined {
  if (!seedsFile.startsWith(RECHECK_PREFIX)) return undefined;
  const n = Number.parseInt(seedsFile.slice(RECHECK_PREFIX.length), 10);
  return Number.isInteger(n) ? n : undefined;
}
