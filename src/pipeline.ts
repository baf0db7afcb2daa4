import { resolve } from 'node:path';
import type { Db } from './store/db.js';
import type { CrawlSettings } from './config/settings.js';
import { formatTable, type Logger } from './log.js';
import { readSeeds } from './seeds/readSeeds.js';
import type { Unit } from './seeds/unit.js';
import type { BatchLock } from './store/locks.js';
import { createRun, getRun, saveUnits, setRunStatus } from './store/runs.js';
import { crawlRun } from './crawl/crawlRun.js';
import { runChecks } from './checks/runChecks.js';
import { scoreRun } from './scoring/scoreRun.js';
import { captureEvidence } from './evidence/captureRun.js';
import { buildReport } from './report/buildReport.js';
import { writeReports, type WrittenReports } from './report/writeReports.js';
import { exportEvidence } from './report/evidenceFiles.js';

/**
 * The four stages in order. Each reads only what the previous one stored, so each is also a
 * command of its own (`xuncha crawl|check|score|report --run <id>`).
 */
export interface PipelineOptions {
  db: Db;
  log: Logger;
  settings: CrawlSettings;
  rulesDir: string;
  outDir: string;
  issuer: string;
  /** 发文字号 of the notices (--doc-number). */
  docNumber?: string;
  /** The batch lock held by a full run: released to reading once the crawl is done. */
  lock?: BatchLock;
}

export function todayIso(): string {
  const d = new Date();
  // Inspection dates are Beijing dates, whatever the machine's zone.
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Validate the seed file first: a malformed one stops everything before any request. */
export async function createRunFromSeeds(
  db: Db,
  seedsFile: string,
  inspectionDate: string,
  settings: CrawlSettings,
): Promise<number> {
  return createRunFromUnits(db, readSeeds(seedsFile), seedsFile, inspectionDate, settings);
}

/** A new batch from seeds already read and validated (the CLI reads them before opening the store). */
export async function createRunFromUnits(
  db: Db,
  units: Unit[],
  seedsFile: string,
  inspectionDate: string,
  settings: CrawlSettings,
): Promise<number> {
  const runId = await createRun(db, { inspectionDate, seedsFile, settings });
  await saveUnits(db, runId, units);
  return runId;
}

export async function stageCrawl(o: PipelineOptions, runId: number) {
  o.log.info(`第 ${runId} 批次：开始抓取`);
  const summaries = await crawlRun(o.db, runId, o.settings, o.log);
  await setRunStatus(o.db, runId, 'crawled');
  const rows = summaries.map((s) => [
    s.name,
    String(s.pages),
    String(s.attachments),
    String(s.failures),
    String(s.trapped),
    `${(s.durationMs / 1000).toFixed(1)} 秒`,
    s.status === 'done' ? '完成' : `失败：${s.error ?? ''}`,
  ]);
  for (const line of formatTable([['单位', '页面', '附件', '失败', '跳过陷阱', '用时', '状态'], ...rows]))
    o.log.info(line);
  return summaries;
}

export async function stageCheck(o: PipelineOptions, runId: number) {
  const run = (await getRun(o.db, runId))!;
  o.log.info(`第 ${runId} 批次：开始检查（检查日期 ${run.inspectionDate}）`);
  const summaries = await runChecks(o.db, runId, run.inspectionDate, o.log, o.rulesDir);
  await setRunStatus(o.db, runId, 'checked');
  return summaries;
}

/** Screenshots of the pages behind the findings (skipped when the run's settings turn them off). */
export async function stageEvidence(o: PipelineOptions, runId: number) {
  if (!o.settings.screenshots) {
    o.log.info(`第 ${runId} 批次：未截图取证（--no-screenshots）`);
    return [];
  }
  o.log.info(`第 ${runId} 批次：开始截图取证（每个单位最多 ${o.settings.screenshotsPerUnit} 页）`);
  const started = Date.now();
  const summaries = await captureEvidence(o.db, runId, o.settings, o.log);
  const shots = summaries.reduce((n, s) => n + s.screenshots, 0);
  o.log.info(`截图取证完成：${shots} 张，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
  return summaries;
}

export async function stageScore(o: PipelineOptions, runId: number) {
  const result = await scoreRun(o.db, runId, `${o.rulesDir}/indicators/national-2019.yaml`);
  await setRunStatus(o.db, runId, 'scored');
  return result;
}

export async function stageReport(o: PipelineOptions, runId: number): Promise<WrittenReports> {
  const report = await buildReport(o.db, runId, {
    rulesDir: o.rulesDir,
    issuer: o.issuer,
    ...(o.docNumber ? { docNumber: o.docNumber } : {}),
  });
  // The evidence files first: the reports embed and link them.
  await exportEvidence(o.db, runId, resolve(o.outDir, String(runId)), report.screenshots);
  const written = await writeReports(report, o.outDir);
  for (const warning of written.warnings) o.log.warn(warning);
  await setRunStatus(o.db, runId, 'reported');
  return written;
}

export async function runAllStages(o: PipelineOptions, runId: number): Promise<WrittenReports> {
  await stageCrawl(o, runId);
  // Crawling is over: another batch may start crawling while this one is checked and reported.
  await o.lock?.setMode('read');
  await stageCheck(o, runId);
  await stageEvidence(o, runId);
  await stageScore(o, runId);
  return stageReport(o, runId);
}
