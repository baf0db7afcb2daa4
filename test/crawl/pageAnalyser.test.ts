import { existsSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { analysePage } from '../../src/crawl/pageAnalysis.js';
import { createPageAnalyser, type PageAnalyser } from '../../src/crawl/pageAnalyser.js';

const LIST = `<html><head><meta charset="gbk"><title>通知公告</title></head><body>
<ul><li><a href="t20261101_1.html">关于做好冬季供暖工作的通知</a></li><li><a href="/zwgk/">政务公开</a></li></ul>
<script>createPageHTML(3, 0, "index", "html");</script></body></html>`;
const input = (url: string, html = LIST) => ({
  body: iconv.encode(html, 'gbk'),
  contentType: 'text/html',
  url,
  checkRendering: true,
});

async function withPool<T>(pool: PageAnalyser, fn: (p: PageAnalyser) => Promise<T>): Promise<T> {
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}

describe('page analyser pool', () => {
  it('gives the same answer in a worker thread as on the main thread', async () => {
    const url = 'http://127.0.0.1:1/tzgg/index.html';
    const inWorker = await withPool(createPageAnalyser(2), (p) => p.analyse(input(url)));
    expect(inWorker).toEqual(analysePage(input(url)));
    expect(inWorker.charset).toBe('gb18030');
    expect(inWorker.found.links.map((l) => l.anchor)).toContain('关于做好冬季供暖工作的通知');
    expect(inWorker.found.pagerUrls).toEqual([
      'http://127.0.0.1:1/tzgg/index.html',
      'http://127.0.0.1:1/tzgg/index_1.html',
      'http://127.0.0.1:1/tzgg/index_2.html',
    ]);
    expect(inWorker.signature.title).toBe('通知公告');
  });

  it('loses only the page that kills its worker; queued neighbours are analysed on a fresh one', async () => {
    // Deep nesting makes the parser's tree outgrow a 24 MB heap.
    const hostile = `<html><body>${'<div><span>'.repeat(400_000)}</body></html>`;
    await withPool(createPageAnalyser(1, 24), async (pool) => {
      const results = await Promise.allSettled([
        pool.analyse(input('http://127.0.0.1:1/a.html')),
        pool.analyse({ html: hostile, url: 'http://127.0.0.1:1/bad.html', checkRendering: false }),
        pool.analyse(input('http://127.0.0.1:1/b.html')),
        pool.analyse(input('http://127.0.0.1:1/c.html')),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/页面解析线程异常终止/);
      // The pool keeps working after the crash.
      expect((await pool.analyse(input('http://127.0.0.1:1/d.html'))).charset).toBe('gb18030');
    });
  });

  it('runs the compiled worker from dist/ (what `xuncha crawl` uses)', async () => {
    const compiled = new URL('../../dist/crawl/pageAnalyser.js', import.meta.url);
    expect(existsSync(compiled), 'dist/ is missing: run npm run build (npm run ci builds it)').toBe(true);
    const { createPageAnalyser: compiledPool } = (await import(
      compiled.href
    )) as typeof import('../../src/crawl/pageAnalyser.js');
    const r = await withPool(compiledPool(1), (p) => p.analyse(input('http://127.0.0.1:1/tzgg/index.html')));
    expect(r.found.links.length).toBe(2);
  });
});
