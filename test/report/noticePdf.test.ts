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
const HEADER_ROW = '序号问题网址位置证据（已脱敏）依据';
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
    expect(squeeze(pages[0]!)).toMatch(new RegExp(`^${squeeze(titleOf(rsj))}`));
    const receipt = pages.at(-1)!;
    expect(squeeze(receipt)).toMatch(/^整改情况回执/);
    expect(receipt).not.toContain('特此通知');
    expect(squeeze(receipt)).toContain('共3个问题，已整改个，未整改个');
    pages.forEach((page, i) => expect(squeeze(page)).toMatch(new RegExp(`—${i + 1}—$`)));
  });

  it('wraps long URLs inside their cell and repeats the table header on each page', async () => {
    const long = (i: number) => `http://rsj.sfq.example.gov.cn/xxgk/${'a'.repeat(120)}/${i}.html`;
    const many = Array.from({ length: 30 }, (_, i) => ({ ...rsj.findings[2]!, url: long(i) }));
    const pdf = await renderNoticePdf(makeReport({ units: [unitWith(many)] }), unitWith(many), template);
    const raw = pdfText(pdf);
    for (const f of many) {
      expect(squeeze(raw)).toContain(f.url);
      expect(raw.split('\n').some((line) => line.includes(f.url))).toBe(false);
    }
    const tablePages = pdfPages(pdf).filter((page) => page.includes('http://'));
    expect(tablePages.length).toBeGreaterThan(1);
    for (const page of tablePages) expect(squeeze(page)).toContain(HEADER_ROW);
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
    expect(cells).toEqual(['1', hostile.message, hostile.url, hostile.location, evidence, hostile.basis]);
  });

  it('is self-contained: no script, no external resource', () => {
    const out = renderNoticeHtml(report, rsj, template);
    expect(out).toMatch(/^<!DOCTYPE html>/);
    expect(out).not.toMatch(/<(script|link|img|iframe|object)\b/i);
    expect(out).not.toMatch(/\b(src|href)\s*=|url\(|@import/i);
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
        (cells) => cells.length === 6 && /^\d+$/.test(cells[0] ?? ''),
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
