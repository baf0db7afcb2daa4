import PQueue from 'p-queue';
import type { Db } from '../store/db.js';
import type { CrawlSettings } from '../config/settings.js';
import type { Logger } from '../log.js';
import { loadUnits } from '../store/runs.js';
import { HostScheduler } from './politeness.js';
import { RobotsCache } from './robots.js';
import { politeFetch } from './politeFetch.js';
import { PageRenderer } from './renderPage.js';
import { createPageAnalyser, defaultAnalysisWorkers } from './pageAnalyser.js';
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
  const robots = new RobotsCache(settings.userAgent, (url, guard) =>
    politeFetch(scheduler, settings, url, { guard, maxBytes: 512 * 1024 }, 0),
  );
  const delaysApplied = new Set<string>();
  // The browser launches lazily, on the first page that needs it.
  const renderer =
    settings.render === 'never'
      ? undefined
      : new PageRenderer({
          maxPages: settings.renderConcurrency,
          timeoutMs: settings.timeoutMs,
          userAgent: settings.userAgent,
        });
  const analyser = createPageAnalyser(settings.analysisWorkers ?? defaultAnalysisWorkers());
  const units = loadUnits(db, runId);
  const names = new Map(units.map((u) => [u.id, u.name]));
  const progress = new Map<string, UnitProgress>();
  const started = new Map<string, number>();
  const showProgress = (p: UnitProgress) => {
    progress.set(p.unitId, p);
    if (!started.has(p.unitId)) started.set(p.unitId, Date.now());
    const units = [...progress.values()];
    log.progress(
      units.map((u) => progressLine(names.get(u.unitId) ?? u.unitId, u, started.get(u.unitId)!)),
      { units },
    );
  };
  const queue = new PQueue({ concurrency: settings.concurrentUnits });
  const summaries: UnitCrawlSummary[] = [];
  for (const unit of units) {
    if (unit.crawlStatus === 'done' || unit.crawlStatus === 'failed') continue;
    void queue.add(async () => {
      const s = await crawlUnit(
        {
          db,
          runId,
          settings,
          scheduler,
          robots,
          analyser,
          delaysApplied,
          renderer,
          onProgress: showProgress,
          onWarning: (m) => log.warn(m),
        },
        unit,
      );
      summaries.push(s);
      progress.delete(unit.id);
      const line = `${unit.name}：页面 ${s.pages}，附件 ${s.attachments}，失败 ${s.failures}`;
      if (s.status === 'failed') log.warn(`${line}（${s.error}）`);
      else log.info(`✓ ${line}`);
    });
  }
  await queue.onIdle().finally(() => Promise.all([renderer?.close(), analyser.close()]));
  log.done();
  return summaries;
}

/** 民政局  [██████░░░░]  47/58  错误 1  9.5 页/秒 */
function progressLine(name: string, p: UnitProgress, started: number): string {
  const total = p.done + p.queued;
  const filled = total ? Math.round((p.done / total) * 20) : 0;
  const rate = p.done / Math.max((Date.now() - started) / 1000, 0.001);
  const bar = '█'.repeat(filled) + '░'.repeat(20 - filled);
  return `${name}  [${bar}]  ${p.done}/${total}${p.errors ? `  错误 ${p.errors}` : ''}  ${rate.toFixed(1)} 页/秒`;
}
