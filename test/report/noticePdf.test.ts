import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReportFinding, ReportUnit } from '../../src/report/model.js';
import { renderNoticeDocx } from '../../src/report/noticeDocx.js';
import { renderNoticeHtml } from '../../src/report/noticeHtml.js';
import { renderNoticePdf } from '../../src/report/noticePdf.js';
import { loadNoticeTemplate, type NoticeTemplate } from '../../src/report/noticeTemplate.js';
import { writeReports } from '../../src/report/writeReports.js';
import { closeBrowser } from '../../src/render/htmlToPdf.js';
import { readZipEntries } from '../helpers/readBack.js';
import { jyj, makeReport, mzj, rsj } from './fixtures.js';

const report = makeReport();
const UNITS = [rsj, mzj, jyj];
const ID_CARD = /(?<!\d)\d{17}[\dXx](?!\d)/;
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
const ANNEX_HEADER_ROW = '序号网址位置证据（已脱敏）';
let template: NoticeTemplate;
const pdfs = new Map<string, Buffer>();

beforeAll(async () => {
  template = loadNoticeTemplate();
  for (const unit of UNITS) pdfs.set(unit.id, await renderNoticePdf(report, unit, template));
});

afterAll(closeBrowser);

/**
 * -raw keeps each table cell's lines together (content-stream order); -layout places wrapped
 * cells side by side, so it only serves for pages (split on \f).
 */
function pdfText(pdf: Buffer, mode: '-raw' | '-layout' = '-raw'): string {
  return execFileSync('pdftotext', [mode, '-enc', 'UTF-8', '-', '-'], { input: pdf, encoding: 'utf8' });
}

function pdfPages(pdf: Buffer): string[] {
  return pdfText(pdf, '-layout')
    .split('\f')
    .filter((page) => page.trim().length > 0);
}

interface PdfWord {
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** Words with their boxes (points), per page, from pdftotext -bbox. */
function pdfWords(pdf: Buffer): { width: number; words: PdfWord[] }[] {
  const xhtml = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', '-', '-'], {
    input: pdf,
    encoding: 'utf8',
  });
  return xhtml
    .split('<page ')
    .slice(1)
    .map((page) => ({
      width: Number(/width="([\d.]+)"/.exec(page)?.[1]),
      words: [
        ...page.matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
        ),
      ].map((m) => ({
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
        text: m[5] ?? '',
      })),
    }));
}

/** Line wraps and justification put whitespace anywhere; compare without it. */
const squeeze = (text: string) => text.replace(/\s+/g, '');
const listed = (unit: ReportUnit) => unit.findings.filter((f) => template.outcomes.includes(f.outcome));
const titleOf = (unit: ReportUnit) => `关于${unit.name}政府网站问题整改的通知`;

function unitWith(findings: ReportFinding[], name = rsj.name): ReportUnit {
  return { ...rsj, name, findings };
}

