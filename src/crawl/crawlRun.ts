import PQueue from 'p-queue';
import type { Db } from '../store/db.js';
import type { CrawlSettings } from '../config/settings.js';
import type { Logger } from '../log.js';
import { loadUnits } from '../store/runs.js';
import { HostScheduler } from './politeness.js';
import { RobotsCache } from './robots.js';
import { politeFetch } from './politeFetch.js';
import { crawlUnit, type UnitCrawlSummary, type UnitProgress } from './crawlUnit.js';

/**
 * The crawl stage: every unit of a run, several at once. Units already crawled are skipped, so a
 * resumed run only finishes what was left (the frontier itself lives in the store).
 */
export async function crawlRun(
  db: Db,
  runId: number,
  settings: CrawlSettings,
  log: Logger,
): Promise<UnitCrawlSummary[]> {
  const scheduler = new HostScheduler(
    settings.perHostConcurrency,
    settings.perHostDelayMs,
    settings.globalConcurrency,
  );
  const robots = new RobotsCache(settings.userAgent, (url) =>
    politeFetch(scheduler, settings, url, { maxBytes: 512 * 1024 }, 0),
  );
  const units = loadUnits(db, runId);
  const names = new Map(units.map((u) => [u.id, u.name]));
  const progress = new Map<string, UnitProgress>();
  // One line for all units in flight: name done/total (errors).
  const showProgress = (p: UnitProgress) => {
    progress.set(p.unitId, p);
    const parts = [...progress.values()].map(
      (u) => `${names.get(u.unitId)} ${u.done}/${u.done + u.queued}${u.errors ? `（错误 ${u.errors}）` : ''}`,
    );
    log.progress(`抓取中：${parts.join(' · ')}`);
  };
  const queue = new PQueue({ concurrency: settings.concurrentUnits });
  const summaries: UnitCrawlSummary[] = [];
  for (const unit of units) {
    if (unit.crawlStatus === 'done' || unit.crawlStatus === 'failed') continue;
    void queue.add(async () => {
      const s = await crawlUnit({ db, runId, settings, scheduler, robots, onProgress: showProgress }, unit);
      summaries.push(s);
      progress.delete(unit.id);
      const line = `${unit.name}：页面 ${s.pages}，附件 ${s.attachments}，失败 ${s.failures}`;
      if (s.status === 'failed') log.warn(`${line}（${s.error}）`);
      else log.info(`✓ ${line}`);
    });
  }
  await queue.onIdle();
  log.done();
  return summaries;
}
