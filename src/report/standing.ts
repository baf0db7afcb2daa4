import type { InspectionReport, ReportUnit } from './model.js';

/**
 * A unit's standing and its change against the previous batch, defined once for every output that
 * shows them: the workbook's 排名 and 月度对比, 报告.html, the 整改通知 and the console.
 */

/** 得分 as every output prints it: at most two decimals. */
export function formatScore(score: number): string {
  return String(Math.round(score * 100) / 100);
}

/** A change as 报告.html and the console print it: ↑2 / ↓1 / 0, or — where there is none. */
export function signed(n: number | undefined, up: string, down: string): string {
  if (n === undefined) return '—';
  return n > 0 ? `${up}${n}` : n < 0 ? `${down}${-n}` : '0';
}

/** The batch's units, first place first (units that could not be scored are ranked last). */
export function unitsInRankOrder(report: InspectionReport): ReportUnit[] {
  return [...report.units].sort((a, b) => a.rank - b.rank);
}

/**
 * Against the previous batch: places gained (上次名次 − 本次名次, positive is up) and the score
 * change rounded to 0.01; each absent where either side was not scored.
 */
export function standingChange(unit: ReportUnit): { places?: number; score?: number } {
  const p = unit.previous;
  if (!p || unit.unscored !== undefined) return {};
  return {
    ...(p.rank !== undefined ? { places: p.rank - unit.rank } : {}),
    ...(p.score !== undefined ? { score: Math.round((unit.score - p.score) * 100) / 100 } : {}),
  };
}
