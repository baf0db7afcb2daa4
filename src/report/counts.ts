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
