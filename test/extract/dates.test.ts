import { describe, expect, it } from 'vitest';
import { dateFromUrl, daysBetween, findDates } from '../../src/extract/dates.js';

describe('dates', () => {
  it('reads the usual numeric forms and rejects impossible dates', () => {
    expect(
      findDates('发布时间：2025-03-12 09:30 成文日期：2025年3月1日 2025/2/30 2052-10.8.2').map((d) => d.iso),
    ).toEqual(['2025-03-12', '2025-03-01']);
  });

  it('reads Chinese-numeral dates of official documents in text order', () => {
    expect(
      findDates('示范区人民政府办公室 二○二五年三月十二日 印发；2025-03-14 发布').map((d) => d.iso),
    ).toEqual(['2025-03-12', '2025-03-14']);
    expect(findDates('二〇二六年十二月三十一日').map((d) => d.iso)).toEqual(['2026-12-31']);
    expect(findDates('二〇二六年二月三十日')).toEqual([]);
  });

  it('reads TRS and month-folder dates from URLs', () => {
    expect(dateFromUrl('http://x.gov.cn/xxgk/202503/t20250312_1234.html')).toMatchObject({
      iso: '2025-03-12',
      precision: 'day',
    });
    expect(dateFromUrl('http://x.gov.cn/art/202503/abc.html')).toMatchObject({
      iso: '2025-03-01',
      precision: 'month',
    });
    expect(dateFromUrl('http://x.gov.cn/col/col1229/index.html')).toBeUndefined();
  });

  it('counts days across month ends', () => {
    expect(daysBetween('2026-10-30', '2026-11-24')).toBe(25);
  });
});
