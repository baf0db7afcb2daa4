import type { InspectionReport, ReportFinding, ReportUnit } from './model.js';
import { findingKey, place, placeKey } from '../review/findingIdentity.js';

/**
 * 整改复查: what each unit fixed between an inspection and a later one. A pure comparison of two
 * InspectionReports plus what the later crawl reached, so it can be re-run from the store at will.
 */
export type RecheckStatus = 'fixed' | 'open' | 'changed' | 'new' | 'unverifiable' | 'dismissed';

export const RECHECK_STATUS_LABELS: Record<RecheckStatus, string> = {
  fixed: '已整改',
  open: '未整改',
  changed: '未整改（问题有变化）',
  new: '新发现',
  unverifiable: '无法复查',
  dismissed: '已排除（人工复核）',
};

/**
 * 未整改 as every output counts it: the problems still there, reworded or not (open + changed).
 * The 复查 workbook, the CLI summary and the 督办通知 all take it from here.
 */
export function unfinished(counts: Record<RecheckStatus, number>): number {
  return counts.open + counts.changed;
}

export interface RecheckItem {
  unitId: string;
  status: RecheckStatus;
  checkId: string;
  checkTitle: string;
  /** The finding as the earlier inspection reported it (absent for new findings). */
  previous?: ReportFinding;
  /** The finding now (absent when fixed or unverifiable). */
  current?: ReportFinding;
  /** Why this status (Chinese), e.g. 复查时已访问该网址，问题不再出现. */
  note: string;
  /** The unit's 整改反馈 on the earlier finding that an inspector accepted (xuncha serve). */
  feedback?: AcceptedFeedback;
}

/** 整改反馈 accepted by an inspector: what the unit said it did, and who accepted it. */
export interface AcceptedFeedback {
  note: string;
  submittedBy: string;
  submittedAt: string;
  decidedBy: string;
  decidedAt: string;
}

/** A unit's result in one inspection; `unscored` when its home page could not be fetched. */
export interface Standing {
  score: number;
  grade: string;
  rank: number;
  problems: number;
  unscored: boolean;
}

export interface RecheckUnit {
  id: string;
  name: string;
  /** Absent when the unit was not in that inspection. */
  previous?: Standing;
  current?: Standing;
  counts: Record<RecheckStatus, number>;
  /** fixed / (earlier problems that could be re-checked); undefined when there were none. */
  fixRate?: number;
  items: RecheckItem[];
}

export interface RecheckReport {
  previousRunId: number;
  previousDate: string;
  currentRunId: number;
  currentDate: string;
  units: RecheckUnit[];
}

/** What the later crawl reached, per unit: it decides between "fixed" and "cannot tell". */
export interface RecheckCoverage {
  /** Units whose later crawl failed (home page unreachable): nothing of theirs can be re-checked. */
  crawlFailed: Set<string>;
  /** URLs the later crawl fetched successfully, per unit. */
  fetched: Map<string, Set<string>>;
  /** Accepted 整改反馈 on the earlier inspection's findings, by findingKey (absent: none). */
  feedback?: Map<string, AcceptedFeedback>;
}

/** Outcomes a notice asks a unit to fix, and so the ones a re-check follows. */
const FOLLOWED = new Set(['fail', 'warn']);

function takeMatch(pool: Map<string, ReportFinding[]>, key: string): ReportFinding | undefined {
  const list = pool.get(key);
  const found = list?.shift();
  if (list && !list.length) pool.delete(key);
  return found;
}

function groupBy(findings: ReportFinding[], key: (f: ReportFinding) => string): Map<string, ReportFinding[]> {
  const out = new Map<string, ReportFinding[]>();
  for (const f of findings) out.set(key(f), [...(out.get(key(f)) ?? []), f]);
  return out;
}

/** The check could not judge this place now: it failed, or it asks a person to look. */
function undecided(previous: ReportFinding, unit: ReportUnit): boolean {
  return unit.findings.some(
    (f) =>
      f.checkId === previous.checkId &&
      (f.outcome === 'error' || (f.outcome === 'needs-review' && place(f.url) === place(previous.url))),
  );
}

/** Why a vanished finding counts as fixed, or why it cannot be told. */
function vanished(
  previous: ReportFinding,
  unit: ReportUnit | undefined,
  coverage: RecheckCoverage,
  reachedPlaces: Set<string>,
) {
  if (!unit) return { status: 'unverifiable' as const, note: '本次巡查未包含该单位' };
  if (coverage.crawlFailed.has(unit.id))
    return { status: 'unverifiable' as const, note: '本次网站无法访问，未能复查' };
  if (undecided(previous, unit))
    return { status: 'unverifiable' as const, note: '本次该检查项未能得出结论，需人工复核' };
  // A reviewer ruled it out since: not a fix, and not the unit's to fix.
  const dismissal = unit.findings.find(
    (f) => f.outcome === 'dismissed' && findingKey(f) === findingKey(previous),
  );
  if (dismissal?.review)
    return {
      status: 'dismissed' as const,
      note: `${dismissal.review.reviewer}复核排除：${dismissal.review.reason}`,
    };
  const reached = reachedPlaces.has(place(previous.url));
  return {
    status: 'fixed' as const,
    note: reached ? '复查时已访问该网址，问题不再出现' : '该网址本次未再抓取到（已撤下或不再链接）',
  };
}

