import type { Outcome } from '../checks/types.js';

/**
 * What the outputs count, defined once. A 问题 is a finding whose outcome is `fail`; 提示 (`warn`)
 * and 需人工复核 (`needs-review`) are listed but not counted as problems; check errors and findings a
 * reviewer dismissed are neither.
 */
export const PROBLEM_DEFINITION =
  '问题数只计结论为“问题”的项；“提示”“需人工复核”“检查出错”和经人工复核排除的项不计入问题数。';

export function isProblem(f: { outcome: Outcome }): boolean {
  return f.outcome === 'fail';
}

/** The number of 问题 among findings (see PROBLEM_DEFINITION). */
export function countProblems(findings: readonly { outcome: Outcome }[]): number {
  return findings.filter(isProblem).length;
}

/** Problems (isProblem) per category title: a unit's 问题数 by category in every output. */
export function problemsByCategory(
  findings: readonly { outcome: Outcome; categoryTitle: string }[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) if (isProblem(f)) counts[f.categoryTitle] = (counts[f.categoryTitle] ?? 0) + 1;
  return counts;
}
