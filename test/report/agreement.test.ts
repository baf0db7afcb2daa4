import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTCOME_LABELS } from '../../src/checks/defineCheck.js';
import type { Outcome } from '../../src/checks/types.js';
import { printSummary } from '../../src/cli/summary.js';
import { createLogger } from '../../src/log.js';
import { countProblems, isProblem, PROBLEM_DEFINITION } from '../../src/report/counts.js';
import type { InspectionReport, ReportFinding, ReportUnit } from '../../src/report/model.js';
import { writeReports, type WrittenReports } from '../../src/report/writeReports.js';
import { readDocxText, readWorkbook, type SheetValue } from '../helpers/readBack.js';
import { jyj, makeReport, mzj, rsj } from './fixtures.js';

/**
 * Issue 15, point 1: every output of one run says the same numbers. From a report with 问题 (fail),
 * 提示 (warn), 需人工复核 (needs-review), check errors and dismissed findings spread over the units,
 * write everything (workbook, notices DOCX/PDF, 通报 DOCX/PDF, 报告.html, the CLI summary), read
 * each back and compare each unit's 问题数, 提示数, 需复核数, 死链率 and grade with counts.ts.
 */

const DISMISSED_AT = '2026-11-24T17:30:00.000Z'; // 2026-11-25 01:30 in Beijing

function extra(
  unit: ReportUnit,
  outcome: Outcome,
  n: number,
  fields: Partial<ReportFinding> = {},
): ReportFinding {
  const first = unit.findings[0]!;
  return {
    ...first,
    checkId: `extra-${outcome}`,
    checkTitle: `附加检查（${OUTCOME_LABELS[outcome]}）`,
    outcome,
    kind: `extra-${n}`,
    message: `${unit.name}附加检查结果 ${n}`,
    url: `${unit.startUrls[0] ?? 'http://example.gov.cn/'}extra/${outcome}/${n}.html`,
    location: `附加位置 ${n}`,
    evidence: `附加证据 ${n}`,
    ...fields,
  };
}

function withFindings(
  unit: ReportUnit,
  findings: ReportFinding[],
  crawl: Partial<ReportUnit['crawl']>,
): ReportUnit {
  const counts: Record<string, number> = {};
  for (const f of findings.filter(isProblem)) counts[f.categoryTitle] = (counts[f.categoryTitle] ?? 0) + 1;
  return { ...unit, findings, counts, crawl: { ...unit.crawl, ...crawl } };
}

const dismissed = (unit: ReportUnit, n: number): ReportFinding =>
  extra(unit, 'dismissed', n, {
    review: {
      decision: 'dismissed',
      reason: '误报，该号码为单位值班电话',
      reviewer: '张三',
      decidedAt: DISMISSED_AT,
    },
  });

/** mzj: 2 问题, 3 提示, 2 需复核, 1 dismissed; jyj: 3 问题, 1 提示, 1 需复核, 1 error; rsj: 3 问题, 2 提示, 1 dismissed. */
const report: InspectionReport = makeReport({
  units: [
    withFindings(
      jyj,
      [...jyj.findings, extra(jyj, 'fail', 1), extra(jyj, 'warn', 1), extra(jyj, 'needs-review', 1)],
      { links: 800, deadLinks: 12 },
    ),
    withFindings(rsj, [...rsj.findings, extra(rsj, 'warn', 1), extra(rsj, 'warn', 2), dismissed(rsj, 1)], {
      links: 0,
      deadLinks: 0,
    }),
    withFindings(
      mzj,
      [
        ...mzj.findings,
        extra(mzj, 'warn', 1),
        extra(mzj, 'warn', 2),
        extra(mzj, 'needs-review', 1),
        dismissed(mzj, 1),
      ],
      { links: 400, deadLinks: 2 },
    ),
  ],
});

interface Expected {
  problems: number;
  hints: number;
  reviews: number;
  dismissed: number;
  /** 死链率 as a fraction; undefined when no link was checked. */
  deadLinkRate?: number;
  grade: string;
  score: number;
  rank: number;
}

const count = (u: ReportUnit, outcome: Outcome) => u.findings.filter((f) => f.outcome === outcome).length;

/** What every output must say, from counts.ts and the report itself. */
const expected = new Map<string, Expected>(
  report.units.map((u) => [
    u.name,
    {
      problems: countProblems(u.findings),
      hints: count(u, 'warn'),
      reviews: count(u, 'needs-review'),
      dismissed: count(u, 'dismissed'),
      ...(u.crawl.links ? { deadLinkRate: (u.crawl.deadLinks ?? 0) / u.crawl.links } : {}),
      grade: u.grade,
      score: u.score,
      rank: u.rank,
    },
  ]),
);
const totals = {
  problems: report.units.reduce((s, u) => s + countProblems(u.findings), 0),
  hints: report.units.reduce((s, u) => s + count(u, 'warn'), 0),
  reviews: report.units.reduce((s, u) => s + count(u, 'needs-review'), 0),
};

