import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { compareInspections, type RecheckCoverage } from '../../src/report/recheck.js';
import { renderRecheckWorkbook } from '../../src/report/recheckWorkbook.js';
import type { InspectionReport, ReportFinding } from '../../src/report/model.js';
import { makeReport } from './fixtures.js';
import { findingKey } from '../../src/review/findingIdentity.js';

const unitOf = (r: InspectionReport, id: string) => r.units.find((u) => u.id === id)!;
const byUrl = (r: InspectionReport, id: string, tail: string) =>
  unitOf(r, id).findings.find((f) => f.url.endsWith(tail))!;

/** The earlier inspection, and a later one the test edits to say what the units did. */
function reports(): { previous: InspectionReport; current: InspectionReport } {
  const previous = makeReport();
  const current = structuredClone(previous);
  current.runId = previous.runId + 1;
  current.inspectionDate = '2026-12-24';
  return { previous, current };
}

const fullCoverage = (r: InspectionReport): RecheckCoverage => ({
  crawlFailed: new Set(),
  fetched: new Map(r.units.map((u) => [u.id, new Set(u.findings.map((f) => f.url).concat(u.startUrls))])),
});

function remove(r: InspectionReport, f: ReportFinding): void {
  const unit = unitOf(r, f.unitId);
  unit.findings = unit.findings.filter((x) => x !== f);
}

describe('compareInspections', () => {
  it('tells fixed, still open, changed and new problems apart', () => {
    const { previous, current } = reports();
    const coverage = fullCoverage(current);
    // mzj removed the dead attachment link (URL no longer crawled), the stale column is a month staler,
    // and a new dead link appeared.
    remove(current, byUrl(current, 'mzj', 'P020260312_dibao.pdf'));
    coverage.fetched.get('mzj')!.delete(byUrl(previous, 'mzj', 'P020260312_dibao.pdf').url);
    byUrl(current, 'mzj', '/gzdt/index.html').message =
      '栏目“工作动态”超过 14 天未更新（最近更新 2026-10-16）';
    unitOf(current, 'mzj').findings.push({
      ...byUrl(current, 'mzj', '/gzdt/index.html'),
      checkId: 'dead-links',
      kind: 'inner-page',
      message: '页面链接无法访问（HTTP 404）',
      url: 'http://mzj.example.gov.cn/gzdt/t20261201_1.html',
    });
    const mzj = compareInspections(previous, current, coverage).units.find((u) => u.id === 'mzj')!;
    const status = (tail: string) =>
      mzj.items.find((i) => (i.previous ?? i.current)!.url.endsWith(tail))?.status;
    expect(status('P020260312_dibao.pdf')).toBe('fixed');
    expect(mzj.items.find((i) => i.status === 'fixed')!.note).toMatch(/未再抓取到/);
    // The date moved but it is the same stale column.
    expect(status('/gzdt/index.html')).toBe('open');
    expect(status('t20261201_1.html')).toBe('new');
    // needs-review findings are not followed: the notice did not ask for them.
    expect(mzj.items.some((i) => i.previous?.outcome === 'needs-review')).toBe(false);
    expect(mzj.counts).toMatchObject({ fixed: 1, open: 2, new: 1, changed: 0 });
    expect(mzj.fixRate).toBeCloseTo(1 / 3);
  });

  it('counts repeated findings at one URL one by one, and a reworded one as changed', () => {
    const { previous, current } = reports();
    const idCard = byUrl(previous, 'rsj', 'gongyi_gangwei_mingdan.xlsx');
    // Three exposed IDs in the roster before; one left after.
    unitOf(previous, 'rsj').findings.push(
      { ...idCard, evidence: '350502********1111' },
      { ...idCard, evidence: '350502********2222' },
    );
    const mobile = byUrl(current, 'rsj', 't20261103_88.html');
    mobile.message = '页面公开了脱敏不充分的手机号码';
    const items = compareInspections(previous, current, fullCoverage(current)).units.find(
      (u) => u.id === 'rsj',
    )!.items;
    const roster = items.filter((i) => i.previous?.url.endsWith('gongyi_gangwei_mingdan.xlsx'));
    expect(roster.map((i) => i.status).sort()).toEqual(['fixed', 'fixed', 'open']);
    expect(roster.find((i) => i.status === 'fixed')!.note).toMatch(/已访问该网址/);
    expect(items.find((i) => i.previous?.url.endsWith('t20261103_88.html'))!.status).toBe('changed');
  });

  it('never calls a problem fixed when the later inspection could not look', () => {
    const { previous, current } = reports();
    for (const u of current.units) u.findings = u.findings.filter((f) => f.outcome === 'error');
    const coverage = fullCoverage(current);
    coverage.crawlFailed.add('rsj');
    const recheck = compareInspections(previous, current, coverage);
    const rsj = recheck.units.find((u) => u.id === 'rsj')!;
    expect(rsj.items.every((i) => i.status === 'unverifiable')).toBe(true);
    expect(rsj.items[0]!.note).toBe('本次网站无法访问，未能复查');
    expect(rsj.fixRate).toBeUndefined();
    // jyj's attachment check errored this time: its earlier attachment problems stay undecided,
    // its other problems are fixed.
    const jyj = recheck.units.find((u) => u.id === 'jyj')!;
    const errored = jyj.items.filter((i) => i.previous?.checkId === 'dead-links');
    expect(errored.every((i) => i.status === 'unverifiable')).toBe(true);
    expect(
      jyj.items.filter((i) => i.previous?.checkId !== 'dead-links').every((i) => i.status === 'fixed'),
    ).toBe(true);
  });

  it('reports a problem a reviewer has since ruled out as dismissed, not as fixed', () => {
    const { previous, current } = reports();
    const mobile = byUrl(current, 'rsj', 't20261103_88.html');
    mobile.outcome = 'dismissed';
    mobile.review = {
      decision: 'dismissed',
      reason: '单位值班电话',
      reviewer: '张三',
      decidedAt: '2026-12-01T00:00:00Z',
    };
    const rsj = compareInspections(previous, current, fullCoverage(current)).units.find(
      (u) => u.id === 'rsj',
    )!;
    const item = rsj.items.find((i) => i.previous?.url.endsWith('t20261103_88.html'))!;
    expect(item).toMatchObject({ status: 'dismissed', note: '张三复核排除：单位值班电话' });
    expect(rsj.counts.fixed).toBe(0);
  });

  it('lists a unit that left the inspection as unverifiable, and a new unit with only new problems', () => {
    const { previous, current } = reports();
    const rsj = unitOf(current, 'rsj');
    current.units = current.units.filter((u) => u.id !== 'rsj');
    current.units.push({
      ...structuredClone(rsj),
      id: 'new',
      name: '示范区新单位',
      findings: rsj.findings.map((f) => ({ ...f, unitId: 'new' })),
    });
    const recheck = compareInspections(previous, current, fullCoverage(current));
    const gone = recheck.units.find((u) => u.id === 'rsj')!;
    expect(gone.current).toBeUndefined();
    expect(gone.items.every((i) => i.status === 'unverifiable' && i.note === '本次巡查未包含该单位')).toBe(
      true,
    );
    const added = recheck.units.find((u) => u.id === 'new')!;
    expect(added.previous).toBeUndefined();
    expect(added.items.every((i) => i.status === 'new')).toBe(true);
  });
});

