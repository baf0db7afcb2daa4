import PQueue from 'p-queue';
import type { Db } from '../store/db.js';
import type { CrawlSettings } from '../config/settings.js';
import type { Logger } from '../log.js';
import { loadUnits } from '../store/runs.js';
import { HostScheduler } from './politeness.js';
import { RobotsCache } from './robots.js';
import { politeFetch } from './politeFetch.js';
import { PageRenderer } from './renderPage.js';
import { createPageAnalyser, defaultAnalysisWorkers, type PageAnalyser } from './pageAnalyser.js';
import { crawlGroup, type UnitCrawlSummary, type UnitProgress } from './crawlGroup.js';
import { hostGroups } from './scope.js';

/**
 * The crawl stage: every unit of a run, all host groups at once (units sharing a host — a 集约化
 * portal and its columns — are crawled together, see crawlGroup). What paces the crawl is each
 * host's politeness in the HostScheduler, not a number of units: a group waiting for its host's
 * delay holds no global slot, so a county takes about as long as its slowest host needs. A group
 * keeps only a few pages in memory (its frontier lives in the store); `concurrentUnits` still
 * limits the groups at once when set. Groups already crawled are skipped, so a resumed run only
 * finishes what was left.
 */
/** A queue worker's share of a crawl and what it brings along. */
export interface CrawlPart {
  /** Only the host groups holding these units (a worker's job); all groups when absent. */
  only?: readonly string[];
  /** Stop taking new pages (see CrawlContext.signal). */
  signal?: AbortSignal;
  /**
   * The parsing threads to use, kept by the caller: a worker running many jobs shares one pool
   * (a pool per job was ~600 MB per worker at 8 jobs).
   */
  analyser?: PageAnalyser;
}

export async function crawlRun(
  db: Db,
  runId: number,
  settings: CrawlSettings,
  log: Logger,
  part: CrawlPart = {},
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
  const { only, signal } = part;
  const analyser = part.analyser ?? createPageAnalyser(settings.analysisWorkers ?? defaultAnalysisWorkers());
  const units = await loadUnits(db, runId);
  const groups = hostGroups(units);
  // A group's progress line is named after its first unit (the portal, when seeds list it first).
  const names = new Map(
    groups.map((g) => [g[0]!.id, g.length > 1 ? `${g[0]!.name}等 ${g.length} 个单位` : g[0]!.name]),
  );
  const wanted = only && new Set(only);
  const pending = groups.filter(
    (g) =>
      (!wanted || g.some((u) => wanted.has(u.id))) &&
      !g.every((u) => u.crawlStatus === 'done' || u.crawlStatus === 'failed'),
  );
  const progress = new CrawlProgress(log, names, pending.length);
  // No fixed number of groups: politeness per host and the global cap do the pacing.
  const queue = new PQueue({ concurrency: settings.concurrentUnits ?? Infinity });
  const summaries: UnitCrawlSummary[] = [];
  for (const group of pending) {
    void queue.add(async () => {
      progress.begin(group[0]!.id);
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
          onProgress: (p) => progress.update(p),
          onWarning: (m) => log.warn(m),
          ...(signal ? { signal } : {}),
        },
        group,
      );
      progress.finish(group[0]!.id);
      for (const s of results) {
        summaries.push(s);
        const line = `${s.name}：页面 ${s.pages}，附件 ${s.attachments}，失败 ${s.failures}`;
        if (s.status === 'failed') log.warn(`${line}（${s.error}）`);
        else log.info(`✓ ${line}`);
      }
    });
  }
  await queue
    .onIdle()
    .finally(() => Promise.all([renderer?.close(), part.analyser ? undefined : analyser.close()]));
  progress.stop();
  log.done();
  return summaries;
}

/** Groups shown one line each; the others are summed up in the total line. */
const PROGRESS_SHOWN = 8;
/** Progress is redrawn at most this often: with 100 groups a page finishes every few ms. */
const PROGRESS_INTERVAL_MS = 250;

/**
 * The crawl's progress block: the groups with the most pages still queued (they decide when the
 * crawl ends), at most PROGRESS_SHOWN of them, then one total line for the whole batch. With a
 * hundred groups at once one line each would fill the screen and be redrawn hundreds of times a
 * second; the JSON record (--json) still carries every active group.
 */
export class CrawlProgress {
  /** Groups started and not finished; `active` holds those that have reported progress. */
  private readonly running = new Set<string>();
  private readonly active = new Map<string, UnitProgress>();
  private readonly started = new Map<string, number>();
  private readonly t0 = Date.now();
  private finished = 0;
  /** Pages done by groups that have finished (the active ones are counted live). */
  private finishedPages = 0;
  private finishedErrors = 0;
  private lastDrawn = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly log: Logger,
    private readonly names: Map<string, string>,
    private readonly groups: number,
  ) {}

  begin(unitId: string): void {
    this.running.add(unitId);
  }

  update(p: UnitProgress): void {
    this.active.set(p.unitId, p);
    if (!this.started.has(p.unitId)) this.started.set(p.unitId, Date.now());
    this.schedule();
  }

  finish(unitId: string): void {
    this.running.delete(unitId);
    const p = this.active.get(unitId);
    if (p) {
      this.finishedPages += p.done;
      this.finishedErrors += p.errors;
      this.active.delete(unitId);
    }
    this.finished++;
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Draw now if the last drawing is old enough, else once the interval has passed. */
  private schedule(): void {
    if (this.timer) return;
    const wait = this.lastDrawn + PROGRESS_INTERVAL_MS - Date.now();
    if (wait <= 0) return this.draw();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draw();
    }, wait);
    this.timer.unref();
  }

  private draw(): void {
    this.lastDrawn = Date.now();
    const all = [...this.active.values()];
    const shown = [...all].sort((a, b) => b.queued - a.queued).slice(0, PROGRESS_SHOWN);
    const lines = shown.map((u) =>
      progressLine(this.names.get(u.unitId) ?? u.unitId, u, this.started.get(u.unitId)!),
    );
    const done = all.reduce((a, u) => a + u.done, this.finishedPages);
    const queued = all.reduce((a, u) => a + u.queued, 0);
    const errors = all.reduce((a, u) => a + u.errors, this.finishedErrors);
    const running = Math.max(this.running.size, all.length);
    const waiting = this.groups - this.finished - running;
    const rate = done / Math.max((Date.now() - this.t0) / 1000, 0.001);
    lines.push(
      `合计 ${this.groups} 组：抓取中 ${running}，已完成 ${this.finished}` +
        (waiting > 0 ? `，排队 ${waiting}` : '') +
        `  已抓 ${done}，待抓 ${queued}${errors ? `  错误 ${errors}` : ''}  ${rate.toFixed(1)} 页/秒` +
        (all.length > shown.length ? `（上面是待抓最多的 ${shown.length} 组）` : ''),
    );
    this.log.progress(lines, { units: all, active: running, finished: this.finished, done, queued });
  }
}

/** 民政局  [██████░░░░]  47/58  错误 1  9.5 页/秒 */
function progressLine(name: string, p: UnitProgress, started: number): string {
  const total = p.done + p.queued;
  // Clamped: a progress line must never be what stops a crawl.
  const filled = total > 0 ? Math.min(20, Math.max(0, Math.round((p.done / total) * 20))) : 0;
  const rate = p.done / Math.max((Date.now() - started) / 1000, 0.001);
  const bar = '█'.repeat(filled) + '░'.repeat(20 - filled);
  return `${name}  [${bar}]  ${p.done}/${total}${p.errors ? `  错误 ${p.errors}` : ''}  ${rate.toFixed(1)} 页/秒`;
}
