import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectionReport, ReportFinding } from '../../src/report/model.js';
import { loadNoticeTemplate, type NoticeTemplate } from '../../src/report/noticeTemplate.js';
import { compareInspections, type RecheckCoverage } from '../../src/report/recheck.js';
import { planSupervision, type SupervisionReport } from '../../src/report/supervision.js';
import { supervisionContent } from '../../src/report/supervisionContent.js';
import { writeSupervisionNotices, type WrittenSupervision } from '../../src/report/supervisionFiles.js';
import { loadSupervisionTemplate, type SupervisionTemplate } from '../../src/report/supervisionTemplate.js';
import { WorkdayCalendar } from '../../src/workdays/calendar.js';
import { readDocxText, readZipEntries } from '../helpers/readBack.js';
import { makeReport } from './fixtures.js';

const unitOf = (r: InspectionReport, id: string) => r.units.find((u) => u.id === id)!;
const followed = (f: ReportFinding) => f.outcome === 'fail' || f.outcome === 'warn';

const fullCoverage = (r: InspectionReport): RecheckCoverage => ({
  crawlFailed: new Set(),
  fetched: new Map(r.units.map((u) => [u.id, new Set(u.findings.map((f) => f.url).concat(u.startUrls))])),
});

/**
 * Two inspections of the fixture county a month apart: 民政局 fixed everything its 整改通知 listed,
 * 教育局 fixed one of its two problems, 人社局 fixed nothing and has a new dead link besides.
 */
function twoRuns(): { previous: InspectionReport; current: InspectionReport } {
  const previous = makeReport();
  const current = structuredClone(previous);
  current.runId = previous.runId + 1;
  current.inspectionDate = '2026-12-24';
  const mzj = unitOf(current, 'mzj');
  mzj.findings = mzj.findings.filter((f) => !followed(f));
  const jyj = unitOf(current, 'jyj');
  jyj.findings = jyj.findings.filter((f) => f.checkId !== 'homepage-freshness');
  const rsj = unitOf(current, 'rsj');
  rsj.findings.push({
    ...rsj.findings.find((f) => f.checkId === 'dead-links')!,
    kind: 'inner-page',
    message: '页面链接无法访问（HTTP 404）',
    url: 'http://rsj.sfq.example.gov.cn/tzgg/2026/t20261215_9.html',
    location: '引用页面：http://rsj.sfq.example.gov.cn/tzgg/index.html',
    evidence: 'HTTP 404 Not Found',
  });
  return { previous, current };
}

function plan(previous: InspectionReport, current: InspectionReport, workdays = 5): SupervisionReport {
  const recheck = compareInspections(previous, current, fullCoverage(current));
  return planSupervision(recheck, previous, current, WorkdayCalendar.load('rules/calendar'), workdays);
}

const squeeze = (text: string) => text.replace(/\s+/g, '');
const pdfText = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], { input: pdf, encoding: 'utf8' });

let notice: NoticeTemplate;
let template: SupervisionTemplate;
let dir: string;
let written: WrittenSupervision;
let supervision: SupervisionReport;

