import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/report/htmlReport.js';
import { renderRankingWorkbook } from '../../src/report/rankingWorkbook.js';
import { locatedText, type ReportScreenshot } from '../../src/report/evidenceFiles.js';
import type { InspectionReport } from '../../src/report/model.js';
import { makeReport } from './fixtures.js';
import { renderNoticeDocx } from '../../src/report/noticeDocx.js';
import { renderNoticePdf } from '../../src/report/noticePdf.js';
import { loadNoticeTemplate } from '../../src/report/noticeTemplate.js';
import { closeBrowser } from '../../src/render/htmlToPdf.js';
import { readDocxText, readHyperlinks, readWorkbook } from '../helpers/readBack.js';

/** A 1×1 JPEG: the renderers only carry the bytes. */
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
const HASH = 'a'.repeat(64);
/** A real 8×8 JPEG (Chromium and pdf renderers want decodable pixels). */
const REAL_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAAIAAgBAREA/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/9oACAEBAAA/AKp//9k=',
  'base64',
);

function withShot(): { report: InspectionReport; shot: ReportScreenshot } {
  const report = makeReport();
  const unit = report.units.find((u) => u.findings.length)!;
  unit.findings = unit.findings.map((f, i) => ({ ...f, findingId: 100 + i }));
  const shot: ReportScreenshot = {
    unitId: unit.id,
    pageUrl: 'http://mzj.sfq.example.gov.cn/xxgk/shjz/index.html',
    image: `证据/${HASH}.jpg`,
    copy: `证据/${'b'.repeat(64)}.html`,
    imageHash: HASH,
    bodyHash: 'c'.repeat(64),
    status: 200,
    fetchedAt: '2026-11-24 09:12:00',
    masked: 2,
    located: true,
    targets: 1,
    findingIds: [100],
  };
  return { report: { ...report, screenshots: [shot] }, shot };
}

afterAll(() => closeBrowser());

describe('screenshots in the reports', () => {
  it('the HTML report embeds each screenshot with its record and links the finding to it', () => {
    const { report } = withShot();
    const html = renderHtmlReport(report, { images: new Map([[HASH, JPEG]]) });
    expect(html).toContain(
      `<figure class="shot" id="shot-${HASH.slice(0, 12)}"><img src="data:image/jpeg;base64,`,
    );
    expect(html).toContain('抓取时间：2026-11-24 09:12:00（北京时间），HTTP 200');
    expect(html).toContain('截图中已遮蔽个人信息 2 处');
    expect(html).toContain(`href="#shot-${HASH.slice(0, 12)}">见取证截图</a>`);
    // One link: only the finding the screenshot proves.
    expect(html.match(/见取证截图/g)).toHaveLength(1);
  });

  it('past the embedding budget, the picture is linked to its file instead', () => {
    const { report, shot } = withShot();
    const html = renderHtmlReport(report, { images: new Map([[HASH, JPEG]]), maxEmbeddedBytes: 10 });
    expect(html).not.toContain('data:image/jpeg');
    expect(html).toContain(`<a href="${shot.image}">打开截图文件`);
  });

  it('the workbook gains 截图证据 with the picture, and 问题明细 links each finding to its screenshot', async () => {
    const { report, shot } = withShot();
    const buf = await renderRankingWorkbook(report, new Map([[HASH, JPEG]]));
    const sheets = await readWorkbook(buf);
    const rows = sheets['截图证据']!;
    expect(rows[0]).toContain('抓取时间（北京时间）');
    expect(rows[1]).toEqual(
      expect.arrayContaining([
        shot.pageUrl,
        '2026-11-24 09:12:00',
        200,
        2,
        '是',
        '100',
        shot.image,
        shot.copy,
      ]),
    );
    const media = Object.keys((await JSZip.loadAsync(buf)).files).filter((f) =>
      /^xl\/media\/.+\.jpe?g$/.test(f),
    );
    expect(media).toHaveLength(1);
    const links = await readHyperlinks(buf, '问题明细');
    expect(links.filter((l) => l.hyperlink === shot.image)).toHaveLength(1);
  });

  it('tells "not found on the page" apart from "the page as a whole is the evidence"', () => {
    expect(locatedText({ targets: 0, located: false })).toBe('页面整体');
    expect(locatedText({ targets: 2, located: false })).toBe('否');
    expect(locatedText({ targets: 1, located: true })).toBe('是');
    const { report, shot } = withShot();
    const html = (s: Partial<ReportScreenshot>) =>
      renderHtmlReport({ ...report, screenshots: [{ ...shot, ...s }] });
    expect(html({ targets: 1, located: false })).toContain('未能在页面上定位到问题元素');
    expect(html({ targets: 0, located: false })).not.toContain('未能在页面上定位到问题元素');
  });

  it('the notice carries the screenshots as its last 附件, in the DOCX and the PDF alike', async () => {
    const { report, shot } = withShot();
    const unit = report.units.find((u) => u.id === shot.unitId)!;
    const template = loadNoticeTemplate();
    const images = new Map([[HASH, REAL_JPEG]]);
    const docx = await renderNoticeDocx(report, unit, template, images);
    const zip = await JSZip.loadAsync(docx);
    expect(Object.keys(zip.files).filter((f) => /^word\/media\/.+\.(jpe?g)$/.test(f))).toHaveLength(1);
    const text = (await readDocxText(docx)).join('\n');
    expect(text).toMatch(/附件：1\. 整改情况回执[\s\S]*\d\. 取证截图/);
    expect(text).toContain(`图1\u3000${shot.pageUrl}`);
    expect(text).toContain('抓取时间 2026-11-24 09:12:00（北京时间），HTTP 200；截图中已遮蔽个人信息 2 处');
    const pdf = await renderNoticePdf(report, unit, template, images);
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-notice-'));
    writeFileSync(join(dir, 'n.pdf'), pdf);
    const pdfText = execFileSync('pdftotext', ['-layout', join(dir, 'n.pdf'), '-'], { encoding: 'utf8' });
    expect(pdfText).toContain('取证截图');
    const list = execFileSync('pdfimages', ['-list', join(dir, 'n.pdf')], { encoding: 'utf8' });
    expect(list.trim().split('\n').length - 2).toBe(1);
    // Without screenshots nothing of the kind is announced.
    const plain = (await readDocxText(await renderNoticeDocx(makeReport(), unit, template))).join('\n');
    expect(plain).not.toContain('取证截图');
  }, 60_000);

  it('no screenshots, no 截图证据 sheet', async () => {
    const sheets = await readWorkbook(await renderRankingWorkbook(makeReport()));
    expect(Object.keys(sheets)).not.toContain('截图证据');
  });
});
