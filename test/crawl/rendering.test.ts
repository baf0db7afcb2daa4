import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { listResources, loadBody } from '../../src/store/crawlData.js';
import { crawlUnits, unit } from '../helpers/crawlFixture.js';

let site: RunningSite;
beforeAll(async () => {
  site = await startSiteServer({ dir: 'test/fixtures/sites/scripted' });
});
afterAll(() => site.close());

describe('rendering script-built pages', () => {
  it('renders a list built by fetch() and follows the links it shows', async () => {
    const { db, runId } = await crawlUnits([unit('r', [`${site.origin}/`])], { maxDepth: 1 });
    const resources = await listResources(db, runId, 'r');
    const home = resources.find((r) => r.url === `${site.origin}/`)!;
    expect(home.headers['x-xuncha-rendered']).toMatch(/.+/);
    expect((await loadBody(db, home.contentHash!))!.toString()).toContain('关于印发城乡低保实施办法的通知');
    expect(resources.map((r) => r.url)).toEqual(
      expect.arrayContaining([`${site.origin}/doc/a1.html`, `${site.origin}/doc/a2.html`]),
    );
  });

  it('with --render never sees only the empty list', async () => {
    const { db, runId } = await crawlUnits([unit('n', [`${site.origin}/`])], {
      maxDepth: 1,
      render: 'never',
    });
    const urls = (await listResources(db, runId, 'n')).map((r) => r.url);
    expect(urls).not.toContain(`${site.origin}/doc/a1.html`);
  });
});
