import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load } from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadPreviousRuns, renderHtmlReport, shanghaiTime } from '../../src/report/htmlReport.js';
import type { InspectionReport } from '../../src/report/model.js';
import { scoreBins } from '../../src/report/svgCharts.js';
import { CATEGORIES, jyj, makeReport, mzj, rsj } from './fixtures.js';

const HOSTILE_TITLE = '<script>window.__pwned = 1</script>';
const HOSTILE_IMG = '"><img src=x onerror="window.__pwned=2">';

/** The fixture with scraped text that tries to break out of the markup (only in this test). */
function hostileReport(): InspectionReport {
  const report = makeReport();
  const hostileUnit = {
    ...jyj,
    findings: [
      ...jyj.findings,
      {
        ...jyj.findings[0]!,
        message: `页面标题为 ${HOSTILE_TITLE}`,
        location: HOSTILE_IMG,
        evidence: `<iframe src="https://evil.example/"></iframe> & ${HOSTILE_TITLE}`,
        url: 'javascript:window.__pwned=3',
      },
      { ...jyj.findings[1]!, url: `https://jyj.example.gov.cn/a?b=1&c="${HOSTILE_IMG}` },
    ],
  };
  return { ...report, units: report.units.map((u) => (u.id === 'jyj' ? hostileUnit : u)) };
}

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(hostileReport());
  const $ = load(html);

  it('has a header with batch, date and Beijing times', () => {
    expect($('h1').text()).toBe('网上巡查报告（第 12 批次，检查日期 2026-11-24）');
    expect($('header').text()).toContain('2026-11-24 09:00 至 2026-11-24 11:30（北京时间）');
    expect(shanghaiTime('2026-11-24T20:30:00.000Z')).toBe('2026-11-25 04:30');
  });

  it('lists the units in rank order with the workbook counts and anchor links', () => {
    const rows = $('table.ranking tbody tr');
    expect(rows.length).toBe(3);
    const names = rows.map((_, r) => $(r).find('td').eq(1).text()).get();
    expect(names).toEqual([mzj.name, jyj.name, rsj.name]);
    const heads = $('table.ranking thead th')
      .map((_, th) => $(th).text())
      .get();
    expect(heads.slice(0, 6)).toEqual(['排名', '单位', '级别', '得分', '等级', '单项否决']);
    expect(heads).toContain('问题数');
    const total = heads.indexOf('问题数');
    // Problems only (outcome fail): mzj has fail 2 (links, update), warn 1, needs-review 1.
    expect(rows.eq(0).find('td').eq(total).text()).toBe('2');
    expect(rows.eq(2).find('td').eq(total).text()).toBe('3');
    const privacy = heads.indexOf('个人信息保护');
    expect(rows.eq(2).find('td').eq(privacy).text()).toBe('2');
    expect(rows.eq(2).hasClass('failing')).toBe(true);
    for (const r of rows.get()) {
      const href = $(r).find('a').attr('href') ?? '';
      expect($(href).length, href).toBe(1);
      expect($(href).hasClass('unit')).toBe(true);
    }
  });

  it('draws the charts as inline SVG, the trend only when earlier runs are given', () => {
    expect($('svg.chart-histogram').length).toBe(1);
    expect($('svg.chart-histogram rect.bar').length).toBe(10);
    expect($('svg.chart-bar rect.bar').length).toBe(CATEGORIES.length);
    expect($('svg.chart-line').length).toBe(0);
    expect(scoreBins([0, 72, 88.5, 100]).map((b) => b.count)).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    const previous = makeReport({ runId: 11, inspectionDate: '2026-10-24' });
    const withTrend = load(renderHtmlReport(makeReport(), { previousRuns: [previous] }));
    expect(withTrend('svg.chart-line').length).toBe(2);
    expect(withTrend('svg.chart-line circle').length).toBe(4);
  });

  it('finds earlier runs for the trend by following previousRunId through run.json files', () => {
    const out = mkdtempSync(join(tmpdir(), 'xuncha-trend-'));
    const save = (r: InspectionReport) => {
      mkdirSync(join(out, String(r.runId)));
      writeFileSync(join(out, String(r.runId), 'run.json'), JSON.stringify(r));
    };
    save(makeReport({ runId: 3, inspectionDate: '2026-09-24' }));
    save({ ...makeReport({ runId: 7, inspectionDate: '2026-10-24' }), previousRunId: 3 } as InspectionReport);
    const current = { ...makeReport(), previousRunId: 7 } as InspectionReport;
    expect(loadPreviousRuns(out, current).map((r) => r.runId)).toEqual([7, 3]);
    // A missing run ends the chain; a report without previousRunId has no trend.
    expect(loadPreviousRuns(out, { ...makeReport(), previousRunId: 5 } as InspectionReport)).toEqual([]);
    expect(loadPreviousRuns(out, makeReport())).toEqual([]);
    const trend = load(renderHtmlReport(current, { previousRuns: loadPreviousRuns(out, current) }));
    expect(trend('svg.chart-line circle').length).toBe(6);
  });

  it('shows rank and score change against the previous run when the report has one', () => {
    const report = makeReport({ previousRunId: 11, previousInspectionDate: '2026-10-24' });
    report.units = report.units.map((u) =>
      u.id === 'mzj' ? { ...u, previous: { rank: 3, score: 80, problems: 4 } } : u,
    );
    const $t = load(renderHtmlReport(report));
    const heads = $t('table.ranking thead th')
      .map((_, th) => $t(th).text())
      .get();
    const rows = $t('table.ranking tbody tr');
    expect(rows.first().find('td').eq(heads.indexOf('升降位次')).text()).toBe('↑2');
    expect(rows.first().find('td').eq(heads.indexOf('得分变化')).text()).toBe('+8.5');
    expect(rows.eq(1).find('td').eq(heads.indexOf('升降位次')).text()).toBe('—');
    // Without a previous run there is nothing to compare, and no column for it.
    expect($('table.ranking thead th').text()).not.toContain('升降位次');
  });

  it('has a section per unit with its indicators and findings grouped by check', () => {
    const sections = $('section.unit');
    expect(sections.length).toBe(3);
    const mzjSection = sections.filter((_, s) => $(s).attr('data-unit-id') === 'mzj');
    expect(mzjSection.find('table.reasons tbody tr').length).toBe(mzj.reasons.length);
    expect(mzjSection.find('table.findings').length).toBe(4);
    expect(mzjSection.text()).toContain('HTTP 404 Not Found');
    expect(mzjSection.text()).toContain('依据：《政府网站与政务新媒体检查指标》：首页链接不可用');
    const rsjSection = sections.filter((_, s) => $(s).attr('data-unit-id') === 'rsj');
    expect(rsjSection.find('.veto').text()).toContain(rsj.vetoReason);
    expect(rsjSection.find('table.findings').first().find('tbody tr').length).toBe(2);
  });

  it('keeps scraped text as text and links only http(s) addresses', () => {
    expect(html).not.toContain(HOSTILE_TITLE);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<iframe');
    expect($('script').length).toBe(1);
    expect($('img, iframe').length).toBe(0);
    expect($('body').text()).toContain(HOSTILE_TITLE);
    expect($('a[href^="javascript"]').length).toBe(0);
    expect($('body').text()).toContain('javascript:window.__pwned=3');
    const links = $('section.unit a[href^="http"]');
    expect(links.length).toBeGreaterThan(5);
    for (const a of links.get()) expect($(a).attr('rel')).toContain('noreferrer');
    expect(
      $('a').filter((_, a) => $(a).attr('href') === `https://jyj.example.gov.cn/a?b=1&c="${HOSTILE_IMG}`)
        .length,
    ).toBe(1);
  });
});