beforeAll(async () => {
  notice = loadNoticeTemplate();
  template = loadSupervisionTemplate();
  const { previous, current } = twoRuns();
  supervision = plan(previous, current);
  dir = mkdtempSync(join(tmpdir(), 'xuncha-supervision-'));
  written = await writeSupervisionNotices(supervision, dir, notice, template);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('planSupervision', () => {
  it('picks exactly the units with 未整改 problems, with the re-check counts', () => {
    expect(supervision.units.map((u) => u.unit.id).sort()).toEqual(['jyj', 'rsj']);
    const counts = (id: string) => supervision.units.find((u) => u.unit.id === id)!.recheck.counts;
    expect(counts('jyj')).toMatchObject({ fixed: 1, open: 1, changed: 0, new: 0 });
    expect(counts('rsj')).toMatchObject({ fixed: 0, open: 3, changed: 0, new: 1 });
  });

  it('dates the 督办: overdue working days since the first deadline, a shorter new deadline', () => {
    expect(supervision.first).toEqual({
      issueDate: '2026-11-24',
      deadline: '2026-12-08',
      deadlineWorkdays: 10,
    });
    // 12-09 … 12-24: 3 + 5 + 4 working days.
    expect(supervision.overdueWorkdays).toBe(12);
    expect(supervision.issueDate).toBe('2026-12-24');
    expect(supervision.deadline).toBe('2026-12-31');
    expect(supervision.deadlineWorkdays).toBe(5);
    expect(template.deadlineWorkdays).toBeLessThan(supervision.first.deadlineWorkdays);
  });

  it('never sets a deadline before the first one, and says nothing of overdue before it passed', () => {
    const { previous, current } = twoRuns();
    current.inspectionDate = '2026-12-01';
    const early = plan(previous, current);
    expect(early.overdueWorkdays).toBe(0);
    expect(early.deadline).toBe('2026-12-08');
    expect(early.deadlineWorkdays).toBe(5);
    const su = early.units.find((u) => u.unit.id === 'jyj')!;
    const content = supervisionContent(early, su, notice, template);
    expect(content.intro).not.toContain('已超过整改期限');
    expect(content.summary.rows.find(([label]) => label === '原整改期限')![1]).toBe('2026年12月8日');
  });
});

describe('督办通知', () => {
  it('writes DOCX and PDF for the two units that left problems open, none for the one that fixed all', () => {
    const files = readdirSync(dir).sort();
    expect(files).toEqual([
      '督办通知-示范区人力资源和社会保障局.docx',
      '督办通知-示范区人力资源和社会保障局.pdf',
      '督办通知-示范区教育局.docx',
      '督办通知-示范区教育局.pdf',
    ]);
    expect(written.warnings).toEqual([]);
  });

  it.each([
    ['示范区教育局', 1, 1, 0],
    ['示范区人力资源和社会保障局', 0, 3, 1],
  ])(
    '%s: 督办 wording, fixed %i / open %i / new %i and the new deadline in DOCX XML and PDF text',
    async (name, fixed, open, found) => {
      const docx = readFileSync(join(dir, `督办通知-${name}.docx`));
      const xml = (await readZipEntries(docx)).get('word/document.xml')!;
      const paragraphs = await readDocxText(docx);
      const pdf = squeeze(pdfText(readFileSync(join(dir, `督办通知-${name}.pdf`))));
      const title = `关于督促${name}限期完成政府网站问题整改的通知`;
      const intro =
        `2026年11月24日，我办印发《关于${name}政府网站问题整改的通知》，要求你单位于2026年12月8日前完成整改。` +
        `2026年12月24日，我办对你单位网站进行了整改复查。经复查，你单位已整改${fixed}项，仍有${open}项未整改。` +
        '截至复查之日，已超过整改期限12个工作日。' +
        (found ? `复查中另发现新问题${found}项。` : '') +
        '现责令你单位对下列问题限期整改，有关事项通知如下。';
      const deadline =
        '请于2026年12月31日前（5个工作日内）完成全部整改，并将整改情况回执加盖公章后报送示范区人民政府办公室（政务公开办）。逾期未整改的，将予以通报。';
      expect(squeeze(paragraphs.join(''))).toContain(squeeze(title));
      expect(paragraphs).toContain(intro);
      expect(paragraphs).toContain(deadline);
      expect(paragraphs).toContain('一、仍未整改的问题');
      expect(paragraphs.includes('二、复查新发现的问题')).toBe(found > 0);
      expect(paragraphs).toContain(found ? '三、整改要求' : '二、整改要求');
      expect(paragraphs).toContain(`未整改${open}项、新发现${found}项，已整改    项，仍未整改    项`);
      expect(xml).toContain('2026年12月31日（5个工作日内）');
      expect(xml).toContain(`已整改${fixed}项，未整改${open}项，新发现${found}项`);
      for (const text of [title, intro, deadline, '2026年12月31日（5个工作日内）', '督办整改情况回执'])
        expect(pdf).toContain(squeeze(text));
      expect(pdf).toContain(`已整改${fixed}项，未整改${open}项，新发现${found}项`);
      // Sober 督办 wording, and nothing of the first notice's deadline sentence.
      expect(pdf).not.toContain('10个工作日内');
    },
  );

  it('lists the open problems and the new ones grouped by category, with masked evidence only', async () => {
    const paragraphs = await readDocxText(
      readFileSync(join(dir, '督办通知-示范区人力资源和社会保障局.docx')),
    );
    const open = paragraphs.indexOf('一、仍未整改的问题');
    const found = paragraphs.indexOf('二、复查新发现的问题');
    const openPart = paragraphs.slice(open, found);
    expect(openPart).toContain('（一）链接可用性（1项）');
    expect(openPart).toContain('（二）个人信息保护（2项）');
    expect(openPart).toContain('姓名：张** 身份证号：350502********1234');
    const newPart = paragraphs.slice(found, paragraphs.indexOf('三、整改要求'));
    expect(newPart).toContain('（一）链接可用性（1项）');
    expect(newPart).toContain('http://rsj.sfq.example.gov.cn/tzgg/2026/t20261215_9.html');
    // Rows are numbered on across the two parts.
    expect(newPart).toContain('4');
    const all = paragraphs.join('\n');
    expect(all).not.toMatch(/(?<!\d)\d{17}[\dXx](?!\d)/);
    expect(all).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
  });

  it('words a 督办 to the issuing government itself without “政府政府”', () => {
    const { previous, current } = twoRuns();
    for (const r of [previous, current]) unitOf(r, 'rsj').name = '示范区人民政府';
    const s = plan(previous, current);
    const su = s.units.find((u) => u.unit.id === 'rsj')!;
    const content = supervisionContent(s, su, notice, template);
    expect(content.title).toBe('关于督促示范区人民政府限期完成门户网站问题整改的通知');
    expect(content.intro).toContain('《关于示范区人民政府门户网站问题整改的通知》');
    expect(JSON.stringify(content)).not.toContain('政府政府');
  });
});

describe('loadSupervisionTemplate', () => {
  it('checks the 督办 wording like the notice wording: placeholders, deadline, with file and line', () => {
    const source = readFileSync('reports/templates/supervision.yaml', 'utf8');
    const file = join(mkdtempSync(join(tmpdir(), 'xuncha-supervision-yaml-')), 'supervision.yaml');
    writeFileSync(file, source.replace('仍有{open}项未整改', '仍有{points}项未整改'));
    const line = source.split('\n').findIndex((l) => l.startsWith('intro:')) + 1;
    expect(() => loadSupervisionTemplate(file)).toThrow(
      `${file}:${line} 字段 intro：未知占位符 {points}，可用占位符：{unit}、{firstDate}、{firstTitle}、{firstDeadline}、{date}、{fixed}、{open}`,
    );
    writeFileSync(file, source.replace('deadlineWorkdays: 5', 'deadlineWorkdays: 0'));
    expect(() => loadSupervisionTemplate(file)).toThrow('字段 deadlineWorkdays：必须是正整数（工作日数）');
  });
});