function recheckUnit(
  previousUnit: ReportUnit | undefined,
  currentUnit: ReportUnit | undefined,
  coverage: RecheckCoverage,
): RecheckItem[] {
  const unitId = (previousUnit ?? currentUnit)!.id;
  const before = (previousUnit?.findings ?? []).filter((f) => FOLLOWED.has(f.outcome));
  const now = (currentUnit?.findings ?? []).filter((f) => FOLLOWED.has(f.outcome));
  const exact = groupBy(now, findingKey);
  const items: RecheckItem[] = [];
  const unmatched: ReportFinding[] = [];
  const reachedPlaces = new Set([...(coverage.fetched.get(unitId) ?? [])].map(place));
  // A unit that reported the problem fixed, and an inspector who accepted that, while the problem
  // is still there: the 复查 says so next to its own finding.
  const claimed = (previous: ReportFinding, note: string) =>
    coverage.feedback?.has(findingKey(previous))
      ? `${note}（单位已反馈整改并经审核认可，复查未能证实）`
      : note;
  for (const previous of before) {
    const current = takeMatch(exact, findingKey(previous));
    if (current) items.push(item(unitId, 'open', previous, current, claimed(previous, '复查时问题仍然存在')));
    else unmatched.push(previous);
  }
  const loose = groupBy([...exact.values()].flat(), placeKey);
  for (const previous of unmatched) {
    const current = takeMatch(loose, placeKey(previous));
    if (current)
      items.push(
        item(unitId, 'changed', previous, current, claimed(previous, '同一位置仍有同类问题，但内容有变化')),
      );
    else {
      const { status, note } = vanished(previous, currentUnit, coverage, reachedPlaces);
      items.push(item(unitId, status, previous, undefined, note));
    }
  }
  for (const i of items) {
    const feedback = i.previous && coverage.feedback?.get(findingKey(i.previous));
    if (feedback) i.feedback = feedback;
  }
  for (const current of [...loose.values()].flat())
    items.push(item(unitId, 'new', undefined, current, '上次巡查未发现'));
  return items;
}

function item(
  unitId: string,
  status: RecheckStatus,
  previous: ReportFinding | undefined,
  current: ReportFinding | undefined,
  note: string,
): RecheckItem {
  const f = (previous ?? current)!;
  return { unitId, status, checkId: f.checkId, checkTitle: f.checkTitle, previous, current, note };
}

function standing(unit: ReportUnit | undefined) {
  if (!unit) return undefined;
  const problems = unit.findings.filter((f) => f.outcome === 'fail').length;
  return {
    score: unit.score,
    grade: unit.grade,
    rank: unit.rank,
    problems,
    unscored: unit.unscored !== undefined,
  };
}

function summarise(items: RecheckItem[]): Pick<RecheckUnit, 'counts' | 'fixRate'> {
  const counts: Record<RecheckStatus, number> = {
    fixed: 0,
    open: 0,
    changed: 0,
    new: 0,
    unverifiable: 0,
    dismissed: 0,
  };
  for (const i of items) counts[i.status]++;
  const checkable = counts.fixed + counts.open + counts.changed;
  return { counts, ...(checkable ? { fixRate: counts.fixed / checkable } : {}) };
}

export function compareInspections(
  previous: InspectionReport,
  current: InspectionReport,
  coverage: RecheckCoverage,
): RecheckReport {
  const before = new Map(previous.units.map((u) => [u.id, u]));
  const now = new Map(current.units.map((u) => [u.id, u]));
  // Units in the later inspection's order, then any that were dropped from it.
  const ids = [...new Set([...current.units.map((u) => u.id), ...previous.units.map((u) => u.id)])];
  const units = ids.map((id): RecheckUnit => {
    const p = before.get(id);
    const c = now.get(id);
    const items = recheckUnit(p, c, coverage);
    return {
      id,
      name: (c ?? p)!.name,
      previous: standing(p),
      current: standing(c),
      ...summarise(items),
      items,
    };
  });
  return {
    previousRunId: previous.runId,
    previousDate: previous.inspectionDate,
    currentRunId: current.runId,
    currentDate: current.inspectionDate,
    units,
  };
}
