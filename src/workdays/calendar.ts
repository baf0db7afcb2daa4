import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import chineseDaysModule from 'chinese-days';
import { z } from 'zod';

// CommonJS build: the functions sit on the default export.
const chineseDays = chineseDaysModule as unknown as {
  isWorkday(date: string): boolean;
  getHolidaysInRange(start: string, end: string, includeWeekends: boolean): string[];
};
import { configErrorAt, loadYamlFile } from '../config/yamlFile.js';

const covered = new Map<number, boolean>();

/** chinese-days has data for a year when it knows at least one holiday in it. */
function packageCovers(year: number): boolean {
  let has = covered.get(year);
  if (has === undefined) {
    has = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    covered.set(year, has);
  }
  return has;
}

/** True for a real calendar day written YYYY-MM-DD (not 2026-13-45 or 2026-02-30). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  // Date rolls 02-30 over to 03-02; the round trip catches that.
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const isoDay = z
  .string({ message: '应为 YYYY-MM-DD 格式的日期' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为 YYYY-MM-DD' })
  .refine(isCalendarDate, { message: '不是真实存在的日期' });

export const calendarFileSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    verified: z.boolean(),
    source: z.string().min(1),
    holidays: z.array(isoDay).default([]),
    workdays: z.array(isoDay).default([]),
  })
  .strict()
  .superRefine((f, ctx) => {
    // A date filed under the wrong year is almost always a typo in the year, and a day listed as
    // both holiday and working day has no meaning: refuse both rather than guess.
    const holidays = new Set(f.holidays);
    for (const list of ['holidays', 'workdays'] as const)
      f[list].forEach((d, i) => {
        if (!d.startsWith(`${f.year}-`))
          ctx.addIssue({ code: 'custom', path: [list, i], message: `日期不在本文件的年份 ${f.year} 内` });
        else if (list === 'workdays' && holidays.has(d))
          ctx.addIssue({ code: 'custom', path: [list, i], message: '同一天不能既是节假日又是调休上班日' });
      });
  });

/**
 * Chinese working days: Monday–Friday, minus public holidays, plus 调休 weekend working days.
 * The base data is the npm package chinese-days (refreshed by its maintainers each year);
 * rules/calendar/<year>.yaml overrides it day by day, so an office can correct a date without a
 * code change. A year neither covers falls back to weekends only, and the reports say so.
 */
export class WorkdayCalendar {
  private readonly holidays = new Set<string>();
  private readonly workdays = new Set<string>();
  readonly years = new Map<number, { verified: boolean; source: string }>();
  readonly warnings = new Set<string>();

  static load(dir = 'rules/calendar'): WorkdayCalendar {
    const cal = new WorkdayCalendar();
    for (const f of readdirSync(dir)
      .filter((n) => /^\d{4}\.ya?ml$/.test(n))
      .sort()) {
      const file = join(dir, f);
      const data = loadYamlFile(file, calendarFileSchema);
      if (data.year !== Number(f.slice(0, 4)))
        throw configErrorAt(file, ['year'], `应与文件名的年份 ${f.slice(0, 4)} 一致，实际为 ${data.year}`);
      cal.years.set(data.year, { verified: data.verified, source: data.source });
      data.holidays.forEach((d) => cal.holidays.add(d));
      data.workdays.forEach((d) => cal.workdays.add(d));
    }
    return cal;
  }

  isWorkday(iso: string): boolean {
    if (this.workdays.has(iso)) return true;
    if (this.holidays.has(iso)) return false;
    if (packageCovers(Number(iso.slice(0, 4)))) return chineseDays.isWorkday(iso);
    if (!this.years.has(Number(iso.slice(0, 4))))
      this.warnings.add(`${iso.slice(0, 4)} 年节假日数据缺失，按周末推算`);
    const day = new Date(`${iso}T00:00:00Z`).getUTCDay();
    return day !== 0 && day !== 6;
  }

  /** The date `n` working days after `from` (from itself not counted). */
  addWorkdays(from: string, n: number): string {
    const d = new Date(`${from}T00:00:00Z`);
    for (let left = n; left > 0;) {
      d.setUTCDate(d.getUTCDate() + 1);
      if (this.isWorkday(d.toISOString().slice(0, 10))) left--;
    }
    return d.toISOString().slice(0, 10);
  }

  /** Working days after `from` up to and including `to`. */
  countWorkdays(from: string, to: string): number {
    let count = 0;
    const d = new Date(`${from}T00:00:00Z`);
    const end = new Date(`${to}T00:00:00Z`);
    while (d < end) {
      d.setUTCDate(d.getUTCDate() + 1);
      if (this.isWorkday(d.toISOString().slice(0, 10))) count++;
    }
    return count;
  }
}
