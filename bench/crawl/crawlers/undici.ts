/**
 * The "minimum possible overhead" baseline: a seen-set, a queue, C requests in flight, undici's
 * request() (its cheapest API, the one xuncha uses) and cheerio's `a[href]`. No politeness beyond
 * the concurrency cap.
 * Child of bench/crawl/run.ts: node --import tsx bench/crawl/crawlers/undici.ts --url U --concurrency C
 */
import * as cheerio from 'cheerio';
import { request } from 'undici';
import { countFailure, crawlerArgs, runMeasured } from './common.js';

const args = crawlerArgs();
const origin = new URL(args.url).origin;

await runMeasured('undici', async () => {
  const seen = new Set<string>([args.url]);
  const queue: (string | undefined)[] = [args.url];
  let head = 0;
  let active = 0;
  let requests = 0;
  let pagesOk = 0;
  const dead: string[] = [];
  const failures: Record<string, number> = {};

  const visit = async (url: string) => {
    try {
      const res = await request(url, { signal: AbortSignal.timeout(30_000) });
      const body = await res.body.text();
      if (res.statusCode >= 400) {
        dead.push(url);
        return countFailure(failures, `http-${res.statusCode}`);
      }
      if (!/text\/html/i.test(String(res.headers['content-type'] ?? ''))) return;
      pagesOk++;
      const $ = cheerio.load(body);
      $('a[href]').each((_, el) => {
        let next: URL;
        try {
          next = new URL($(el).attr('href') ?? '', url);
        } catch {
          return;
        }
        next.hash = '';
        const href = next.href;
        if (next.origin === origin && !seen.has(href)) {
          seen.add(href);
          queue.push(href);
        }
      });
    } catch (err) {
      dead.push(url);
      countFailure(failures, (err as Error).name || 'error');
    } finally {
      requests++;
    }
  };

  await new Promise<void>((resolve) => {
    const pump = () => {
      while (active < args.concurrency && head < queue.length && requests + active < args.maxRequests) {
        const url = queue[head]!;
        queue[head++] = undefined; // let the consumed part of the queue be collected
        active++;
        void visit(url).finally(() => {
          active--;
          pump();
        });
      }
      if (active === 0) resolve();
    };
    pump();
  });
  return { requests, pagesOk, dead, failures };
});
