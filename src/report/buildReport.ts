import { VERSION } from '../version.js';
import type { Db } from '../store/db.js';
import { getRun, loadUnits } from '../store/runs.js';
import { listCheckErrors, listDisclosure, listScores } from '../store/results.js';
import { listReviewedFindings } from '../store/reviews.js';
import type { ReviewedFinding } from '../review/ledger.js';
import { crawlStats } from '../store/crawlData.js';
import { checks } from '../checks/index.js';
import { notDeadKinds, type DeadLinkOptions } from '../checks/dead-links.js';
import { CATEGORY_TITLES } from '../checks/defineCheck.js';
import { loadCheckRule, type CheckRule } from '../config/checkRules.js';
import { domainsForUnit, loadCatalogues } from '../config/catalogues.js';
import { loadIndicatorSystem } from '../scoring/indicatorSystem.js';
import { WorkdayCalendar } from '../workdays/calendar.js';
import { maskText, maskUrl } from '../pii/mask.js';
import type { Category } from '../checks/types.js';
import { loadRectification, type Rectification } from '../config/rectification.js';
import type { IndicatorResult, InspectionReport, ReportFinding, ReportUnit } from './model.js';

export interface ReportOptions {
  rulesDir?: string;
  issuer: string;
  /** The date the notices are issued (YYYY-MM-DD); defaults to the inspection date. */
  issueDate?: string;
}

function toReportFinding(f: ReviewedFinding, rules: Map<string, CheckRule>): ReportFinding {
  const check = checks.find((c) => c.id === f.checkId);
  const rule = rules.get(f.checkId);
  const category: Category = check?.category ?? 'site';
  // Evidence is stored masked; masking again is cheap insurance against a check that forgot.
  return {
    // The store's id, for `xuncha review`; check errors are not findings and have none.
    ...(f.id ? { findingId: f.id } : {}),
    unitId: f.unitId,
    checkId: f.checkId,
    checkTitle: check?.title ?? f.checkId,
    category,
    categoryTitle: CATEGORY_TITLES[category],
    outcome: f.outcome,
    kind: f.kind,
    message: maskText(f.message),
    url: maskUrl(f.url),
    location: maskText(f.location),
    evidence: maskText(f.evidence),
    basis: rule?.basis ?? '',
    advice: rule?.advice ?? '',
    verified: rule?.verified ?? false,
    ...(f.review
      ? {
          review: {
            decision: f.review.decision,
            reason: maskText(f.review.reason),
            reviewer: f.review.reviewer,
            decidedAt: f.review.decidedAt,
          },
        }
      : {}),
  };
}

function unverifiedList(
  rules: CheckRule[],
  /** The run's units: only the catalogues they are inspected against matter here. */
  units: { level: string; name: string; catalogues: { domain: string }[] }[],
  rulesDir: string,
  systemFile: string,
  systemVerified: boolean,
  calendar: WorkdayCalendar,
  rectification: Rectification,
): InspectionReport['unverified'] {
  const out: InspectionReport['unverified'] = [];
  for (const r of rules)
    if (!r.verified) out.push({ file: r.file, note: r.note ?? '该检查的依据或阈值尚待核实' });
  if (!systemVerified)
    out.push({ file: systemFile, note: '扣分分值为本地化设定，未见国家原文（否决阈值已核实）' });
  const catalogues = loadCatalogues(`${rulesDir}/catalogues`);
  const domains = new Set(
    units.flatMap((u) => [
      ...u.catalogues.map((c) => c.domain),
      ...domainsForUnit(catalogues, u).map((c) => c.domain),
    ]),
  );
  for (const c of catalogues)
    if (!c.verified && domains.has(c.domain))
      out.push({ file: c.file, note: `${c.domain}领域标准目录：${c.note ?? '目录事项尚待核实'}` });
  for (const [year, y] of calendar.years)
    if (!y.verified) out.push({ file: `${rulesDir}/calendar/${year}.yaml`, note: y.source });
  if (!rectification.verified)
    out.push({ file: `${rulesDir}/rectification.yaml`, note: rectification.note ?? '整改时限尚待核实' });
  return out;
}

