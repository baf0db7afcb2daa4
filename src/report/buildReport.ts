import { VERSION } from '../version.js';
import type { Db } from '../store/db.js';
import { getRun, loadUnits } from '../store/runs.js';
import { listCheckErrors, listDisclosure, listScores, type ScoreRow } from '../store/results.js';
import { listReviewedFindings } from '../store/reviews.js';
import type { ReviewedFinding } from '../review/ledger.js';
import { crawlStats, eachResource, listLinks, loadBody, resourcesByUrl } from '../store/crawlData.js';
import type { UnitRow } from '../store/runs.js';
import { decodeHtml } from '../crawl/decodeHtml.js';
import * as cheerio from 'cheerio';
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
import { countProblems, problemsByCategory } from './counts.js';
import { reportScreenshots } from './evidenceFiles.js';
import { compareInspections } from './recheck.js';

export interface ReportOptions {
  rulesDir?: string;
  issuer: string;
  /** 发文字号 printed under the 发文机关标志 of the notices (--doc-number); none when absent. */
  docNumber?: string;
  /** The date the notices are issued (YYYY-MM-DD); defaults to the inspection date. */
  issueDate?: string;
  /** false: no 月度对比 against the previous run (used when building that previous run itself). */
  trends?: boolean;
}

/**
 * The run 月度对比 compares against: the latest earlier finished run (reports written) that
 * inspected at least one of this run's units.
 */
