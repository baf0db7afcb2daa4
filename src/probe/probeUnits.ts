import type { Db } from '../store/db.js';
import type { Unit } from '../seeds/unit.js';
import type { CrawlSettings } from '../config/settings.js';
import { HostScheduler } from '../crawl/politeness.js';
import { fetchResource } from '../crawl/fetchResource.js';
import { RequestGuard } from '../crawl/requestGuard.js';
import { hostKey } from '../crawl/urls.js';
import { saveProbe, type ProbeRecord } from '../store/probes.js';

/**
 * One probe round: every unit's home page once, politely, with the indicator's 15 s limit and no
 * retry (the national rule counts a visit that still fails after 15 s as a failure).
 */
export async function probeRound(db: Db, units: Unit[], settings: CrawlSettings): Promise<ProbeRecord[]> {
  const scheduler = new HostScheduler(1, settings.perHostDelayMs, settings.globalConcurrency);
  return Promise.all(
    units.map(async (unit) => {
      const url = unit.startUrls[0]!;
      const guard = await RequestGuard.forSeeds([...unit.startUrls, ...unit.catalogues.map((c) => c.url)]);
      const r = await scheduler.run(hostKey(url), () =>
        fetchResource(url, {
          userAgent: settings.userAgent,
          timeoutMs: settings.timeoutMs,
          maxBytes: 2 * 1024 * 1024,
          guard,
          // A certificate problem is reported by the https-certificate check, not as downtime.
          tlsFallback: settings.tlsFallback,
        }),
      );
      const failed = r.errorKind !== null || r.status >= 400 || r.status === 0;
      const probe: ProbeRecord = {
        unitId: unit.id,
        url,
        at: new Date().toISOString(),
        status: r.status,
        errorKind: failed ? (r.errorKind ?? `http-${r.status}`) : null,
        durationMs: r.durationMs,
      };
      await saveProbe(db, probe);
      return probe;
    }),
  );
}
