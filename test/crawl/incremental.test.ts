import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { listResources } from '../../src/store/crawlData.js';
import { crawlUnits, unit } from '../helpers/crawlFixture.js';
import { openTestStore } from '../helpers/testStore.js';

let site: RunningSite;
beforeAll(async () => {
  site = await startSiteServer({ dir: 'test/fixtures/sites/basic' });
});
afterAll(() => site.close());

describe('monthly re-crawl', () => {
  it('sends the stored validators, so unchanged pages cost a 304 and keep their content', async () => {
    const db = await openTestStore();
    const units = [unit('t', [`${site.origin}/list/index.html`])];
    const first = await crawlUnits(units, { maxDepth: 1 }, db);
    site.requests.length = 0;
    const second = await crawlUnits(units, { maxDepth: 1 }, db);
    const conditional = site.requests.filter((r) => r.headers['if-none-match']);
    expect(conditional.length).toBeGreaterThanOrEqual(5);
    const before = new Map((await listResources(db, first.runId, 't')).map((r) => [r.url, r]));
    const after = await listResources(db, second.runId, 't');
    const pages = after.filter((r) => r.url.includes('/list/'));
    expect(pages.length).toBe(9); // 3 list pages + 6 articles
    for (const r of pages) {
      expect(r.status, r.url).toBe(304);
      expect(r.contentHash).toBe(before.get(r.url)!.contentHash);
    }
    // The 304 copies still lead to the pager pages and articles.
    expect(after.map((r) => r.url)).toEqual(
      expect.arrayContaining([`${site.origin}/list/index_2.html`, `${site.origin}/list/art6.html`]),
    );
  });
});
