import { describe, expect, it } from 'vitest';
import { HostScheduler } from '../../src/crawl/politeness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `n` tasks of `ms` each on `host`, recording when each really started (ms since t0). */
function load(scheduler: HostScheduler, host: string, n: number, ms: number, t0: number, starts: number[]) {
  return Array.from({ length: n }, () =>
    scheduler.run(host, async () => {
      starts.push(Date.now() - t0);
      await sleep(ms);
    }),
  );
}

const gaps = (starts: number[]) => starts.slice(1).map((t, i) => t - starts[i]!);

describe('HostScheduler', () => {
  it('lets a host waiting out its delay hold no global slot', async () => {
    // One global slot, two hosts with 200 ms between starts: if a host held the slot while it
    // waited, the other host's requests would queue behind every delay (≈ 1,000 ms in all).
    const scheduler = new HostScheduler(2, 200, 1);
    const t0 = Date.now();
    const a: number[] = [];
    const b: number[] = [];
    await Promise.all([...load(scheduler, 'a', 3, 10, t0, a), ...load(scheduler, 'b', 3, 10, t0, b)]);
    expect(Math.max(...a, ...b)).toBeLessThan(600);
    expect(b[0]).toBeLessThan(100);
    // Each host's spacing is kept whatever the other does (a few ms of timer jitter allowed).
    expect(Math.min(...gaps(a), ...gaps(b))).toBeGreaterThanOrEqual(195);
  });

  it('keeps the gap when the global cap makes a host wait past its turn', async () => {
    // Host b holds the only global slot for 300 ms; host a's two per-host slots both see their
    // turn come meanwhile. They must not start back to back when the slot frees.
    const scheduler = new HostScheduler(2, 100, 1);
    const t0 = Date.now();
    const a: number[] = [];
    const b: number[] = [];
    const slow = load(scheduler, 'b', 1, 300, t0, b);
    await sleep(5);
    await Promise.all([...slow, ...load(scheduler, 'a', 3, 5, t0, a)]);
    expect(a[0]).toBeGreaterThanOrEqual(295);
    expect(Math.min(...gaps(a))).toBeGreaterThanOrEqual(95);
  });

  it('keeps at most the per-host number in flight and honours a pause', async () => {
    const scheduler = new HostScheduler(2, 0, 16);
    let inFlight = 0;
    let most = 0;
    const t0 = Date.now();
    scheduler.pauseHost('h', t0 + 150);
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () =>
        scheduler.run('h', async () => {
          starts.push(Date.now() - t0);
          most = Math.max(most, ++inFlight);
          await sleep(30);
          inFlight--;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(145);
  });
});