describe('renderNoticePdf', () => {
  it.each(UNITS.map((u) => [u.id, u] as const))('prints the whole notice of %s', (id, unit) => {
    const pdf = pdfs.get(id)!;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = squeeze(pdfText(pdf));
    expect(text).toContain(squeeze(titleOf(unit)));
    expect(text).toContain(`${unit.name}：`);
    expect(text).toContain('请于2026年12月8日前（10个工作日内）完成整改');
    expect(text).toContain('示范区人民政府办公室（政务公开办）2026年11月24日');
    for (const f of listed(unit)) {
      expect(text).toContain(squeeze(f.url));
      expect(text).toContain(squeeze(f.evidence));
    }
    for (const f of unit.findings.filter((x) => !listed(unit).includes(x)))
      expect(text).not.toContain(squeeze(f.message));
  });

  it('says the veto and the pending figures', () => {
    const text = squeeze(pdfText(pdfs.get('rsj')!));
    expect(text).toContain('单项否决情形：泄露个人隐私（2处未脱敏个人信息）');
    expect(text).toContain('共2项）尚待核实');
  });

  it('puts the 回执 on its own last page and numbers every page', () => {
    const pages = pdfPages(pdfs.get('rsj')!);
    expect(pages.length).toBeGreaterThan(1);
    expect(squeeze(pages[0]!)).toMatch(new RegExp(`^示范区人民政府办公室${squeeze(titleOf(rsj))}`));
    const receipt = pages.at(-1)!;
    expect(squeeze(receipt)).toMatch(/^附件整改情况回执/);
    expect(squeeze(receipt)).toMatch(/抄送：县政府督查室。示范区人民政府办公室2026年11月24日印发—\d+—$/);
    expect(receipt).not.toContain('特此通知');
    expect(squeeze(receipt)).toContain('共3个问题（另有提示0条）');
    pages.forEach((page, i) => expect(squeeze(page)).toMatch(new RegExp(`—${i + 1}—$`)));
  });

  it('is laid out per GB/T 9704: margins, 28 characters a line, 22 lines a page, outer page numbers', async () => {
    const withNumber = makeReport({ notice: { ...report.notice, docNumber: '示政办〔2026〕12号' } });
    const pages = pdfWords(await renderNoticePdf(withNumber, rsj, template));
    const [first] = pages;
    const texts = first!.words.map((w) => w.text);
    expect(texts.slice(0, 4)).toEqual([
      '示范区人民政府办公室',
      '示政办〔2026〕12号',
      '关于示范区人力资源和社会保障局',
      '政府网站问题整改的通知',
    ]);
    // Body lines: between the 28 mm and 26 mm margins (in points, 1 mm = 2.835 pt).
    const mm = 72 / 25.4;
    const body = first!.words.filter((w) => w.yMin > 320 && w.yMin < 560);
    expect(Math.min(...body.map((w) => w.xMin))).toBeCloseTo(28 * mm, -0.5);
    expect(first!.width - Math.max(...body.map((w) => w.xMax))).toBeGreaterThan(25 * mm);
    // A full line of Chinese is 28 characters; the line pitch is 28.9 pt (22 lines in 225 mm).
    const rows = [...new Set(body.map((w) => Math.round(w.yMin * 10) / 10))];
    // Full body lines (16 pt words, boxes about 41 pt tall) on any page.
    const full = pages.flatMap((page) => {
      const words = page.words.filter((w) => w.yMax - w.yMin > 38 && w.yMax - w.yMin < 45);
      const ys = [...new Set(words.map((w) => Math.round(w.yMin * 10) / 10))];
      return ys
        .map((y) => words.filter((w) => Math.round(w.yMin * 10) / 10 === y))
        .filter((ws) => ws[0]!.xMin < 30 * mm && ws.at(-1)!.xMax > page.width - 27 * mm)
        .map((ws) => ws.map((w) => w.text).join(''))
        .filter((text) => !/[\x20-\x7e]/.test(text));
    });
    expect(full.length).toBeGreaterThan(1);
    // 28, or 27 where a closing mark may not start the next line (避头尾 moves one character down).
    for (const line of full) expect([27, 28], line).toContain([...line].length);
    expect(full.filter((line) => [...line].length === 28).length).toBeGreaterThanOrEqual(full.length / 2);
    const pitch = (rows.at(-1)! - rows[0]!) / (rows.length - 1);
    expect(pitch).toBeCloseTo(28.9, 0);
    expect(Math.floor((225 * mm) / pitch)).toBe(22);
    // — n — on the outer edge: odd pages right, even pages left.
    for (const [i, page] of pages.entries()) {
      const dashes = page.words.filter((w) => w.text === '—');
      expect(dashes, `page ${i + 1}`).toHaveLength(2);
      const centre = (dashes[0]!.xMin + dashes[1]!.xMax) / 2;
      if (i % 2 === 0) expect(centre).toBeGreaterThan(page.width * 0.75);
      else expect(centre).toBeLessThan(page.width * 0.25);
    }
  });

  it('prints no 文号 placeholder when none is set', () => {
    const text = pdfText(pdfs.get('rsj')!);
    expect(text).not.toMatch(/〔\s*〕|第\s*号/);
    expect(squeeze(text)).toContain(
      '特此通知。附件：整改情况回执示范区人民政府办公室（政务公开办）2026年11月24日',
    );
  });

  it('moves a long list to an annex that wraps long URLs and repeats its header on each page', async () => {
    const long = (i: number) => `http://rsj.sfq.example.gov.cn/xxgk/${'a'.repeat(120)}/${i}.html`;
    const many = Array.from({ length: 30 }, (_, i) => ({ ...rsj.findings[2]!, url: long(i) }));
    const pdf = await renderNoticePdf(makeReport({ units: [unitWith(many)] }), unitWith(many), template);
    const raw = pdfText(pdf);
    for (const f of many) {
      expect(squeeze(raw)).toContain(f.url);
      expect(raw.split('\n').some((line) => line.includes(f.url))).toBe(false);
    }
    expect(squeeze(raw)).toContain('首页链接无法访问（连接超时）（共30处）');
    expect(squeeze(raw)).toContain('附件：1.整改情况回执2.链接可用问题清单');
    const tablePages = pdfPages(pdf).filter((page) => page.includes('http://'));
    expect(tablePages.length).toBeGreaterThan(1);
    expect(squeeze(tablePages[0]!)).toMatch(/^附件2链接可用问题清单/);
    for (const page of tablePages) expect(squeeze(page)).toContain(ANNEX_HEADER_ROW);
  });

  it('contains no unmasked ID or mobile number', () => {
    for (const [id, pdf] of pdfs) {
      const text = pdfText(pdf);
      expect(text, id).not.toMatch(ID_CARD);
      expect(text, id).not.toMatch(MOBILE);
    }
    const rsjText = squeeze(pdfText(pdfs.get('rsj')!));
    expect(rsjText).toContain('350502********1234');
    expect(rsjText).toContain('138****5678');
  });
});