describe('accepted 整改反馈 in the 复查', () => {
  it('shows the feedback beside the finding it answers, and says when the problem is still there', async () => {
    const { previous, current } = reports();
    const coverage = fullCoverage(current);
    const fixedOne = byUrl(previous, 'mzj', 'P020260312_dibao.pdf');
    remove(current, byUrl(current, 'mzj', 'P020260312_dibao.pdf'));
    const stillThere = byUrl(previous, 'mzj', '/gzdt/index.html');
    const accepted = (note: string) => ({
      note,
      submittedBy: '民政局联络员',
      submittedAt: '2026-12-10T09:00:00+08:00',
      decidedBy: '检查员甲',
      decidedAt: '2026-12-11T10:00:00+08:00',
    });
    coverage.feedback = new Map([
      [findingKey(fixedOne), accepted('已删除失效附件链接')],
      [findingKey(stillThere), accepted('栏目已更新')],
    ]);
    const recheck = compareInspections(previous, current, coverage);
    const mzj = recheck.units.find((u) => u.id === 'mzj')!;
    const fixed = mzj.items.find((i) => i.previous === fixedOne)!;
    expect(fixed.status).toBe('fixed');
    expect(fixed.feedback?.note).toBe('已删除失效附件链接');
    expect(fixed.note).not.toMatch(/未能证实/);
    const open = mzj.items.find((i) => i.previous === stillThere)!;
    expect(open.status).toBe('open');
    expect(open.note).toMatch(/单位已反馈整改并经审核认可，复查未能证实/);
    // Findings nobody answered carry no feedback.
    expect(mzj.items.filter((i) => i.feedback)).toHaveLength(2);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderRecheckWorkbook(recheck)) as unknown as ExcelJS.Buffer);
    const details = wb.getWorksheet('复查明细')!;
    const header = (details.getRow(1).values as unknown[]).slice(1);
    const column = header.indexOf('整改反馈（已认可）') + 1;
    expect(column).toBeGreaterThan(0);
    const cells: string[] = [];
    details.eachRow((row, n) => n > 1 && cells.push(String(row.getCell(column).value ?? '')));
    expect(cells.filter((c) => c).sort()).toEqual([
      '已删除失效附件链接\n（民政局联络员 2026-12-10 提交；检查员甲 2026-12-11 认可）',
      '栏目已更新\n（民政局联络员 2026-12-10 提交；检查员甲 2026-12-11 认可）',
    ]);
  });
});

describe('renderRecheckWorkbook', () => {
  it('writes a summary row per unit and a detail row per followed problem', async () => {
    const { previous, current } = reports();
    remove(current, byUrl(current, 'mzj', 'P020260312_dibao.pdf'));
    const recheck = compareInspections(previous, current, fullCoverage(current));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderRecheckWorkbook(recheck)) as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['复查汇总', '复查明细']);
    const summary = wb.getWorksheet('复查汇总')!;
    expect(String(summary.getCell('A1').value)).toContain(`第 ${previous.runId} 批`);
    const header = (summary.getRow(2).values as unknown[]).slice(1);
    expect(header).toEqual(
      expect.arrayContaining(['单位', '已整改', '未整改', '新发现', '无法复查', '整改率']),
    );
    const mzjRow = (summary.getRow(3).values as unknown[]).slice(1);
    expect(mzjRow[0]).toBe(recheck.units[0]!.name);
    const details = wb.getWorksheet('复查明细')!;
    const total = recheck.units.reduce((n, u) => n + u.items.length, 0);
    expect(details.rowCount).toBe(total + 1);
    const statuses = new Set<string>();
    details.eachRow((row, n) => n > 1 && statuses.add(String(row.getCell(2).value)));
    expect(statuses).toEqual(new Set(['已整改', '未整改']));
  });
});
