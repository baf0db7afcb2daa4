import type { z } from 'zod';
import type { Category, Finding, Outcome } from './types.js';
import type { PageStep, UnitEvidence } from '../extract/unitEvidence.js';
import type { PageFacts } from '../extract/htmlPage.js';

export type { PageStep } from '../extract/unitEvidence.js';
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

export interface Check<S extends z.ZodType = z.ZodType, N = unknown> {
  id: string;
  title: string;
  failureTitle: string;
  category: Category;
  /** Schema of `options` in rules/checks/<id>.yaml (with defaults). */
  options: S;
  /**
   * Optional first step, for checks that read a page's text, tables or links: called once per
   * page, whole, while the unit's pages stream from the store; what it returns (undefined: nothing)
   * is kept by page URL and handed to `run` as `notes`. The evidence keeps only page summaries, so
   * this is the only place a page's text is seen. Pure, like `run`.
   */
  page?(page: PageFacts, ctx: CheckContext<z.output<S>>, step: PageStep): N | undefined;
  /** Pure: stored evidence (and the notes of `page`) in, findings out. No network, file or database access. */
  run(evidence: UnitEvidence, ctx: CheckContext<z.output<S>>, notes?: ReadonlyMap<string, N>): CheckFinding[];
}

/** The notes of a check's `page` step; running it without them would silently find nothing. */
export function pageNotes<N>(
  check: string,
  notes: ReadonlyMap<string, N> | undefined,
): ReadonlyMap<string, N> {
  if (!notes) throw new Error(`${check}: run without the notes of its page step`);
  return notes;
}

export function defineCheck<S extends z.ZodType, N = unknown>(check: Check<S, N>): Check<S, N> {
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
