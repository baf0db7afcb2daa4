import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { stageCheck, stageReport, stageScore, type PipelineOptions } from '../../src/pipeline.js';
import { crawlSettings } from '../../src/config/settings.js';
import type { InspectionReport } from '../../src/report/model.js';
import { listScores } from '../../src/store/results.js';
import { crawlUnits, memoryLogger, unit } from '../helpers/crawlFixture.js';
import { readDocxText, readWorkbook } from '../helpers/readBack.js';

let site: RunningSite;
/** A port nothing listens on: connections are refused, like a unit whose server is down. */
let closedOrigin: string;

beforeAll(async () => {
  site = await startSiteServer({ dir: 'test/fixtures/sites/basic' });
  const gone = await startSiteServer({ dir: 'test/fixtures/sites/basic' });
  closedOrigin = gone.origin;
  await gone.close();
});
afterAll(() => site.close());

describe('a unit whose home page cannot be fetched', () => {
  it('gets no score and no grade: 无法访问, below every scored unit, with the evidence', async () => {
    const { db, runId } = await crawlUnits(
      [
        unit('down', [`${closedOrigin}/index.html`], { name: '停机局' }),
        unit('up', [`${site.origin}/`], { name: '正常局' }),
      ],
      { render: 'never', timeoutMs: 3000 },
    );
    const out = mkdtempSync(join(tmpdir(), 'xuncha-unreachable-'));
    const o: PipelineOptions = {
      db,
      log: memoryLogger().log,
      settings: crawlSettings(),
      rulesDir: 'rules',
      outDir: out,
      issuer: '县政务公开办',
    };
    await stageCheck(o, runId);
    await stageScore(o, runId);
    const scores = await listScores(db, runId);
    const down = scores.find((s) => s.unitId === 'down')!;
    const up = scores.find((s) => s.unitId === 'up')!;
    expect(up.unscored).toBeUndefined();
    expect(down.unscored).toContain(`${closedOrigin}/index.html：连接被拒绝`);
    expect(down.grade).toBe('无法访问');
    expect(down.rank).toBeGreaterThan(up.rank);

    const written = await stageReport(o, runId);
    const report = JSON.parse(readFileSync(written.json, 'utf8')) as InspectionReport;
    expect(report.units.map((u) => u.id)).toEqual(['up', 'down']);
    expect(report.units[1]).toMatchObject({ grade: '无法访问', unscored: down.unscored });

    const ranking = (await readWorkbook(readFileSync(written.workbook))).排名!;
    const row = ranking.find((r) => r[1] === '停机局')!;
    const okRow = ranking.find((r) => r[1] === '正常局')!;
    expect(ranking.indexOf(row)).toBeGreaterThan(ranking.indexOf(okRow));
    expect(row.slice(0, 7)).toEqual([
      '—',
      '停机局',
      '部门',
      '—',
      '无法访问',
      '—',
      `无法访问：${down.unscored}`,
    ]);
    expect(typeof okRow[3]).toBe('number');
    // No grade word anywhere in the unreachable unit's row.
    for (const grade of ['优秀', '良好', '合格', '不合格']) expect(row).not.toContain(grade);

    const noticeFile = written.notices.find((f) => f.includes('停机局'))!;
    const notice = (await readDocxText(readFileSync(noticeFile))).join('\n');
    expect(notice).toContain('网站首页无法访问');
    expect(notice).toContain('连接被拒绝');
    expect(notice).toContain('本次不评分');
    expect(notice).toContain('站点无法访问');
    expect(notice).not.toMatch(/得分\d|等级为/);
  });
});
