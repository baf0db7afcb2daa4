import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { crawlSettings } from '../../src/config/settings.js';
import { previousRunOf, withTrends } from '../../src/report/buildReport.js';
import type { InspectionReport, ReportFinding, ReportUnit } from '../../src/report/model.js';
import { renderRankingWorkbook } from '../../src/report/rankingWorkbook.js';
import { createRun, saveUnits, setRunStatus } from '../../src/store/runs.js';
import type { Unit } from '../../src/seeds/unit.js';
import { readWorkbook } from '../helpers/readBack.js';
import { makeReport } from './fixtures.js';
import { openTestStore } from '../helpers/testStore.js';

const unitOf = (r: InspectionReport, id: string) => r.units.find((u) => u.id === id)!;
const byUrl = (r: InspectionReport, id: string, tail: string) =>
  unitOf(r, id).findings.find((f) => f.url.endsWith(tail))!;
function remove(r: InspectionReport, f: ReportFinding): void {
  const unit = unitOf(r, f.unitId);
  unit.findings = unit.findings.filter((x) => x !== f);
}
function standing(r: InspectionReport, id: string, score: number, rank: number, vetoed = false): void {
  Object.assign(unitOf(r, id), { score, rank, vetoed, grade: score >= 80 ? '优秀' : '合格' });
}
function next(r: InspectionReport, date: string): InspectionReport {
  const out = structuredClone(r);
  out.runId = r.runId + 1;
  out.inspectionDate = date;
  delete out.previousRunId;
  for (const u of out.units) {
    delete u.previous;
    delete u.opened;
    delete u.closed;
  }
  return out;
}

/** Three monthly inspections of the fixture county: each month some units fix things, some slip. */
function threeRuns(): [InspectionReport, InspectionReport, InspectionReport] {
  const first = makeReport();
  // Month 2: 民政局 fixed the dead attachment link, 人社局 took the ID roster down and lost its veto.
  const second = next(first, '2026-12-24');
  remove(second, byUrl(second, 'mzj', 'P020260312_dibao.pdf'));
  remove(second, byUrl(second, 'rsj', 'gongyi_gangwei_mingdan.xlsx'));
  standing(second, 'mzj', 90, 1);
  standing(second, 'rsj', 65, 3);
  // Month 3: 教育局 updated its home page and overtook 民政局, which has a new dead link and dropped
  // its 提示 (not a 问题: not counted as solved); 人社局's remaining problem was reworded (neither new
  // nor solved); 财政局 joins the inspection.
  const third = next(second, '2027-01-25');
  remove(third, byUrl(third, 'jyj', `/`));
  remove(
    third,
    unitOf(third, 'mzj').findings.find((f) => f.outcome === 'warn')!,
  );
  unitOf(third, 'mzj').findings.push({
    ...byUrl(third, 'mzj', '/gzdt/index.html'),
    checkId: 'dead-links',
    kind: 'inner-page',
    message: '页面链接无法访问（HTTP 404）',
    url: 'http://mzj.example.gov.cn/gzdt/t20270110_1.html',
  });
  byUrl(third, 'rsj', 't20261103_88.html').message = '页面公开了脱敏不充分的手机号码';
  standing(third, 'jyj', 90, 1);
  standing(third, 'mzj', 85.5, 2);
  const czj: ReportUnit = {
    ...structuredClone(unitOf(third, 'jyj')),
    id: 'czj',
    name: '示范区财政局',
    score: 50,
    grade: '不合格',
    rank: 4,
  };
  czj.findings = czj.findings.filter((f) => f.outcome === 'fail').map((f) => ({ ...f, unitId: 'czj' }));
  third.units.push(czj);
  third.units.sort((a, b) => a.rank - b.rank);
  const secondWithTrends = withTrends(second, first);
  return [first, secondWithTrends, withTrends(third, secondWithTrends)];
}

describe('月度对比', () => {
  it('compares each unit with the previous run: standing, problems opened and closed', () => {
    const [first, second, third] = threeRuns();
    expect(second.previousRunId).toBe(first.runId);
    expect(third.previousRunId).toBe(second.runId);
    expect(third.previousInspectionDate).toBe('2026-12-24');
    expect(unitOf(second, 'mzj')).toMatchObject({ opened: 0, closed: 1 });
    expect(unitOf(second, 'rsj')).toMatchObject({
      previous: { rank: 3, score: 0, grade: '不合格', problems: 3 },
      opened: 0,
      closed: 1,
    });
    expect(unitOf(third, 'mzj')).toMatchObject({
      previous: { rank: 1, score: 90, problems: 1 },
      opened: 1,
      closed: 0,
    });
    expect(unitOf(third, 'czj').previous).toBeUndefined();
  });

  it('writes the 月度对比 sheet of the third run against the second', async () => {
    const [, , third] = threeRuns();
    const buf = await renderRankingWorkbook(third);
    const [title, header, ...rows] = (await readWorkbook(buf))['月度对比']!;
    expect(title).toEqual(['月度对比（2027年1月25日 与上次 2026年12月24日 相比）']);
    expect(header).toEqual([
      '单位',
      '本月排名',
      '上月排名',
      '升降位次',
      '本月得分',
      '上月得分',
      '得分变化',
      '本月问题数',
      '上月问题数',
      '新增问题',
      '已解决问题',
      '备注',
    ]);
    expect(rows.map((r) => r.slice(0, 11))).toEqual([
      ['示范区教育局', 1, 2, 1, 90, 72, 18, 1, 2, 0, 1],
      ['示范区民政局', 2, 1, -1, 85.5, 90, -4.5, 2, 1, 1, 0],
      ['示范区人力资源和社会保障局', 3, 3, 0, 65, 65, 0, 2, 2, 0, 0],
      ['示范区财政局', 4, null, null, 50, null, null, 1, null, null, null],
    ]);
    expect(rows[3]?.[11]).toBe('上次巡查未包含该单位');
    // ↑/↓ by number format on a signed number, so the column sorts.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buf as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('月度对比')!;
    expect(sheet.getCell('D3').numFmt).toBe('"↑"0;"↓"0;"—"');
    expect(sheet.getCell('G3').numFmt).toBe('+0.0;-0.0;0.0');
    expect(sheet.getCell('E3').numFmt).toBe('0.0');
  });

  it('says so when there is no previous run', async () => {
    const rows = (await readWorkbook(await renderRankingWorkbook(makeReport())))['月度对比']!;
    expect(rows[0]?.[0]).toMatch(/无可比较的上次巡查/);
    expect(rows.slice(2).every((r) => r[11] === '无上次巡查' && r[2] === null)).toBe(true);
  });

  it('finds the previous run: the latest earlier finished run sharing a unit', async () => {
    const db = await openTestStore();
    const unit = (id: string): Unit => ({
      id,
      name: id,
      level: '部门',
      startUrls: [`http://${id}.example.gov.cn/`],
      catalogues: [],
      hosts: [],
    });
    const run = async (ids: string[], finished: boolean) => {
      const id = await createRun(db, {
        inspectionDate: '2026-12-07',
        seedsFile: 't',
        settings: crawlSettings(),
      });
      await saveUnits(db, id, ids.map(unit));
      if (finished) await setRunStatus(db, id, 'reported');
      return id;
    };
    const first = await run(['a', 'b'], true);
    await run(['c'], true); // another batch: no unit in common
    await run(['a'], false); // never finished
    const current = await run(['b', 'd'], false);
    expect(await previousRunOf(db, current)).toBe(first);
    expect(await previousRunOf(db, first)).toBeUndefined();
  });
});
