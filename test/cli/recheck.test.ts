import ExcelJS from 'exceljs';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import type { RecheckReport } from '../../src/report/recheck.js';
import { runCli } from '../helpers/cli.js';
import { readDocxText } from '../helpers/readBack.js';

/** A unit's site before and after it acted on its 整改通知. */
const page = (title: string, body: string) =>
  `<html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
const BEFORE: Record<string, string> = {
  '/': page(
    '示范区卫生健康局',
    `<ul><li><a href="/tzgg/a1.html">关于开展家庭医生签约服务的通知</a> 2026-11-20</li>
     <li><a href="/tzgg/gone.html">关于2025年度预防接种工作的通知</a> 2026-11-18</li></ul>`,
  ),
  '/tzgg/a1.html': page(
    '关于开展家庭医生签约服务的通知',
    '<p>签约居民：张建国，身份证号 350502199003151236，联系电话 13859901234。</p>',
  ),
};
const AFTER: Record<string, string> = {
  '/': page(
    '示范区卫生健康局',
    `<ul><li><a href="/tzgg/a1.html">关于开展家庭医生签约服务的通知</a> 2026-12-20</li>
     <li><a href="/tzgg/moved.html">关于做好冬季流感防控工作的通知</a> 2026-12-18</li></ul>`,
  ),
  '/tzgg/a1.html': page(
    '关于开展家庭医生签约服务的通知',
    '<p>签约居民：张**，身份证号 350502********1236，联系电话 138****1234。</p>',
  ),
};

let site: RunningSite;
let pages = BEFORE;
let dir: string;
let seeds: string;
beforeAll(async () => {
  site = await startSiteServer({
    dir: 'test/fixtures/sites/basic',
    handle: (req, res) => {
      const html = pages[new URL(req.url ?? '/', 'http://x').pathname];
      if (!html) return false;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html);
      return true;
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'xuncha-recheck-'));
  seeds = join(dir, 'units.yaml');
  writeFileSync(
    seeds,
    `units:\n  - id: wjj\n    name: 示范区卫生健康局\n    level: 部门\n    start: ["${site.origin}/"]\n`,
  );
});
afterAll(async () => {
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

const common = () => ['--db', join(dir, 'x.db'), '--out', join(dir, 'out'), '--quiet'];
// Screenshots are tested on their own (test/evidence) and in the demo; here they would only cost time.
const inspect = (date: string) =>
  runCli([
    'run',
    '--seeds',
    seeds,
    '--date',
    date,
    '--delay',
    '0',
    '--render',
    'never',
    '--no-screenshots',
    ...common(),
  ]);

describe('xuncha recheck', () => {
  it('says what the unit fixed, what is still open and what is new, from two real inspections', async () => {
    expect((await inspect('2026-11-24')).code).toBe(0);
    // --no-screenshots: the evidence stage did not run, so the batch has no 证据 folder.
    expect(existsSync(join(dir, 'out', '1', '证据'))).toBe(false);
    pages = AFTER;
    expect((await inspect('2026-12-24')).code).toBe(0);
    const r = await runCli(['recheck', ...common().filter((a) => a !== '--quiet')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('整改复查：第 1 批（2026-11-24）→ 第 2 批（2026-12-24）');
    expect(r.stdout).toContain('整改复查.xlsx');
    // The missing 网页标签 is still there: a 督办通知 beside the workbook, named in the summary.
    expect(r.stdout).toContain(`督办通知已生成 1 份（DOCX 和 PDF），在 ${join(dir, 'out', '2')}`);
    expect(r.stdout).toContain('督办通知-示范区卫生健康局.docx（未整改');
    for (const ext of ['docx', 'pdf'])
      expect(existsSync(join(dir, 'out', '2', `督办通知-示范区卫生健康局.${ext}`))).toBe(true);
    const supervision = (
      await readDocxText(readFileSync(join(dir, 'out', '2', '督办通知-示范区卫生健康局.docx')))
    ).join('\n');
    expect(supervision).toContain('关于督促示范区卫生健康局限期完成');
    expect(supervision).toContain('一、仍未整改的问题');

    const recheck = JSON.parse(readFileSync(join(dir, 'out', '2', '整改复查.json'), 'utf8')) as RecheckReport;
    const items = recheck.units[0]!.items;
    const find = (checkId: string, kind: string, tail: string) =>
      items.find((i) => {
        const f = (i.previous ?? i.current)!;
        return i.checkId === checkId && f.kind === kind && f.url.endsWith(tail);
      });
    expect(find('dead-links', 'home-page', '/tzgg/gone.html')).toMatchObject({ status: 'fixed' });
    expect(find('dead-links', 'home-page', '/tzgg/moved.html')).toMatchObject({ status: 'new' });
    expect(find('personal-data-exposure', 'id-card', '/tzgg/a1.html')).toMatchObject({
      status: 'fixed',
      note: '复查时已访问该网址，问题不再出现',
    });
    expect(find('personal-data-exposure', 'mobile', '/tzgg/a1.html')).toMatchObject({ status: 'fixed' });
    // Nothing was done about the missing 网页标签: still open.
    expect(items.some((i) => i.checkId === 'site-identity' && i.status === 'open')).toBe(true);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'out', '2', '整改复查.xlsx'));
    const detail = wb.getWorksheet('复查明细')!;
    expect(detail.rowCount).toBe(items.length + 1);
    // Evidence stays masked in the workbook and the JSON, even for the fixed exposure.
    const text = readFileSync(join(dir, 'out', '2', '整改复查.json'), 'utf8');
    for (const raw of ['350502199003151236', '13859901234']) {
      expect(text).not.toContain(raw);
      expect(supervision).not.toContain(raw);
      expect(r.stdout).not.toContain(raw);
    }
    // Two inspections, the re-check and its 督办通知 (DOCX and PDF).
  }, 180_000);

  it('refuses to compare a run with itself, or with nothing', async () => {
    const same = await runCli(['recheck', '--run', '2', '--against', '2', ...common()]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('复查批次与原巡查批次不能相同');
    const first = await runCli(['recheck', '--run', '1', ...common()]);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('批次 1 之前没有可供对比的巡查批次');
  });
});
