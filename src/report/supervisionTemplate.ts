import { z } from 'zod';
import { loadWordingTemplate } from './noticeTemplate.js';

/**
 * Wording of the 督办通知 (reports/templates/supervision.yaml) and its shorter deadline. What the
 * 督办通知 shares with the 整改通知 (issuer, addressee, 抄送, 印发机关, 提示 prefix, the note on
 * unverified figures, the 回执's other labels) stays in notice.yaml.
 */
export interface SupervisionTemplate {
  /** 督办整改时限 in working days from the 督办通知's issue date (shorter than the first deadline). */
  deadlineWorkdays: number;
  title: string;
  governmentTitle: string;
  intro: string;
  overdue: string;
  newProblems: string;
  unverifiable: string;
  order: string;
  summaryHeading: string;
  openHeading: string;
  newHeading: string;
  adviceHeading: string;
  categoryHeading: string;
  demand: string;
  deadline: string;
  closing: string;
  receipt: { title: string; subtitle: string; progressValue: string; footer: string };
}

const PLACEHOLDERS: Record<string, readonly string[]> = {
  title: ['unit'],
  governmentTitle: ['unit'],
  intro: ['unit', 'firstDate', 'firstTitle', 'firstDeadline', 'date', 'fixed', 'open'],
  overdue: ['overdue'],
  newProblems: ['count'],
  unverifiable: ['count'],
  categoryHeading: ['index', 'category', 'count'],
  deadline: ['deadline', 'workdays', 'issuer'],
  'receipt.subtitle': ['title'],
  'receipt.progressValue': ['open', 'new'],
  'receipt.footer': ['deadline', 'issuer'],
};

const NON_EMPTY = '必须是非空字符串';
const MAPPING = { error: '必须是“字段: 值”形式的映射' };
const text = () => z.string({ error: NON_EMPTY }).trim().min(1, { error: NON_EMPTY });

const SupervisionTemplateSchema = z.strictObject(
  {
    deadlineWorkdays: z
      .number({ error: '必须是正整数（工作日数）' })
      .int({ error: '必须是正整数（工作日数）' })
      .positive({ error: '必须是正整数（工作日数）' }),
    title: text(),
    governmentTitle: text(),
    intro: text(),
    overdue: text(),
    newProblems: text(),
    unverifiable: text(),
    order: text(),
    summaryHeading: text(),
    openHeading: text(),
    newHeading: text(),
    adviceHeading: text(),
    categoryHeading: text(),
    demand: text(),
    deadline: text(),
    closing: text(),
    receipt: z.strictObject(
      { title: text(), subtitle: text(), progressValue: text(), footer: text() },
      MAPPING,
    ),
  },
  MAPPING,
);

/** Load and validate the 督办通知 wording; errors are Chinese and name the file, field and line. */
export function loadSupervisionTemplate(file = 'reports/templates/supervision.yaml'): SupervisionTemplate {
  return loadWordingTemplate(file, SupervisionTemplateSchema, PLACEHOLDERS, '督办通知模板');
}
