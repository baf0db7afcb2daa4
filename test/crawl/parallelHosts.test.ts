import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { crawlUnits, unit } from '../helpers/crawlFixture.js';

// Two units on two hosts (the same site on two ports: a host is host:port).
let a: RunningSite;
let b: RunningSite;

beforeAll(async () => {
  [a, b] = await Promise.all([
    startSiteServer({ dir: 'test/fixtures/sites/basic' }),
    startSiteServer({ dir: 'test/fixtures/sites/basic' }),
  ]);
});
afterAll(() => Promise.all([a.close(), b.close()]));

const starts = (site: RunningSite) => site.requests.map((r) => r.at).sort((x, y) => x - y);
const minGap = (t: number[]) => Math.min(...t.slice(1).map((x, i) => x - t[i]!));

describe('host groups crawled at once', () => {
  it('crawls two hosts in parallel while each keeps its own spacing', async () => {
    a.requests.length = 0;
    b.requests.length = 0;
    const units = [unit('a', [`${a.origin}/list/index.html`]), unit('b', [`${b.origin}/list/index.html`])];
    await crawlUnits(units, { perHostDelayMs: 200, perHostConcurrency: 2, maxDepth: 1, render: 'never' });
    const ta = starts(a);
    const tb = starts(b);
    expect(ta.length).toBeGreaterThanOrEqual(5);
    expect(tb.length).toBeGreaterThanOrEqual(5);
    // Parallel: each host's first request comes before the other's last one.
    expect(ta[0]!).toBeLessThan(tb[tb.length - 1]!);
    expect(tb[0]!).toBeLessThan(ta[ta.length - 1]!);
    // Politeness per host as before. Seen from the server, a gap also moves with connection setup
    // (a request opening a new connection arrives later than one on a kept-alive connection) and
    // with the event loop that the crawler and both servers share here: allow 40 ms of that.
    // test/crawl/politeness.test.ts holds the scheduler itself to the exact gap.
    expect(minGap(ta)).toBeGreaterThanOrEqual(160);
    expect(minGap(tb)).toBeGreaterThanOrEqual(160);
  });

  it('still crawls one group after the other when concurrentUnits says so', async () => {
    a.requests.length = 0;
    b.requests.length = 0;
    const units = [unit('a', [`${a.origin}/list/index.html`]), unit('b', [`${b.origin}/list/index.html`])];
    await crawlUnits(units, { perHostDelayMs: 50, maxDepth: 1, concurrentUnits: 1, render: 'never' });
    const [first, second] = starts(a)[0]! < starts(b)[0]! ? [a, b] : [b, a];
    expect(starts(second)[0]!).toBeGreaterThan(starts(first).at(-1)!);
  });
});
