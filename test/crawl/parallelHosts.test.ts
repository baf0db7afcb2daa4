import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HostScheduler } from '../../src/crawl/politeness.js';
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

/** When the scheduler let each request start, by host (the crawler's side of politeness). */
function recordStarts(): Map<string, number[]> {
  const byHost = new Map<string, number[]>();
  const run = HostScheduler.prototype.run;
  vi.spyOn(HostScheduler.prototype, 'run').mockImplementation(function <T>(
    this: HostScheduler,
    host: string,
    task: () => Promise<T>,
  ) {
    return run.call(this, host, () => {
      byHost.set(host, [...(byHost.get(host) ?? []), performance.now()]);
      return task();
    }) as Promise<T>;
  });
  return byHost;
}

const starts = (site: RunningSite) => site.requests.map((r) => r.at).sort((x, y) => x - y);
const minGap = (t: number[]) => Math.min(...t.slice(1).map((x, i) => x - t[i]!));

describe('host groups crawled at once', () => {
  it('crawls two hosts in parallel while each keeps its own spacing', async () => {
    a.requests.length = 0;
    b.requests.length = 0;
    const scheduled = recordStarts();
    const units = [unit('a', [`${a.origin}/list/index.html`]), unit('b', [`${b.origin}/list/index.html`])];
    await crawlUnits(units, { perHostDelayMs: 200, perHostConcurrency: 2, maxDepth: 1, render: 'never' });
    vi.restoreAllMocks();
    const ta = starts(a);
    const tb = starts(b);
    expect(ta.length).toBeGreaterThanOrEqual(5);
    expect(tb.length).toBeGreaterThanOrEqual(5);
    // Parallel: each host's first request comes before the other's last one.
    expect(ta[0]!).toBeLessThan(tb[tb.length - 1]!);
    expect(tb[0]!).toBeLessThan(ta[ta.length - 1]!);
    // Politeness per host exactly as before: every start the scheduler allowed is ≥ 200 ms after
    // the host's previous one. (Judged at the scheduler: the servers share this test's event loop,
    // so the arrival times they record move with its load.)
    expect([...scheduled.keys()].sort()).toEqual([new URL(a.origin).host, new URL(b.origin).host].sort());
    for (const t of scheduled.values()) {
      expect(t.length).toBeGreaterThanOrEqual(5);
      expect(minGap(t)).toBeGreaterThanOrEqual(199.9);
    }
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
