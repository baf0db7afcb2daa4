import type { CrawlSettings } from '../config/settings.js';
import type { Db } from '../store/db.js';
import type { FetchResult } from './fetchResource.js';
import type { HostScheduler } from './politeness.js';
import type { RobotsCache } from './robots.js';
import type { PageAnalyser } from './pageAnalyser.js';
import type { PageRenderer } from './renderPage.js';
import type { Resolver } from './requestGuard.js';

/** What every crawler of a run shares: the store, politeness, robots.txt, parsers and the browser. */
export interface CrawlContext {
  db: Db;
  runId: number;
  settings: CrawlSettings;
  scheduler: HostScheduler;
  robots: RobotsCache;
  /** Decoding and link discovery, off the main thread. */
  analyser: PageAnalyser;
  /** Chromium pool for script-built pages (absent when rendering is off). */
  renderer?: PageRenderer;
  /** Name resolution for the request guard; the system resolver unless a test injects one. */
  resolver?: Resolver;
  /** Hosts whose robots.txt Crawl-delay has been applied (shared by all units of a run). */
  delaysApplied: Set<string>;
  onProgress?: (p: UnitProgress) => void;
  onWarning?: (message: string) => void;
  /**
   * Stop taking new pages (a queue worker that lost its job's lock: another worker has it now).
   * What is in flight is finished and written; the units' crawl status is left to the new owner.
   */
  signal?: AbortSignal;
}

/** Progress of one crawler (a unit, or the units sharing a host), keyed by its first unit. */
export interface UnitProgress {
  unitId: string;
  done: number;
  queued: number;
  errors: number;
}

/** A fetch's outcome as the crawler records it (a refusal has no response at all). */
export type Outcome = Partial<FetchResult> & { errorKind: string | null; error: string | null };
