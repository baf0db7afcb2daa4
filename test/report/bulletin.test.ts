import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  blackList,
  bulletinContent,
  bulletinFigures,
  redList,
  unitProblemTotal,
} from '../../src/report/bulletinContent.js';
import { renderBulletinDocx } from '../../src/report/bulletinDocx.js';
import { renderBulletinHtml } from '../../src/report/bulletinHtml.js';
import { renderBulletinPdf, withBulletinWarning } from '../../src/report/bulletinPdf.js';
import type { ReportUnit } from '../../src/report/model.js';
import { renderRankingWorkbook } from '../../src/report/rankingWorkbook.js';
import { CHROMIUM_PATH, closeBrowser } from '../../src/render/htmlToPdf.js';
import { readDocxText, readWorkbook, readZipEntries, type SheetValue } from '../helpers/readBack.js';
import { jyj, makeReport, mzj, rsj } from './fixtures.js';

const report = makeReport();
const HEADINGS = ['一、总体情况', '二、排名情况', '三、红黑榜', '四、典型问题', '五、整改要求'];
const TITLE = '关于2026年11月政府网站网上巡查情况的通报';

/** A fourth unit whose home page could not be fetched: no score, ranked after everyone. */
const unreachable: ReportUnit = {
  ...jyj,
  id: 'wjj',
  name: '示范区卫生健康委员会',
  score: 0,
  grade: '无法访问',
  rank: 4,
  unscored: '连接超时（15 秒）',
  reasons: [],
  counts: {},
  findings: [],
  crawl: { pages: 0, attachments: 0, failures: 1 },
};

afterAll(closeBrowser);

async function docxText(rep = report): Promise<string[]> {
  return readDocxText(await renderBulletinDocx(rep));
}

/** The workbook's 排名 rows keyed by unit name, and its header row. */
async function rankingSheet(): Promise<{
  header: SheetValue[];
  rows: SheetValue[][];
  details: SheetValue[][];
}> {
  const sheets = await readWorkbook(await renderRankingWorkbook(report));
  const ranking = sheets['排名'] ?? [];
  const headerAt = ranking.findIndex((row) => row.includes('问题总数'));
  const details = sheets['问题明细'] ?? [];
  return { header: ranking[headerAt] ?? [], rows: ranking.slice(headerAt + 1), details };
}

describe('bulletinContent', () => {
  it('counts what the workbook shows', async () => {
    const { header, rows, details } = await rankingSheet();
    const figures = bulletinFigures(report);
    const column = (title: string) => header.indexOf(title);
    const sum = (title: string) => rows.reduce((s, row) => s + Number(row[column(title)] ?? 0), 0);
    expect(figures.problems).toBe(sum('问题总数'));
    for (const [title, n] of figures.problemsByCategory) expect(n, title).toBe(sum(title));
    const verdict = details[0]?.indexOf('结论') ?? -1;
    const withVerdict = (label: string) => details.slice(1).filter((row) => row[verdict] === label).length;
    expect(figures.problems).toBe(withVerdict('问题'));
    expect(figures.hints).toBe(withVerdict('提示'));
    expect(figures.needsReview).toBe(withVerdict('需人工复核'));
    expect(figures.errors).toBe(withVerdict('检查出错'));
    expect(figures).toMatchObject({ inspected: 3, scored: 3, unreachable: 0, problems: 7, hints: 1 });
    expect(figures.average).toBe(53.5);
    expect(figures.grades).toEqual([
      ['优秀', 1],
      ['良好', 0],
      ['合格', 1],
      ['不合格', 1],
    ]);
    expect(unitProblemTotal(rsj)).toBe(3);
  });

  it('puts the best passing unit on the 红榜 and failing units on the 黑榜 with the veto reason', () => {
    expect(redList(report).map((u) => u.name)).toEqual([mzj.name]);
    const black = blackList(report);
    expect(black.map((e) => e.unit.name)).toEqual([rsj.name]);
    expect(black[0]?.reason).toBe(`单项否决：${rsj.vetoReason}`);
  });

  it('lists unreachable units after the ranking and on the 黑榜', () => {
    const rep = makeReport({ units: [jyj, unreachable, rsj, mzj] });
    const content = bulletinContent(rep);
    const table = content.sections[1]?.blocks.find((b) => b.type === 'table');
    expect(table?.type === 'table' && table.rows.map((r) => r[1])).toEqual([
      mzj.name,
      jyj.name,
      rsj.name,
      unreachable.name,
    ]);
    expect(blackList(rep).map((e) => e.unit.name)).toEqual([rsj.name, unreachable.name]);
    expect(bulletinFigures(rep)).toMatchObject({ inspected: 4, scored: 3, unreachable: 1 });
  });

  it('takes the deadline the notices use', () => {
    const text = bulletinContent(report).sections[4]?.blocks.map((b) => (b.type === 'para' ? b.text : ''));
    expect(text?.join('')).toContain('于2026年12月8日前（10个工作日内）');
  });
});

