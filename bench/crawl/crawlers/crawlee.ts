/**
 * Crawlee's CheerioCrawler, configured like the others: concurrency pinned at C, no retries,
 * no session pool or proxy, storage in memory (and a temp dir should anything spill), links
 * enqueued with the same-hostname strategy. Dead links = requests that failed or answered >= 400.
 * Child of bench/crawl/run.ts: node --import tsx bench/crawl/crawlers/crawlee.ts --url U --concurrency C
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countFailure, crawlerArgs, runMeasured } from './common.js';

const args = crawlerArgs();
const dir = mkdtempSync(join(tmpdir(), 'crawlee-bench-'));
process.env.CRAWLEE_STORAGE_DIR = dir;
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
// Imported after CRAWLEE_STORAGE_DIR is set.
const { CheerioCrawler, Configuration, log } = await import('crawlee');
log.setLevel(log.LEVELS.OFF);

const config = new Configuration({ persistStorage: false, purgeOnStart: true });
let requests = 0;
let pagesOk = 0;
const dead: string[] = [];
const failures: Record<string, number> = {};
const crawler = new CheerioCrawler(
  {
    minConcurrency: args.concurrency,
    maxConcurrency: args.concurrency,
    maxRequestRetries: 0,
    maxRequestsPerCrawl: args.maxRequests,
    useSessionPool: false,
    persistCookiesPerSession: false,
    async requestHandler({ request, response, enqueueLinks }) {
      requests++;
      if ((response.statusCode ?? 0) >= 400) {
        dead.push(request.url);
        countFailure(failures, `http-${response.statusCode}`);
        return;
      }
      pagesOk++;
      await enqueueLinks({ strategy: 'same-hostname' });
    },
    failedRequestHandler({ request }, error) {
      requests++;
      dead.push(request.url);
      countFailure(failures, error.name || 'error');
    },
  },
  config,
);

await runMeasured('crawlee', async () => {
  await crawler.run([args.url]);
  return { requests, pagesOk, dead, failures };
});
