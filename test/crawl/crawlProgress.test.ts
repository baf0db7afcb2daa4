import { describe, expect, it } from 'vitest';
import { CrawlProgress } from '../../src/crawl/crawlRun.js';
import type { Logger } from '../../src/log.js';

function recordingLogger() {
  const drawn: { lines: string[]; data?: Record<string, unknown> }[] = [];
  const log: Logger = {
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    progress: (lines, data) => drawn.push({ lines, data }),
    done: () => undefined,
  };
  return { log, drawn };
}

describe('crawl progress with many host groups', () => {
  it('shows the groups with most pages left and one total line, at most every 250 ms', async () => {
    const { log, drawn } = recordingLogger();
    const names = new Map(Array.from({ length: 100 }, (_, i) => [`u${i}`, `单位${i}`]));
    const progress = new CrawlProgress(log, names, 100);
    for (let i = 0; i < 100; i++) progress.begin(`u${i}`);
    for (let i = 0; i < 100; i++)
      progress.update({ unitId: `u${i}`, done: 10, queued: i, errors: i === 5 ? 1 : 0 });
    // The first update draws at once; the other 99 within the interval wait for one more drawing.
    expect(drawn).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(drawn).toHaveLength(2);
    const { lines, data } = drawn[1]!;
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(/^单位99 /);
    expect(lines[7]).toMatch(/^单位92 /);
    expect(lines[8]).toMatch(/^合计 100 组：抓取中 100，已完成 0 {2}已抓 1000，待抓 4950 {2}错误 1 /);
    expect(lines[8]).toContain('（上面是待抓最多的 8 组）');
    // --json still gets every active group.
    expect(data).toMatchObject({ active: 100, done: 1000, queued: 4950 });
    expect((data!.units as unknown[]).length).toBe(100);
    progress.finish('u99');
    progress.stop();
  });

  it('counts finished and waiting groups in the total line', async () => {
    const { log, drawn } = recordingLogger();
    const progress = new CrawlProgress(
      log,
      new Map([
        ['a', '甲'],
        ['b', '乙'],
      ]),
      3,
    );
    progress.begin('a');
    progress.update({ unitId: 'a', done: 5, queued: 0, errors: 0 });
    await new Promise((r) => setTimeout(r, 300));
    progress.finish('a');
    await new Promise((r) => setTimeout(r, 300));
    progress.stop();
    const last = drawn.at(-1)!.lines;
    expect(last).toHaveLength(1);
    expect(last[0]).toMatch(/^合计 3 组：抓取中 0，已完成 1，排队 2 {2}已抓 5，待抓 0 {2}[\d.]+ 页\/秒$/);
  });
});