/** Store → InspectionReport: the single object every output file is rendered from. */
export function buildReport(db: Db, runId: number, opts: ReportOptions): InspectionReport {
  const rulesDir = opts.rulesDir ?? 'rules';
  const run = getRun(db, runId);
  if (!run) throw new Error(`找不到巡查批次 ${runId}`);
  const rules = checks.map((c) => loadCheckRule(c, `${rulesDir}/checks`));
  const ruleMap = new Map(rules.map((r) => [r.id, r]));
  const notDead = notDeadKinds(ruleMap.get('dead-links')!.options as DeadLinkOptions);
  const system = loadIndicatorSystem(`${rulesDir}/indicators/national-2019.yaml`);
  const calendar = WorkdayCalendar.load(`${rulesDir}/calendar`);
  const rectification = loadRectification(rulesDir);
  const issueDate = opts.issueDate ?? run.inspectionDate;
  const deadline = calendar.addWorkdays(issueDate, rectification.deadlineWorkdays);
  const findings = listReviewedFindings(db, runId);
  const scores = new Map(listScores(db, runId).map((s) => [s.unitId, s]));
  const errors = listCheckErrors(db, runId);
  const unitRows = loadUnits(db, runId);
  // The 专栏 parts the check stage found and stored (sheet 公开专栏), when the check is on.
  const showDisclosure = ruleMap.get('disclosure-column')?.enabled ?? false;
  const units: ReportUnit[] = unitRows.map((u) => {
    const s = scores.get(u.id);
    const mine = findings.filter((f) => f.unitId === u.id).map((f) => toReportFinding(f, ruleMap));
    for (const e of errors.filter((x) => x.unitId === u.id))
      mine.push({
        ...toReportFinding(
          {
            id: 0,
            runId,
            unitId: u.id,
            checkId: e.checkId,
            outcome: 'error',
            kind: 'error',
            message: '检查程序出错，本项需人工复核',
            url: u.startUrls[0] ?? '',
            location: '',
            evidence: e.error.split('\n')[0] ?? '',
          },
          ruleMap,
        ),
      });
    const counts: Record<string, number> = {};
    for (const f of mine)
      if (f.outcome === 'fail') counts[f.categoryTitle] = (counts[f.categoryTitle] ?? 0) + 1;
    const crawl = crawlStats(db, runId, u.id, notDead);
    return {
      id: u.id,
      name: u.name,
      level: u.level,
      parent: u.parent,
      contact: u.contact,
      startUrls: u.startUrls,
      score: s?.score ?? 0,
      grade: s?.grade ?? '未评分',
      rank: s?.rank ?? 0,
      vetoed: s?.vetoed ?? false,
      vetoReason: s?.vetoReason ?? '',
      reasons: (s?.reasons ?? []) as IndicatorResult[],
      ...(s?.unscored !== undefined ? { unscored: s.unscored } : {}),
      counts,
      crawl,
      findings: mine,
      ...(showDisclosure ? { disclosure: listDisclosure(db, runId, u.id) } : {}),
    };
  });
  units.sort((a, b) => a.rank - b.rank);
  return {
    tool: { name: 'xuncha', version: VERSION },
    runId,
    inspectionDate: run.inspectionDate,
    startedAt: run.createdAt,
    finishedAt: new Date().toISOString(),
    indicatorSystem: {
      id: system.id,
      title: system.title,
      failBelow: system.failBelow,
      verified: system.verified,
      unreachable: {
        title: system.unreachable.title,
        basis: system.indicators.find((i) => i.id === system.unreachable.basis)?.title ?? '',
      },
    },
    categories: (Object.keys(CATEGORY_TITLES) as Category[]).map((id) => ({
      id,
      title: CATEGORY_TITLES[id],
    })),
    units,
    unverified: unverifiedList(
      rules,
      unitRows,
      rulesDir,
      system.file,
      system.verified,
      calendar,
      rectification,
    ),
    calendarWarnings: [...calendar.warnings],
    notice: { issuer: opts.issuer, issueDate, deadlineWorkdays: rectification.deadlineWorkdays, deadline },
  };
}
