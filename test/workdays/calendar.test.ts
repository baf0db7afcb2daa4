import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkdayCalendar } from '../../src/workdays/calendar.js';
import { ConfigError } from '../../src/config/yamlFile.js';

const cal = WorkdayCalendar.load('rules/calendar');

describe('working-day calendar', () => {
  it('knows 2025 holidays and 调休 working weekends', () => {
    expect(cal.isWorkday('2025-10-08')).toBe(false); // 国庆中秋
    expect(cal.isWorkday('2025-10-11')).toBe(true); // Saturday worked
    expect(cal.isWorkday('2025-01-26')).toBe(true); // Sunday worked before 春节
    expect(cal.isWorkday('2025-01-29')).toBe(false);
  });

  it('knows 2026 holidays and 调休 days', () => {
    expect(cal.isWorkday('2026-02-16')).toBe(false);
    expect(cal.isWorkday('2026-02-14')).toBe(true);
    expect(cal.isWorkday('2026-10-10')).toBe(true);
    expect(cal.isWorkday('2026-10-07')).toBe(false);
  });

  it('adds working days across a holiday', () => {
    // 2026-09-30 (Wed) + 3 working days: Oct 1–7 off, Oct 8 Thu, 9 Fri, 10 Sat (调休).
    expect(cal.addWorkdays('2026-09-30', 3)).toBe('2026-10-10');
    expect(cal.countWorkdays('2026-09-30', '2026-10-10')).toBe(3);
    expect(cal.addWorkdays('2026-11-24', 10)).toBe('2026-12-08');
  });

  it('says so when a year has no data, and falls back to weekends', () => {
    const c = WorkdayCalendar.load('rules/calendar');
    expect(c.addWorkdays('2027-12-30', 2)).toBe('2028-01-03');
    expect([...c.warnings]).toEqual([
      '2027 年节假日数据缺失，按周末推算',
      '2028 年节假日数据缺失，按周末推算',
    ]);
  });

  it('takes years without a rules file from the chinese-days package', () => {
    const c = WorkdayCalendar.load('rules/calendar');
    expect(c.isWorkday('2024-10-12')).toBe(true); // 调休 Saturday
    expect(c.isWorkday('2024-10-03')).toBe(false);
    expect([...c.warnings]).toEqual([]);
  });

  it('lets rules/calendar override the package day by day', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-cal-'));
    writeFileSync(
      join(dir, '2026.yaml'),
      'year: 2026\nverified: false\nsource: 本地通知\nholidays: [2026-11-25]\nworkdays: [2026-11-28]\n',
    );
    const c = WorkdayCalendar.load(dir);
    expect(c.isWorkday('2026-11-25')).toBe(false);
    expect(c.isWorkday('2026-11-28')).toBe(true);
    expect(c.isWorkday('2026-10-10')).toBe(true); // still the package's 调休 day
  });

  it('refuses impossible dates, dates of another year and a year that is not the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-cal-'));
    const file = join(dir, '2026.yaml');
    const message = (text: string) => {
      writeFileSync(file, text);
      try {
        WorkdayCalendar.load(dir);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    const head = 'year: 2026\nverified: false\nsource: 本地通知\n';
    expect(message(`${head}holidays:\n  - 2026-10-01\n  - 2026-13-45\n`)).toBe(
      `${file}:6 字段 holidays[1]：不是真实存在的日期，实际为 "2026-13-45"`,
    );
    expect(message(`${head}workdays: [2026-02-30]\n`)).toBe(
      `${file}:4 字段 workdays[0]：不是真实存在的日期，实际为 "2026-02-30"`,
    );
    expect(message(`${head}holidays: [2027-01-01]\n`)).toContain('日期不在本文件的年份 2026 内');
    expect(message(`${head}holidays: [2026-10-08]\nworkdays: [2026-10-08]\n`)).toContain(
      '同一天不能既是节假日又是调休上班日',
    );
    expect(message(head.replace('year: 2026', 'year: 2025'))).toBe(
      `${file}:1 字段 year：应与文件名的年份 2026 一致，实际为 2025`,
    );
  });
});
