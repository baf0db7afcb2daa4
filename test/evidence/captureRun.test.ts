import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { runChecks } from '../../src/checks/runChecks.js';
import { captureEvidence } from '../../src/evidence/captureRun.js';
import { planShots, dateSpellings, type ShotLookups } from '../../src/evidence/targets.js';
import { listScreenshots } from '../../src/store/screenshots.js';
import { listFindings } from '../../src/store/results.js';
import { loadBody } from '../../src/store/crawlData.js';
import { crawlSettings } from '../../src/config/settings.js';
import { stageEvidence } from '../../src/pipeline.js';
import type { StoredFinding } from '../../src/checks/types.js';
import { exportEvidence, reportScreenshots } from '../../src/report/evidenceFiles.js';
import { crawlUnits, memoryLogger, unit } from '../helpers/crawlFixture.js';
import { validId } from '../helpers/fakeIds.js';

const ID = validId('35050219850203452');
const MOBILE = '13912345678';

const PAGES: Record<string, string> = {
  '/': '<a href="/gs/">公示公告</a><a href="/news/">新闻</a><a href="/gone-1.html">旧链接一</a>',
  '/gs/': `<h2>临时救助对象公示</h2><table><tr><th>姓名</th><th>身份证号</th><th>联系电话</th></tr>
    <tr><td>李某某</td><td>${ID}</td><td>${MOBILE}</td></tr></table><a href="/">首页</a>`,
  '/news/': '<a href="/gone-2.html">旧链接二</a><a href="/gone-3.html">旧链接三</a><a href="/">首页</a>',
};

let site: RunningSite;

beforeAll(async () => {
  site = await startSiteServer({
    dir: 'test/fixtures/sites/basic',
    handle: (req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '/').split('?')[0]!;
      const body = PAGES[path];
      if (path === '/robots.txt') return false;
      res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(
        `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${path}</title></head><body>${body ?? '404'}</body></html>`,
      );
      return true;
    },
  });
});
afterAll(() => site.close());

async function crawledAndChecked() {
  const crawled = await crawlUnits([unit('a', [`${site.origin}/`])], { screenshotsPerUnit: 2 });
  const { log } = memoryLogger();
  await runChecks(crawled.db, crawled.runId, '2026-11-24', log);
  return { ...crawled, log };
}

describe('captureEvidence', () => {
  it('draws the pages behind the findings, personal data first, one image per page, within the cap', async () => {
    const { db, runId, log } = await crawledAndChecked();
    const findings = await listFindings(db, runId);
    const pii = findings.filter((f) => f.checkId === 'personal-data-exposure');
    const dead = findings.filter((f) => f.checkId === 'dead-links');
    expect(pii.length).toBeGreaterThanOrEqual(2);
    expect(dead.length).toBe(3);
    const settings = crawlSettings({ perHostDelayMs: 0, screenshotsPerUnit: 2 });
    const [summary] = await captureEvidence(db, runId, settings, log);
    expect(summary!.screenshots).toBe(2);
    const shots = await listScreenshots(db, runId);
    // The roster page (personal data) is drawn first, and once for both of its values.
    expect(shots[0]!.pageUrl).toBe(`${site.origin}/gs/`);
    expect(shots[0]!.masked).toBe(2);
    expect(shots[0]!.findingIds.sort()).toEqual(pii.map((f) => f.id).sort());
    // Then a page carrying dead links: the cap (2) leaves one of the two referring pages out.
    expect(shots[1]!.outlined).toBeGreaterThanOrEqual(1);
    expect([`${site.origin}/`, `${site.origin}/news/`]).toContain(shots[1]!.pageUrl);
    for (const s of shots) {
      const image = (await loadBody(db, s.imageHash))!;
      expect(image.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
      const copy = (await loadBody(db, s.copyHash))!.toString('utf8');
      expect(copy).not.toContain(ID);
      expect(copy).not.toContain(MOBILE);
      expect(s.status).toBe(200);
    }
    // The original bytes stay in the store under the hash the record names.
    expect((await loadBody(db, shots[0]!.bodyHash))!.toString()).toContain(ID);
    // Exported for the report folder: pictures, masked copies and a list an office can file.
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-evidence-'));
    const records = await reportScreenshots(db, runId);
    expect(await exportEvidence(db, runId, dir, records)).toHaveLength(2);
    const list = readFileSync(join(dir, '证据', '证据清单.csv'), 'utf8');
    expect(list.split('\r\n')[0]).toContain('抓取时间（北京时间）');
    for (const r of records) {
      expect(list).toContain(r.bodyHash);
      expect(readFileSync(join(dir, r.image)).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(readFileSync(join(dir, r.copy), 'utf8')).not.toContain(ID);
    }
    expect(records[0]!.fetchedAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // Re-running the stage replaces a unit's screenshots rather than adding to them.
    await captureEvidence(db, runId, settings, log);
    expect(await listScreenshots(db, runId)).toHaveLength(2);
  });

  it('is skipped entirely when the run turns screenshots off', async () => {
    const { db, runId, log } = await crawledAndChecked();
    const settings = crawlSettings({ screenshots: false });
    expect(
      await stageEvidence({ db, log, settings, rulesDir: 'rules', outDir: '', issuer: '' }, runId),
    ).toEqual([]);
    expect(await listScreenshots(db, runId)).toEqual([]);
  });
});

describe('planShots', () => {
  const f = (
    id: number,
    checkId: string,
    url: string,
    extra: Partial<StoredFinding> = {},
  ): StoredFinding => ({
    id,
    runId: 1,
    unitId: 'a',
    checkId,
    outcome: 'fail',
    kind: 'x',
    message: '',
    url,
    location: '',
    evidence: '',
    ...extra,
  });
  const lookups: ShotLookups = {
    isPage: (u) => u.endsWith('.html') || u.endsWith('/'),
    referrerOf: (u) => (u.endsWith('.xls') || u.includes('gone') ? 'http://x/list/' : undefined),
  };

  it('proves an attachment by the article that links it, and a dead link by its page', () => {
    const shots = planShots(
      [f(1, 'personal-data-exposure', 'http://x/a.xls'), f(2, 'dead-links', 'http://x/gone.htm')],
      lookups,
      10,
    );
    expect(shots).toEqual([
      {
        pageUrl: 'http://x/list/',
        targets: [{ href: 'http://x/a.xls' }, { href: 'http://x/gone.htm' }],
        findingIds: [1, 2],
      },
    ]);
  });

  it('skips what no stored page shows, review items and dismissed findings', () => {
    const shots = planShots(
      [
        f(1, 'site-availability', 'http://nowhere'),
        f(2, 'future-dates', 'http://x/a.html', { outcome: 'needs-review' }),
        f(3, 'future-dates', 'http://x/b.html', { outcome: 'dismissed' }),
      ],
      lookups,
      10,
    );
    expect(shots).toEqual([]);
  });

  it('outlines the date a finding names in the spellings pages use', () => {
    const [shot] = planShots(
      [f(1, 'future-dates', 'http://x/a.html', { message: '发布日期 2027年1月5日 晚于检查日期' })],
      lookups,
      10,
    );
    expect(shot!.targets).toEqual([{ text: dateSpellings('2027年1月5日') }]);
    expect(dateSpellings('2027年1月5日')).toEqual(
      expect.arrayContaining(['2027-01-05', '2027年1月5日', '2027年01月05日', '2027/1/5', '2027.01.05']),
    );
  });
});