describe('报告.html in Chromium', () => {
  const chromium = '/usr/bin/chromium';
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!existsSync(chromium)) return;
    const { chromium: launcher } = await import('playwright-core');
    browser = await launcher.launch({
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it.skipIf(!existsSync(chromium))(
    'opens offline without errors, runs no scraped script and sorts numerically',
    async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'xuncha-html-')), '报告.html');
      const report = hostileReport();
      // A fourth unit scoring 100 would sort first as text ("100" < "72"), last-but-one never.
      const extra = {
        ...mzj,
        id: 'tjj',
        name: '示范区统计局',
        score: 100,
        rank: 4,
        findings: [],
        counts: {},
      };
      writeFileSync(file, renderHtmlReport({ ...report, units: [...report.units, extra] }));
      const url = pathToFileURL(file).href;
      const page = await browser!.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.route('**/*', (route) =>
        route.request().url() === url ? route.continue() : route.abort('blockedbyclient'),
      );
      await page.goto(url, { waitUntil: 'load' });
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('svg.chart').count()).toBe(2);
      expect(await page.locator('section.unit').count()).toBe(4);
      // The hostile title is on the page as text, not as an element.
      expect(await page.locator('td', { hasText: HOSTILE_TITLE }).count()).toBeGreaterThan(0);
      expect(await page.locator('img, iframe').count()).toBe(0);

      const column = async (n: number) =>
        page.$$eval(`table.ranking tbody tr td:nth-child(${n})`, (tds) => tds.map((td) => td.textContent));
      const score = page.locator('table.ranking thead th', { hasText: '得分' }).locator('button');
      await score.click();
      expect(await column(4)).toEqual(['0', '72', '88.5', '100']);
      await score.click();
      expect(await column(4)).toEqual(['100', '88.5', '72', '0']);
      await page.locator('table.ranking thead th', { hasText: '单位' }).locator('button').click();
      expect(await column(2)).toHaveLength(4);

      // Anchor navigation stays inside the file.
      await page.locator('table.ranking a').first().click();
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(problems).toEqual([]);
      expect(new Set(requests)).toEqual(new Set([url]));
      await page.close();
    },
    60_000,
  );
});