/** An ISO timestamp (2026-11-24T01:00:00.000Z, 2026-11-24T09:00+08:00) where people read times. */
const ISO_TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

let dir: string;
let written: WrittenReports;
let summary: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xuncha-agreement-'));
  written = await writeReports(report, dir);
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  printSummary(createLogger({ out, err: out }), written);
  summary = text;
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** Header → column index of a sheet table whose header row holds `first`. */
function table(rows: SheetValue[][], first: string): { header: SheetValue[]; body: SheetValue[][] } {
  const at = rows.findIndex((r) => r[0] === first);
  expect(at, `header row starting ${first}`).toBeGreaterThanOrEqual(0);
  return { header: rows[at]!, body: rows.slice(at + 1).filter((r) => r.length > 0) };
}

describe('the fixture', () => {
  it('mixes every outcome across the units', () => {
    const all = report.units.flatMap((u) => u.findings.map((f) => f.outcome));
    for (const outcome of ['fail', 'warn', 'needs-review', 'error', 'dismissed'] as const)
      expect(all).toContain(outcome);
    expect([...expected.values()].every((e) => e.hints > 0)).toBe(true);
  });
});

describe('every output agrees with counts.ts', () => {
  it('网上巡查排名.xlsx: 排名, 月度对比 and 问题明细', async () => {
    const sheets = await readWorkbook(readFileSync(written.workbook));
    const ranking = table(sheets['排名']!, '排名');
    const col = (name: string) => ranking.header.indexOf(name);
    const categories = report.categories.map((c) => col(c.title));
    expect(ranking.body).toHaveLength(report.units.length);
    for (const row of ranking.body) {
      const e = expected.get(String(row[col('单位')]))!;
      expect(e, String(row[col('单位')])).toBeDefined();
      expect(row[col('问题总数')]).toBe(e.problems);
      expect(categories.reduce((s, c) => s + Number(row[c] ?? 0), 0)).toBe(e.problems);
      expect(row[col('等级')]).toBe(e.grade);
      expect(row[col('得分')]).toBe(e.score);
      expect(row[col('排名')]).toBe(e.rank);
      if (e.deadLinkRate === undefined) expect(row[col('死链率')] ?? null).toBeNull();
      else expect(row[col('死链率')]).toBeCloseTo(e.deadLinkRate, 10);
    }

    const trend = table(sheets['月度对比']!, '单位');
    for (const row of trend.body)
      expect(row[trend.header.indexOf('本月问题数')]).toBe(expected.get(String(row[0]))!.problems);

    // 问题明细 lists every finding with its 结论: per unit, as many of each as counts.ts and the outcomes say.
    const details = table(sheets['问题明细']!, sheets['问题明细']![0]![0] as string);
    const unitCol = details.header.indexOf('单位');
    const outcomeCol = details.header.indexOf('结论');
    for (const [name, e] of expected) {
      const mine = details.body.filter((r) => r[unitCol] === name).map((r) => r[outcomeCol]);
      expect(mine.filter((o) => o === OUTCOME_LABELS.fail)).toHaveLength(e.problems);
      expect(mine.filter((o) => o === OUTCOME_LABELS.warn)).toHaveLength(e.hints);
      expect(mine.filter((o) => o === OUTCOME_LABELS['needs-review'])).toHaveLength(e.reviews);
      expect(mine.filter((o) => o === OUTCOME_LABELS.dismissed)).toHaveLength(e.dismissed);
    }
    // A review decided at 01:30 Beijing time on 25 November is dated the 25th, not UTC's 24th.
    const reviewCol = details.header.indexOf('人工复核');
    const reviews = details.body.map((r) => String(r[reviewCol] ?? '')).filter(Boolean);
    expect(reviews).toHaveLength(2);
    for (const r of reviews) expect(r).toContain('2026年11月25日');

    const strings = Object.values(sheets).flatMap((rows) => rows.flat().filter((v) => typeof v === 'string'));
    for (const s of strings) expect(s).not.toMatch(ISO_TIMESTAMP);
    expect(strings).toContain(PROBLEM_DEFINITION);
  });

  it('报告.html: ranking table, unit sections and the findings listed', () => {
    const html = readFileSync(written.html, 'utf8');
    const $ = cheerio.load(html);
    const heads = $('table.ranking thead th')
      .map((_, th) => $(th).text().trim())
      .get();
    const col = (name: string) => heads.indexOf(name);
    const rows = $('table.ranking tbody tr').toArray();
    expect(rows).toHaveLength(report.units.length);
    for (const tr of rows) {
      const cells = $(tr)
        .find('td')
        .map((_, td) => $(td).text().trim())
        .get();
      const e = expected.get(cells[col('单位')]!)!;
      expect(e, cells[col('单位')]).toBeDefined();
      expect(Number(cells[col('问题数')])).toBe(e.problems);
      expect(cells[col('等级')]).toBe(e.grade);
      expect(Number(cells[col('排名')])).toBe(e.rank);
      expect(Number(cells[col('得分')])).toBe(e.score);
      expect(cells[col('死链率')]).toBe(
        e.deadLinkRate === undefined ? '' : `${(e.deadLinkRate * 100).toFixed(2)}%`,
      );
    }
    for (const section of $('section.unit').toArray()) {
      const name = $(section).find('h3').first().text().trim();
      const e = expected.get(name)!;
      expect(e, name).toBeDefined();
      const text = $(section).text();
      expect(text).toContain(`问题数：${e.problems} 个`);
      expect(text).toContain(`等级：${e.grade}`);
      const listed = (outcome: Outcome) => $(section).find(`.outcome-${outcome}`).length;
      expect(listed('fail')).toBe(e.problems);
      expect(listed('warn')).toBe(e.hints);
      expect(listed('needs-review')).toBe(e.reviews);
      expect(listed('dismissed')).toBe(e.dismissed);
    }
    expect($('p.summary').text()).toContain(`共发现问题 ${totals.problems} 个`);
    // Review dates in Beijing time too.
    expect($('body').text()).not.toContain('（2026-11-24）误报');
    expect($('body').text()).not.toMatch(ISO_TIMESTAMP);
    expect($('ul.notes').text()).toContain(PROBLEM_DEFINITION);
  });

  it('通报 (DOCX and PDF): totals of 问题, 提示 and 需人工复核, and each unit’s grade and score', async () => {
    const docx = (await readDocxText(readFileSync(written.bulletin))).join('\n');
    expect(written.bulletinPdf, 'the 通报 PDF was printed').toBeDefined();
    const pdf = pdfText(written.bulletinPdf!).replace(/\s+/g, '');
    const overview =
      `共发现问题${totals.problems}个` +
      `（${report.categories
        .map((c) => [c.title, report.units.reduce((s, u) => s + (u.counts[c.title] ?? 0), 0)] as const)
        .filter(([, n]) => n > 0)
        .map(([t, n]) => `${t}${n}个`)
        .join('、')}）` +
      `，另有提示${totals.hints}条、需人工复核${totals.reviews}条`;
    expect(docx).toContain(overview);
    expect(pdf).toContain(overview);
    for (const [name, e] of expected) {
      // The ranking table: 排名 | 单位 | 得分 | 等级, a row per unit.
      expect(docx).toContain(`${e.rank}\n${name}\n${e.score}\n${e.grade}`);
      expect(pdf).toContain(`${e.rank}${name}${e.score}${e.grade}`);
    }
    // The typical problems: per category, as many 问题 as the units' category counts.
    for (const c of report.categories) {
      const n = report.units.reduce((s, u) => s + (u.counts[c.title] ?? 0), 0);
      if (n > 0) expect(docx).toMatch(new RegExp(`（[一二三四五六七八九十]+）${c.title}（${n}个问题）`));
    }
    expect(docx).not.toMatch(ISO_TIMESTAMP);
    expect(pdf).not.toMatch(ISO_TIMESTAMP);
    expect(docx).toContain(PROBLEM_DEFINITION);
    expect(pdf).toContain(PROBLEM_DEFINITION.replace(/\s+/g, ''));
  });

  it('整改通知 (DOCX and PDF): each unit’s score, grade, rank and 回执 counts as the workbook has them', async () => {
    expect(written.notices).toHaveLength(report.units.length);
    expect(written.noticePdfs).toHaveLength(report.units.length);
    for (const [name, e] of expected) {
      const docxFile = written.notices.find((f) => basename(f).includes(name))!;
      const pdfFile = written.noticePdfs.find((f) => basename(f).includes(name))!;
      const docx = (await readDocxText(readFileSync(docxFile))).join('\n');
      const pdf = pdfText(pdfFile).replace(/\s+/g, '');
      const standing = `得分${e.score}分，等级为“${e.grade}”，在${report.units.length}家单位中排名第${e.rank}位`;
      expect(docx).toContain(standing);
      expect(pdf).toContain(standing);
      // The 回执 counts 问题 as every other output does, 提示 apart.
      const receipt = `共${e.problems}个问题（另有提示${e.hints}条）`;
      expect(docx).toContain(receipt);
      expect(pdf).toContain(receipt);
      expect(docx).not.toMatch(ISO_TIMESTAMP);
      expect(pdf).not.toMatch(ISO_TIMESTAMP);
    }
  });

  it('the CLI summary: 问题数 and 等级 per unit', () => {
    const rows = summary
      .split('\n')
      .map((l) => l.trim().split(/\s{2,}/))
      .filter((cells) => expected.has(cells[1] ?? ''));
    expect(rows).toHaveLength(report.units.length);
    for (const [rank, name, score, grade, problems] of rows) {
      const e = expected.get(name!)!;
      expect(Number(rank)).toBe(e.rank);
      expect(Number(score)).toBe(e.score);
      expect(grade).toBe(e.grade);
      expect(Number(problems)).toBe(e.problems);
    }
    expect(summary).toContain(`说明：${PROBLEM_DEFINITION}`);
    expect(summary).not.toMatch(ISO_TIMESTAMP);
  });
});