describe('renderBulletinDocx', () => {
  it('is an official 通报 with every section', async () => {
    const paragraphs = await docxText();
    expect(paragraphs[0]).toBe(report.notice.issuer);
    expect(paragraphs[1]).toBe('关于2026年11月政府网站\n网上巡查情况的通报');
    expect(paragraphs[2]).toBe('各单位：');
    const at = HEADINGS.map((h) => paragraphs.indexOf(h));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(paragraphs).toContain('特此通报。');
    expect(paragraphs).toContain('2026年11月24日');
  });

  it('gives the figures the workbook shows', async () => {
    const text = (await docxText()).join('\n');
    const f = bulletinFigures(report);
    expect(text).toContain(`共发现问题${f.problems}个`);
    expect(text).toContain('提示1条');
    expect(text).toContain('优秀1家、良好0家、合格1家、不合格1家');
    for (const [title, n] of f.problemsByCategory.filter(([, x]) => x > 0))
      expect(text).toContain(`${title}${n}个`);
  });

  it('ranks the units in order, and names the 红黑榜', async () => {
    const paragraphs = await docxText();
    const ranking = paragraphs.indexOf('二、排名情况');
    const lists = paragraphs.indexOf('三、红黑榜');
    const inRanking = paragraphs.slice(ranking, lists);
    const order = [mzj, jyj, rsj].map((u) => inRanking.indexOf(u.name));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(inRanking[order[0]! - 1]).toBe('1');
    expect(inRanking[order[0]! + 1]).toBe('88.5');
    const inLists = paragraphs.slice(lists, paragraphs.indexOf('四、典型问题'));
    const red = inLists.indexOf('（一）红榜');
    const black = inLists.indexOf('（二）黑榜');
    expect(inLists.indexOf(mzj.name)).toBeGreaterThan(red);
    expect(inLists.indexOf(mzj.name)).toBeLessThan(black);
    expect(inLists.indexOf(rsj.name)).toBeGreaterThan(black);
    expect(inLists).toContain(`单项否决：${rsj.vetoReason}`);
  });

  it('gives typical problems with masked examples and URLs', async () => {
    const text = (await docxText()).join('\n');
    const privacy = rsj.findings[0]!;
    expect(text).toContain('个人信息保护（2个问题）');
    expect(text).toContain(`${rsj.name}：${privacy.message}（${privacy.url}）`);
    expect(text).not.toMatch(/(?<!\d)\d{17}[\dXx](?!\d)/);
  });

  it('has page numbers in the footers, outer edge on odd and even pages', async () => {
    const entries = await readZipEntries(await renderBulletinDocx(report));
    const footers = [...entries].filter(([name]) => /^word\/footer\d+\.xml$/.test(name));
    expect(footers.length).toBe(2);
    for (const [, xml] of footers) expect(xml).toContain('PAGE');
    expect(entries.get('word/settings.xml')).toContain('evenAndOddHeaders');
    expect(entries.get('word/document.xml')).toContain('w:color w:val="FF0000"');
  });
});

describe('renderBulletinHtml', () => {
  it('keeps scraped text inert', () => {
    const hostile: ReportUnit = { ...mzj, name: '<script>alert(1)</script>局' };
    const html = renderBulletinHtml(makeReport({ units: [hostile, jyj, rsj] }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;局');
  });
});

describe.runIf(existsSync(CHROMIUM_PATH))('renderBulletinPdf', () => {
  it('prints the title, every heading and the ranking', async () => {
    const pdf = await renderBulletinPdf(report);
    const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], {
      input: pdf,
      encoding: 'utf8',
    });
    const squeezed = text.replace(/\s+/g, '');
    expect(squeezed).toContain(TITLE);
    for (const h of HEADINGS) expect(squeezed).toContain(h);
    for (const u of [mzj, jyj, rsj]) expect(squeezed).toContain(u.name);
    expect(squeezed).toContain('—1—');
  }, 60_000);
});

describe('writing the 通报', () => {
  it('says a PDF failure once, or on its own when the notices printed', () => {
    const missing = '未找到 /usr/bin/chromium，请先运行 npm run setup';
    const notice = `未能生成 PDF 版整改通知（甲）：${missing}。DOCX 版已照常生成。`;
    const bulletin = { docx: 'x.docx', failure: missing };
    expect(withBulletinWarning(bulletin, [notice])).toEqual([notice]);
    expect(withBulletinWarning(bulletin, [])).toEqual([
      `未能生成 PDF 版通报：${missing}。DOCX 版已照常生成。`,
    ]);
    expect(withBulletinWarning({ docx: 'x.docx', pdf: 'x.pdf' }, [])).toEqual([]);
  });

  it('writes 通报-<批次>.docx even when Chromium is missing', async () => {
    vi.resetModules();
    vi.doMock('../../src/render/htmlToPdf.js', async (importOriginal) => ({
      ...(await importOriginal<typeof import('../../src/render/htmlToPdf.js')>()),
      htmlToPdf: () => Promise.reject(new Error('未找到 /usr/bin/chromium，请先运行 npm run setup')),
    }));
    try {
      const { writeReports: write } = await import('../../src/report/writeReports.js');
      const written = await write(report, mkdtempSync(join(tmpdir(), 'xuncha-bulletin-')));
      expect(basename(written.bulletin)).toBe('通报-12.docx');
      expect(existsSync(written.bulletin)).toBe(true);
      expect(written.bulletinPdf).toBeUndefined();
      expect(written.warnings).toHaveLength(1);
    } finally {
      vi.doUnmock('../../src/render/htmlToPdf.js');
      vi.resetModules();
    }
  });
});