export async function previousRunOf(db: Db, runId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('runs as r')
    .select('r.id')
    .where('r.id', '<', runId)
    .where('r.finished_at', 'is not', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('units as u')
          .select('u.id')
          .whereRef('u.run_id', '=', 'r.id')
          .where(
            'u.id',
            'in',
            eb.selectFrom('units as mine').select('mine.id').where('mine.run_id', '=', runId),
          ),
      ),
    )
    .orderBy('r.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** Only the 问题 (and what tells "fixed" from "cannot tell"): the re-check then follows 问题 alone. */
function problemsOnly(report: InspectionReport): InspectionReport {
  return {
    ...report,
    units: report.units.map((u) => ({ ...u, findings: u.findings.filter((f) => f.outcome !== 'warn') })),
  };
}

/**
 * 月度对比: each unit's standing in the previous run and the 问题 opened and closed since, from the
 * re-check's own comparison (新发现 = opened, 已整改 = closed; a problem at the same check, kind and
 * URL whose wording changed is neither). Pure: returns a new report.
 */
export function withTrends(current: InspectionReport, previous: InspectionReport): InspectionReport {
  const before = new Map(previous.units.map((u) => [u.id, u]));
  const crawlFailed = new Set(current.units.filter((u) => u.unscored !== undefined).map((u) => u.id));
  const compared = compareInspections(problemsOnly(previous), problemsOnly(current), {
    crawlFailed,
    fetched: new Map(),
  });
  const byUnit = new Map(compared.units.map((u) => [u.id, u]));
  const units = current.units.map((u): ReportUnit => {
    const p = before.get(u.id);
    if (!p) return u;
    const scored = p.unscored === undefined;
    const c = byUnit.get(u.id)?.counts;
    return {
      ...u,
      previous: {
        ...(scored ? { rank: p.rank, score: p.score } : {}),
        grade: p.grade,
        problems: countProblems(p.findings),
      },
      opened: c?.new ?? 0,
      closed: c?.fixed ?? 0,
    };
  });
  return {
    ...current,
    previousRunId: previous.runId,
    previousInspectionDate: previous.inspectionDate,
    units,
  };
}

/** The finding's attachment and the page it is published on (masked), when it is in an attachment. */
type FoundOn = NonNullable<ReportFinding['foundOn']>;

/** Checks whose findings in an attachment name the page publishing it (foundOn). */
const FOUND_ON_CHECKS = new Set(['personal-data-exposure']);

/** An article's title: meta ArticleTitle, else the longest part of <title> (the site name dropped). */
export function articleTitle(html: string): string {
  const $ = cheerio.load(html);
  const meta = $('meta')
    .toArray()
    .find((m) => ($(m).attr('name') ?? '').toLowerCase() === 'articletitle');
  const fromMeta = meta ? ($(meta).attr('content') ?? '').trim() : '';
  if (fromMeta) return fromMeta.replace(/\s+/g, ' ');
  const title = $('title').first().text().replace(/\s+/g, ' ').trim();
  const parts = title.split(/\s*[_|｜]\s*|\s+-\s+|-(?=[^-]*$)/).map((p) => p.trim());
  return parts.sort((a, b) => b.length - a.length)[0] ?? '';
}

/**
 * For every attachment a finding of FOUND_ON_CHECKS is in: the crawled page that links to it, its
 * title and URL (masked), keyed by the finding's (masked) URL. The link graph is the run's stored
 * links (page_links), as the dead-links check reads it; a page of the attachment's own unit is
 * preferred to a portal page of another unit. Read at report time: the check stage is unchanged.
 */
export async function attachmentPages(
  db: Db,
  runId: number,
  units: Pick<UnitRow, 'id'>[],
  findings: Pick<ReviewedFinding, 'checkId' | 'url'>[],
): Promise<Map<string, FoundOn>> {
  const out = new Map<string, FoundOn>();
  const wanted = new Set(findings.filter((f) => FOUND_ON_CHECKS.has(f.checkId)).map((f) => f.url));
  if (!wanted.size) return out;
  /** Raw attachment URL (as requested and as redirected to) → the finding URL and the unit. */
  const attachments = new Map<string, { key: string; unitId: string }>();
  for (const u of units)
    for await (const r of eachResource(db, runId, u.id)) {
      if (r.kind !== 'attachment') continue;
      const key = [r.url, r.finalUrl].map((x) => maskUrl(x)).find((x) => wanted.has(x));
      if (key) for (const raw of [r.url, r.finalUrl]) attachments.set(raw, { key, unitId: u.id });
    }
  if (!attachments.size) return out;
  /** Finding URL → the page chosen so far and whether it is of the attachment's own unit. */
  const chosen = new Map<string, { fromUrl: string; own: boolean }>();
  for (const u of units)
    for (const link of await listLinks(db, runId, u.id)) {
      const target = attachments.get(link.toUrl);
      if (!target || link.fromUrl === link.toUrl) continue;
      const own = u.id === target.unitId;
      const before = chosen.get(target.key);
      if (!before || (own && !before.own)) chosen.set(target.key, { fromUrl: link.fromUrl, own });
    }
  for (const [key, { fromUrl }] of chosen) {
    const page = (await resourcesByUrl(db, runId, [fromUrl]))[0];
    const body = page?.contentHash ? await loadBody(db, page.contentHash) : undefined;
    const title = body ? articleTitle(decodeHtml(body, page?.contentType).text) : '';
    out.set(key, { title: maskText(title), url: maskUrl(fromUrl) });
  }
  return out;
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
    if (!r.verified)
      out.push({
        file: r.file,
        note: r.note ?? '该检查的依据或阈值尚待核实',
        label: `检查项「${checks.find((c) => c.id === r.id)?.title ?? r.id}」`,
      });
  if (!systemVerified)
    out.push({
      file: systemFile,
      note: '扣分分值为本地化设定，未见国家原文（否决阈值已核实）',
      label: '指标体系扣分分值',
    });
  const catalogues = loadCatalogues(`${rulesDir}/catalogues`);
  const domains = new Set(
    units.flatMap((u) => [
      ...u.catalogues.map((c) => c.domain),
      ...domainsForUnit(catalogues, u).map((c) => c.domain),
    ]),
  );
  for (const c of catalogues)
    if (!c.verified && domains.has(c.domain))
      out.push({
        file: c.file,
        note: `${c.domain}领域标准目录：${c.note ?? '目录事项尚待核实'}`,
        label: `${c.domain}领域标准目录`,
      });
  for (const [year, y] of calendar.years)
    if (!y.verified)
      out.push({ file: `${rulesDir}/calendar/${year}.yaml`, note: y.source, label: `${year}年节假日安排` });
  if (!rectification.verified)
    out.push({
      file: `${rulesDir}/rectification.yaml`,
      note: rectification.note ?? '整改时限尚待核实',
      label: '整改时限',
    });
  return out;
}

/** A unit's score, grade, rank and veto as its stored score row says (未评分 without one). */
export function standingOf(
  s: ScoreRow | undefined,
): Pick<ReportUnit, 'score' | 'grade' | 'rank' | 'vetoed' | 'vetoReason' | 'reasons' | 'unscored'> {
  return {
    score: s?.score ?? 0,
    grade: s?.grade ?? '未评分',
    rank: s?.rank ?? 0,
    vetoed: s?.vetoed ?? false,
    vetoReason: s?.vetoReason ?? '',
    reasons: (s?.reasons ?? []) as IndicatorResult[],
    ...(s?.unscored !== undefined ? { unscored: s.unscored } : {}),
  };
}

/** Store → InspectionReport: the single object every output file is rendered from. */
export async function buildReport(db: Db, runId: number, opts: ReportOptions): Promise<InspectionReport> {
  const rulesDir = opts.rulesDir ?? 'rules';
  const run = await getRun(db, runId);
  if (!run) throw new Error(`找不到巡查批次 ${runId}`);
  const rules = checks.map((c) => loadCheckRule(c, `${rulesDir}/checks`));
  const ruleMap = new Map(rules.map((r) => [r.id, r]));
  const notDead = notDeadKinds(ruleMap.get('dead-links')!.options as DeadLinkOptions);
  const system = loadIndicatorSystem(`${rulesDir}/indicators/national-2019.yaml`);
  const calendar = WorkdayCalendar.load(`${rulesDir}/calendar`);
  const rectification = loadRectification(rulesDir);
  const issueDate = opts.issueDate ?? run.inspectionDate;
  const deadline = calendar.addWorkdays(issueDate, rectification.deadlineWorkdays);
  const findings = await listReviewedFindings(db, runId);
  const unitRows = await loadUnits(db, runId);
  const foundOn = await attachmentPages(db, runId, unitRows, findings);
  const scores = new Map((await listScores(db, runId)).map((s) => [s.unitId, s]));
  const errors = await listCheckErrors(db, runId);
  // The 专栏 parts the check stage found and stored (sheet 公开专栏), when the check is on.
  const showDisclosure = ruleMap.get('disclosure-column')?.enabled ?? false;
  const units: ReportUnit[] = [];
  for (const u of unitRows) {
    const s = scores.get(u.id);
    const mine = findings
      .filter((f) => f.unitId === u.id)
      .map((f) => {
        const on = FOUND_ON_CHECKS.has(f.checkId) ? foundOn.get(f.url) : undefined;
        return { ...toReportFinding(f, ruleMap), ...(on ? { foundOn: on } : {}) };
      });
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
    const counts = problemsByCategory(mine);
    const crawl = await crawlStats(db, runId, u.id, notDead);
    units.push({
      id: u.id,
      name: u.name,
      level: u.level,
      parent: u.parent,
      contact: u.contact,
      startUrls: u.startUrls,
      ...standingOf(s),
      counts,
      crawl,
      findings: mine,
      ...(showDisclosure ? { disclosure: await listDisclosure(db, runId, u.id) } : {}),
    });
  }
  units.sort((a, b) => a.rank - b.rank);
  const report: InspectionReport = {
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
    screenshots: await reportScreenshots(db, runId),
    notice: {
      issuer: opts.issuer,
      ...(opts.docNumber ? { docNumber: opts.docNumber } : {}),
      issueDate,
      deadlineWorkdays: rectification.deadlineWorkdays,
      deadline,
    },
  };
  const previousRunId = opts.trends === false ? undefined : await previousRunOf(db, runId);
  if (previousRunId === undefined) return report;
  return withTrends(report, await buildReport(db, previousRunId, { ...opts, trends: false }));
}