describe('renderNoticeHtml', () => {
  const hostile: ReportFinding = {
    ...rsj.findings[2]!,
    message: `页面含有<script>alert("x")</script> & 'q'`,
    url: 'http://rsj.sfq.example.gov.cn/search?a=1&b=<2>',
    location: '</td></tr></table><img src=x onerror=alert(1)>',
    evidence: '<meta name="SiteName" content="示范区"> &amp; \u0001',
  };
  const unit = unitWith([hostile], '示范区<人社>&局');
  const html = () => renderNoticeHtml(makeReport({ units: [unit] }), unit, template);

  it('escapes every text that comes from a web page', () => {
    const out = html();
    expect(out).not.toMatch(/<script|<img|<meta name="SiteName"/i);
    expect(out).toContain('页面含有&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
    expect(out).toContain('search?a=1&amp;b=&lt;2&gt;');
    expect(out).toContain('示范区&lt;人社&gt;&amp;局：');
    const $ = cheerio.load(out);
    const cells = $('table.problems tbody td')
      .map((_, td) => $(td).text())
      .get();
    const evidence = hostile.evidence.replace('\u0001', ' ');
    expect(cells).toEqual(['1', hostile.message, hostile.url, hostile.location, evidence]);
    expect(out).toContain('依据：');
  });

  it('is self-contained: no script, no external resource', () => {
    const out = renderNoticeHtml(report, rsj, template);
    expect(out).toMatch(/^<!DOCTYPE html>/);
    expect(out).not.toMatch(/<(script|link|img|iframe|object)\b/i);
    expect(out).not.toMatch(/\bsrc\s*=|url\(|@import/i);
    // The only links are the findings' own web addresses, clickable in the PDF.
    const hrefs = [...out.matchAll(/\bhref\s*=\s*"([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);
  });

  it('does not link a web address that is not http(s)', () => {
    const odd = unitWith([{ ...rsj.findings[2]!, url: 'javascript:alert(1)' }]);
    expect(renderNoticeHtml(makeReport({ units: [odd] }), odd, template)).not.toMatch(/href=/);
  });
});

/** Cell texts of every table row in a DOCX, entities decoded. */
async function docxRows(buf: Buffer): Promise<string[][]> {
  const xml = (await readZipEntries(buf)).get('word/document.xml') ?? '';
  const texts = (part: string) =>
    [...part.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decodeXml(m[1] ?? '')).join('');
  return (xml.match(/<w:tr\b[\s\S]*?<\/w:tr>/g) ?? []).map((row) =>
    (row.match(/<w:tc\b[\s\S]*?<\/w:tc>/g) ?? []).map(texts),
  );
}

function decodeXml(text: string): string {
  const entities: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => entities[name] ?? '');
}

function htmlRows(html: string): string[][] {
  const $ = cheerio.load(html);
  return $('table.problems tbody tr')
    .map((_, tr) => [
      $(tr)
        .find('td')
        .map((__, td) => $(td).text())
        .get(),
    ])
    .get();
}

describe('DOCX and PDF say the same', () => {
  it.each([...UNITS.map((u) => [u.id, u] as const)])(
    'lists the same problems in the same order for %s',
    async (_, unit) => {
      const docx = (await docxRows(await renderNoticeDocx(report, unit, template))).filter(
        (cells) => cells.length === 5 && /^\d+$/.test(cells[0] ?? ''),
      );
      const html = htmlRows(renderNoticeHtml(report, unit, template));
      expect(html).toHaveLength(listed(unit).length);
      expect(docx).toEqual(html);
    },
  );
});

describe('writeReports', () => {
  it('writes a PDF next to each DOCX', async () => {
    const out = mkdtempSync(join(tmpdir(), 'xuncha-pdf-'));
    const written = await writeReports(report, out);
    expect(written.warnings).toEqual([]);
    expect(written.noticePdfs).toEqual(written.notices.map((f) => f.replace(/\.docx$/, '.pdf')));
    for (const file of written.noticePdfs) expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('keeps the other reports and warns once when Chromium is missing', async () => {
    vi.resetModules();
    vi.doMock('../../src/render/htmlToPdf.js', async (importOriginal) => ({
      ...(await importOriginal<typeof import('../../src/render/htmlToPdf.js')>()),
      htmlToPdf: () => Promise.reject(new Error('未找到 /usr/bin/chromium，请先运行 npm run setup')),
    }));
    try {
      const { writeReports: write } = await import('../../src/report/writeReports.js');
      const written = await write(report, mkdtempSync(join(tmpdir(), 'xuncha-pdf-')));
      expect(written.notices).toHaveLength(3);
      expect(written.noticePdfs).toEqual([]);
      for (const file of [written.workbook, written.json, ...written.notices])
        expect(existsSync(file)).toBe(true);
      expect(written.warnings).toEqual([
        `未能生成 PDF 版整改通知（${[jyj, rsj, mzj].map((u) => u.name).join('、')}）：未找到 /usr/bin/chromium，请先运行 npm run setup。DOCX 版已照常生成。`,
      ]);
    } finally {
      vi.doUnmock('../../src/render/htmlToPdf.js');
      vi.resetModules();
    }
  });
});
