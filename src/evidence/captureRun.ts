import { existsSync } from 'node:fs';
import type { Db } from '../store/db.js';
import type { CrawlSettings } from '../config/settings.js';
import type { Logger } from '../log.js';
import { loadUnits } from '../store/runs.js';
import { listFindings } from '../store/results.js';
import type { StoredFinding } from '../checks/types.js';
import { loadBody, resourcesByUrl, saveBody, type ResourceRecord } from '../store/crawlData.js';
import { referrersOf, replaceScreenshots, type StoredScreenshot } from '../store/screenshots.js';
import { decodeHtml } from '../crawl/decodeHtml.js';
import { CHROMIUM_PATH, LAUNCH_ARGS } from '../render/htmlToPdf.js';
import { maskUrl } from '../pii/mask.js';
import { beijingTime } from '../store/locks.js';
import { HostGate } from './hostGate.js';
import { planShots, type ShotLookups } from './targets.js';
import { Camera } from './shootPage.js';

export interface EvidenceSummary {
  unitId: string;
  screenshots: number;
  /** Pages that could not be drawn (and why), in Chinese. */
  failures: string[];
}

/**
 * The evidence stage (after the checks, before scoring): for each unit, screenshots of the pages
 * that prove its findings, drawn from the stored copies, personal data masked in the image, and
 * the masked saved copy kept beside each. Re-runnable: a unit's earlier screenshots are replaced.
 */
export async function captureEvidence(
  db: Db,
  runId: number,
  settings: CrawlSettings,
  log: Logger,
  /** Only these units (a queue worker's job); all units of the run when absent. */
  only?: readonly string[],
): Promise<EvidenceSummary[]> {
  const units = (await loadUnits(db, runId)).filter((u) => !only || only.includes(u.id));
  const findings = await listFindings(db, runId);
  const plans = [];
  for (const u of units) {
    const own = findings.filter((f) => f.unitId === u.id);
    plans.push({
      unit: u,
      shots: planShots(own, await lookupsFor(db, runId, u.id, own), settings.screenshotsPerUnit),
    });
  }
  const wanted = plans.reduce((n, p) => n + p.shots.length, 0);
  if (!wanted) return units.map((u) => ({ unitId: u.id, screenshots: 0, failures: [] }));
  if (!existsSync(CHROMIUM_PATH)) {
    log.warn(`未找到 ${CHROMIUM_PATH}，跳过截图取证（${wanted} 个页面）。请先运行 npm run setup`);
    return units.map((u) => ({ unitId: u.id, screenshots: 0, failures: ['未找到浏览器'] }));
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS });
  // One gate for the stage: units of one portal share its host, and its delay.
  const gate = new HostGate(settings.perHostDelayMs);
  const camera = new Camera(browser, settings.userAgent);
  const summaries: EvidenceSummary[] = [];
  try {
    for (const { unit, shots } of plans) {
      const stored: StoredScreenshot[] = [];
      const failures: string[] = [];
      for (const plan of shots) {
        try {
          const shot = await shootStored(db, runId, unit.id, camera, plan, settings, gate);
          if (shot) stored.push(shot);
          else failures.push(`${maskUrl(plan.pageUrl)}：未保存页面副本`);
        } catch (err) {
          failures.push(`${maskUrl(plan.pageUrl)}：${(err as Error).message.split('\n')[0]}`);
        }
      }
      await replaceScreenshots(db, runId, unit.id, stored);
      for (const f of failures) log.warn(`截图取证失败（${unit.name}）${f}`);
      summaries.push({ unitId: unit.id, screenshots: stored.length, failures });
    }
  } finally {
    await camera.close();
    await browser.close();
  }
  for (const host of gate.backedOff()) log.warn(`网站 ${host} 要求暂缓访问，截图未加载其余样式和图片`);
  return summaries;
}

/**
 * What planning asks of the store about the findings' URLs, read up front (planning is pure):
 * whether each is a stored page, and the unit's page linking to it.
 */
async function lookupsFor(
  db: Db,
  runId: number,
  unitId: string,
  findings: StoredFinding[],
): Promise<ShotLookups> {
  const pages = new Set<string>();
  const referrers = new Map<string, string | undefined>();
  for (const url of new Set(findings.map((f) => f.url))) if (await storedPage(db, runId, url)) pages.add(url);
  // Referrers only where planning asks (dead links, attachments): each is a scan of the unit's links.
  for (const f of findings)
    if ((f.checkId === 'dead-links' || !pages.has(f.url)) && !referrers.has(f.url))
      referrers.set(f.url, (await referrersOf(db, runId, unitId, f.url, 1))[0]);
  return { isPage: (url) => pages.has(url), referrerOf: (url) => referrers.get(url) };
}

/** The stored copy of an HTML page that was fetched fine, if the crawl kept one. */
async function storedPage(db: Db, runId: number, url: string): Promise<ResourceRecord | undefined> {
  const r = (await resourcesByUrl(db, runId, [url]))[0];
  return r && r.kind === 'page' && !r.errorKind && r.contentHash ? r : undefined;
}

async function shootStored(
  db: Db,
  runId: number,
  unitId: string,
  camera: Camera,
  plan: ReturnType<typeof planShots>[number],
  settings: CrawlSettings,
  gate: HostGate,
): Promise<StoredScreenshot | undefined> {
  const page = (await resourcesByUrl(db, runId, [plan.pageUrl]))[0];
  const bytes = page?.contentHash ? await loadBody(db, page.contentHash) : undefined;
  if (!page || !bytes) return undefined;
  const html = decodeHtml(bytes, page.contentType).text;
  const fetchedAt = beijingTime(Date.parse(page.fetchedAt));
  const shot = await camera.shoot({
    url: page.finalUrl || page.url,
    html,
    targets: plan.targets,
    banner: [
      `网上巡查取证截图\u3000${maskUrl(page.url)}`,
      `抓取时间 ${fetchedAt}（北京时间）\u3000HTTP ${page.status}\u3000页面副本 SHA-256 ${page.contentHash!.slice(0, 16)}…`,
    ],
    gate,
  });
  return {
    unitId,
    pageUrl: plan.pageUrl,
    imageHash: await saveBody(db, shot.image),
    copyHash: await saveBody(db, Buffer.from(shot.maskedHtml, 'utf8')),
    bodyHash: page.contentHash!,
    status: page.status,
    fetchedAt: page.fetchedAt,
    masked: shot.masked,
    outlined: shot.outlined,
    located: shot.located,
    targets: plan.targets.length,
    findingIds: plan.findingIds,
    takenAt: new Date().toISOString(),
  };
}
