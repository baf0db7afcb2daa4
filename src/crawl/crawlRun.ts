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
import { crawlGroup, type UnitCrawlSummary, type UnitProgress } from './crawlGroup.js';
import { hostGroups } from './scope.js';

/**
 * The crawl stage: every unit of a run, several host groups at once (units sharing a host — a
 * 集约化 portal and its columns — are crawled together, see crawlGroup). Groups already crawled are
 * skipped, so a resumed run only finishes what was left (the frontier itself lives in the store).
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
  const groups = hostGroups(units);
  // A group's progress line is named after its first unit (the portal, when seeds list it first).
  const names = new Map(
    groups.map((g) => [g[0]!.id, g.length > 1 ? `${g[0]!.name}等 ${g.length} 个单位` : g[0]!.name]),
  );
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
  for (const group of groups) {
    if (group.every((u) => u.crawlStatus === 'done' || u.crawlStatus === 'failed')) continue;
    void queue.add(async () => {
      const results = await crawlGroup(
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
        group,
      );
      progress.delete(group[0]!.id);
      for (const s of results) {
        summaries.push(s);
        const line = `${s.name}：页面 ${s.pages}，附件 ${s.attachments}，失败 ${s.failures}`;
        if (s.status === 'failed') log.warn(`${line}（${s.error}）`);
        else log.info(`✓ ${line}`);
      }
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
