import type { Finding } from '../checks/types.js';
import type { IndicatorResult } from '../report/model.js';
import type { Indicator, IndicatorSystem } from './indicatorSystem.js';

export interface UnitScore {
  unitId: string;
  score: number;
  vetoed: boolean;
  vetoReason: string;
  grade: string;
  reasons: IndicatorResult[];
  /**
   * Set (the crawl's evidence, masked) when the unit's home page could not be fetched: no score, no
   * grade (`grade` holds the indicator system's unreachable title), ranked below every scored unit.
   */
  unscored?: string;
}

function counted(ind: Indicator, findings: Finding[]): Finding[] {
  return findings.filter((f) =>
    ind.checks.some(
      (ref) =>
        ref.check === f.checkId &&
        (!ref.kinds || ref.kinds.includes(f.kind)) &&
        (ref.outcomes as readonly string[]).includes(f.outcome),
    ),
  );
}

function evaluate(ind: Indicator, findings: Finding[]): IndicatorResult {
  const hits = counted(ind, findings);
  const base = {
    indicatorId: ind.id,
    title: ind.title,
    kind: ind.kind,
    findingCount: hits.length,
    verified: ind.verified,
  };
  if (ind.kind === 'veto') {
    const triggered = hits.length >= ind.whenCountAtLeast!;
    return {
      ...base,
      points: 0,
      triggered,
      reason: triggered ? `${ind.title}（实际 ${hits.length} 个）` : '',
    };
  }
  const units = ind.perSubject !== undefined ? new Set(hits.map((f) => f.url)).size : hits.length;
  const raw = units * (ind.perSubject ?? ind.perFinding ?? 0);
  // Deductions inside one indicator never exceed its points (standards.md §1.1).
  const points = Math.round(Math.min(raw, ind.points!) * 100) / 100;
  const what = ind.perSubject !== undefined ? `${units} 个页面或附件` : `${hits.length} 个问题`;
  return {
    ...base,
    points,
    triggered: points > 0,
    reason: points > 0 ? `${ind.title}：${what}，${ind.kind === 'bonus' ? '加' : '扣'} ${points} 分` : '',
  };
}

export function gradeOf(system: IndicatorSystem, score: number, vetoed: boolean): string {
  if (vetoed || score < system.failBelow) return system.failTitle;
  return (
    [...system.grades].sort((a, b) => b.min - a.min).find((g) => score >= g.min)?.title ?? system.failTitle
  );
}

/**
 * Pure: veto → 不合格; else 100 minus capped deductions (plus bonus above the bonus line). A unit
 * whose home page could not be fetched (`unreachable`: the crawl's evidence) is not scored at all:
 * the few findings an empty crawl yields would otherwise rank it near the top.
 */
export function scoreUnit(
  system: IndicatorSystem,
  unitId: string,
  findings: Finding[],
  unreachable?: string,
): UnitScore {
  if (unreachable !== undefined)
    return {
      unitId,
      score: 0,
      vetoed: false,
      vetoReason: '',
      grade: system.unreachable.title,
      reasons: [],
      unscored: unreachable,
    };
  const reasons = system.indicators.map((ind) => evaluate(ind, findings));
  const vetoes = reasons.filter((r) => r.kind === 'veto' && r.triggered);
  const deducted = reasons.filter((r) => r.kind === 'deduct').reduce((a, r) => a + r.points, 0);
  const bonus = reasons.filter((r) => r.kind === 'bonus').reduce((a, r) => a + r.points, 0);
  const base = Math.max(0, 100 - deducted);
  const score = Math.round((base + (base > 80 ? bonus : 0)) * 100) / 100;
  const vetoed = vetoes.length > 0;
  return {
    unitId,
    score,
    vetoed,
    vetoReason: vetoes.map((v) => v.reason).join('；'),
    grade: gradeOf(system, score, vetoed),
    reasons,
  };
}

/**
 * Scored units first (vetoed ones after the others), unscored units last; ties share a rank
 * (1, 2, 2, 4). Unscored units all share the rank after the last scored one.
 */
export function rankUnits<T extends { score: number; vetoed: boolean; unscored?: string }>(
  scores: T[],
): (T & { rank: number })[] {
  const tier = (s: T) => (s.unscored !== undefined ? 2 : s.vetoed ? 1 : 0);
  const sorted = [...scores].sort((a, b) => tier(a) - tier(b) || (tier(a) === 2 ? 0 : b.score - a.score));
  return sorted.map((s, i) => {
    const first = sorted.findIndex((o) => tier(o) === tier(s) && (tier(s) === 2 || o.score === s.score));
    return { ...s, rank: (first === -1 ? i : first) + 1 };
  });
}
