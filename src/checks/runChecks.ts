import type { Db } from '../store/db.js';
import { loadUnits } from '../store/runs.js';
import { replaceFindings } from '../store/results.js';
import { buildUnitEvidence } from '../extract/unitEvidence.js';
import { loadCheckRule, type CheckRule } from '../config/checkRules.js';
import { loadCatalogues } from '../config/catalogues.js';
import { WorkdayCalendar } from '../workdays/calendar.js';
import { maskText } from '../pii/mask.js';
import type { Finding } from './types.js';
import type { Logger } from '../log.js';
import { checks } from './index.js';

export interface CheckSummary {
  unitId: string;
  findings: number;
  errors: number;
}

/**
 * The check stage: for each unit, derive evidence from the store and run every enabled check.
 * A check that throws yields a recorded error for that unit, never a crash of the run.
 */
export async function runChecks(
  db: Db,
  runId: number,
  inspectionDate: string,
  log: Logger,
  rulesDir = 'rules',
): Promise<CheckSummary[]> {
  const rules = new Map<string, CheckRule>(checks.map((c) => [c.id, loadCheckRule(c, `${rulesDir}/checks`)]));
  const catalogues = loadCatalogues(`${rulesDir}/catalogues`);
  const calendar = WorkdayCalendar.load(`${rulesDir}/calendar`);
  const summaries: CheckSummary[] = [];
  for (const unit of loadUnits(db, runId)) {
    const evidence = await buildUnitEvidence(db, runId, unit, inspectionDate);
    const findings: Finding[] = [];
    const errors: { checkId: string; error: string }[] = [];
    for (const check of checks) {
      const rule = rules.get(check.id)!;
      if (!rule.enabled) continue;
      try {
        const out = check.run(evidence, { options: rule.options, inspectionDate, catalogues, calendar });
        findings.push(...out.map((f) => ({ ...f, checkId: check.id, unitId: unit.id })));
      } catch (err) {
        errors.push({ checkId: check.id, error: maskText(String((err as Error).stack ?? err)) });
        log.warn(`检查 ${check.id} 在 ${unit.name} 出错：${(err as Error).message}`);
      }
    }
    replaceFindings(db, runId, unit.id, findings, errors);
    summaries.push({ unitId: unit.id, findings: findings.length, errors: errors.length });
  }
  return summaries;
}
