import type { Db } from '../store/db.js';
import { loadUnits } from '../store/runs.js';
import { replaceDisclosure, replaceFindings } from '../store/results.js';
import { bestOfParts, disclosureOfEvidence } from '../extract/disclosureColumn.js';
import { buildUnitEvidence, type PageVisitor } from '../extract/unitEvidence.js';
import type { RunFacts } from '../extract/crossUnit.js';
import { RunScope } from '../crawl/scope.js';
import { failedLinkers } from '../store/crawlData.js';
import { loadCheckRule, type CheckRule } from '../config/checkRules.js';
import { loadCatalogues } from '../config/catalogues.js';
import { WorkdayCalendar } from '../workdays/calendar.js';
import { maskText } from '../pii/mask.js';
import type { Finding } from './types.js';
import type { Logger } from '../log.js';
import { checks } from './index.js';
import { PageSteps } from './pageSteps.js';
import { HeapBudget } from './heapBudget.js';
import { LoopShare } from '../util/eventLoop.js';

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
  /** Only these units (a queue worker's job: one host group); run-wide facts still cover all. */
  only?: readonly string[],
): Promise<CheckSummary[]> {
  const rules = new Map<string, CheckRule>(checks.map((c) => [c.id, loadCheckRule(c, `${rulesDir}/checks`)]));
  const catalogues = loadCatalogues(`${rulesDir}/catalogues`);
  const domains = catalogues.map((c) => c.domain);
  const catalogueNames = catalogues.flatMap((c) => [c.domain, ...(c.domainAliases ?? [])]);
  const calendar = WorkdayCalendar.load(`${rulesDir}/calendar`);
  const summaries: CheckSummary[] = [];
  const units = await loadUnits(db, runId);
  const run: RunFacts = {
    scope: new RunScope(units),
    units: new Map(units.map((u) => [u.id, u])),
    linkers: await failedLinkers(db, runId),
    channels: new Map(),
  };
  // Units that own a host's root (portals) first: the columns on them inherit their 互动 channels.
  const ownsRoot = (u: (typeof units)[number]) => u.startUrls.some((s) => run.scope.hostOwnerOf(s) === u.id);
  const mine = only ? units.filter((u) => only.includes(u.id)) : units;
  const order = [...mine.filter(ownsRoot), ...mine.filter((u) => !ownsRoot(u))];
  const enabled = checks
    .filter((c) => rules.get(c.id)!.enabled)
    .map((check) => ({
      check,
      ctx: { options: rules.get(check.id)!.options, inspectionDate, catalogues, calendar },
    }));
  const heap = new HeapBudget();
  const loop = new LoopShare();
  for (const unit of order) {
    // Checks that read page text do so while the pages stream past; the evidence keeps summaries.
    const steps = new PageSteps(enabled);
    const visit: PageVisitor = (page, step) => steps.visit(page, step);
    const evidence = await buildUnitEvidence(db, runId, unit, inspectionDate, {
      run,
      catalogueDomains: catalogueNames,
      visit,
      tick: () => {
        heap.tick();
        return loop.maybeYield();
      },
    });
    // What reading the unit left behind is garbage now: collect it before the checks build their
    // own views of the evidence on top (on a 100,000-page unit the peak came after the page loop).
    heap.settle();
    const findings: Finding[] = [];
    const errors: { checkId: string; error: string }[] = [];
    for (const { check, ctx } of enabled) {
      try {
        if (steps.hasError(check.id)) throw steps.errorOf(check.id);
        const out = check.run(evidence, ctx, steps.notesOf(check.id));
        findings.push(...out.map((f) => ({ ...f, checkId: check.id, unitId: unit.id })));
      } catch (err) {
        errors.push({ checkId: check.id, error: maskText(String((err as Error).stack ?? err)) });
        log.warn(`检查 ${check.id} 在 ${unit.name} 出错：${(err as Error).message}`);
      }
      heap.check();
      await loop.maybeYield();
    }
    run.channels.set(
      unit.id,
      unit.crawlStatus === 'done' &&
        !errors.some((e) => e.checkId === 'interaction-replies') &&
        !findings.some((f) => f.checkId === 'interaction-replies' && f.kind === 'no-channel'),
    );
    await replaceFindings(db, runId, unit.id, findings, errors);
    // What was found of the 专栏 and where, for the report (the check itself reports what is missing).
    await replaceDisclosure(db, runId, unit.id, bestOfParts(disclosureOfEvidence(evidence, domains)));
    summaries.push({ unitId: unit.id, findings: findings.length, errors: errors.length });
  }
  // Reported in seed-file order, whatever order the units were checked in.
  return mine.map((u) => summaries.find((s) => s.unitId === u.id)!);
}
