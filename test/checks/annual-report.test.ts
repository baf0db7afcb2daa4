import { describe, expect, it } from 'vitest';
import { annualReport } from '../../src/checks/annual-report.js';
import { evidence, listPage, runCheck } from '../helpers/evidence.js';

const column = (items: { title: string; date?: string }[]) =>
  evidence({ pages: { '/xxgk/nb/': listPage('政府信息公开年报', items) } });
const report = (year: number, date: string) => ({
  title: `示范区民政局${year}年政府信息公开工作年度报告`,
  date,
});

describe('annual-report', () => {
  it('passes a department whose last-year report came out by 31 January', () => {
    const ev = column([report(2025, '2026-01-20'), report(2024, '2025-01-22')]);
    expect(runCheck(annualReport, ev, '2026-11-24')).toEqual([]);
  });

  it('fails a report published after the deadline, and a missing one', () => {
    const late = runCheck(annualReport, column([report(2025, '2026-02-10')]), '2026-11-24');
    expect(late).toMatchObject([
      {
        outcome: 'fail',
        kind: 'late',
        message: '2025年度政府信息公开工作年度报告于 2026-02-10 公开，晚于 2026-01-31',
      },
    ]);
    const missing = runCheck(annualReport, column([report(2024, '2025-01-20')]), '2026-11-24');
    expect(missing).toMatchObject([
      {
        outcome: 'fail',
        kind: 'missing',
        message: '未公开2025年度政府信息公开工作年度报告（应于 2026-01-31 前公开）',
        evidence: '已找到的年度报告：2024',
      },
    ]);
  });

  it('before 31 January asks for the report of the year before last', () => {
    const ev = column([report(2024, '2025-01-20')]);
    expect(runCheck(annualReport, ev, '2026-01-25')).toEqual([]);
    expect(runCheck(annualReport, ev, '2026-02-01')).toMatchObject([{ kind: 'missing' }]);
  });

  it('gives the 本级政府 (区县政府 level) until 31 March', () => {
    const gov = evidence({
      unit: { level: '区县政府' },
      pages: { '/xxgk/nb/': listPage('政府信息公开年报', [report(2025, '2026-03-20')]) },
    });
    expect(runCheck(annualReport, gov, '2026-11-24')).toEqual([]);
  });

  it('asks a person to look when the site shows no 年报 column at all', () => {
    const ev = evidence({
      pages: { '/tzgg/': listPage('通知公告', [{ title: '关于春节放假的通知', date: '2026-11-01' }]) },
    });
    expect(runCheck(annualReport, ev, '2026-11-24')).toMatchObject([
      { outcome: 'needs-review', kind: 'not-found' },
    ]);
  });
});
