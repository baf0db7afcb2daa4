import type { z } from 'zod';
import type { Category, Finding, Outcome } from './types.js';
import type { UnitEvidence } from '../extract/unitEvidence.js';
import type { Catalogue } from '../config/catalogues.js';
import type { WorkdayCalendar } from '../workdays/calendar.js';

export interface CheckContext<O> {
  options: O;
  /** Inspection date (YYYY-MM-DD) against which freshness is measured. */
  inspectionDate: string;
  catalogues: Catalogue[];
  /** Chinese working days (holidays, 调休), for deadlines counted in 工作日. */
  calendar: WorkdayCalendar;
}

/** What a check returns: a finding without the ids the runner fills in. */
export type CheckFinding = Omit<Finding, 'checkId' | 'unitId'>;

export interface Check<S extends z.ZodType = z.ZodType> {
  id: string;
  title: string;
  failureTitle: string;
  category: Category;
  /** Schema of `options` in rules/checks/<id>.yaml (with defaults). */
  options: S;
  /** Pure: stored evidence in, findings out. No network, file or database access. */
  run(evidence: UnitEvidence, ctx: CheckContext<z.output<S>>): CheckFinding[];
}

export function defineCheck<S extends z.ZodType>(check: Check<S>): Check<S> {
  return check;
}

/** How each outcome is named to people (workbook 结论 column, CLI lists). */
export const OUTCOME_LABELS: Record<Outcome, string> = {
  fail: '问题',
  warn: '提示',
  'needs-review': '需人工复核',
  error: '检查出错',
  dismissed: '已排除（人工复核）',
};

export const CATEGORY_TITLES: Record<Category, string> = {
  links: '链接可用性',
  update: '信息更新',
  disclosure: '公开内容',
  interaction: '互动回应',
  privacy: '个人信息保护',
  site: '网站基本情况',
};
