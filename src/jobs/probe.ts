import type { Db } from '../store/db.js';
import type { Logger } from '../log.js';
import type { CrawlSettings } from '../config/settings.js';
import { probeRound } from '../probe/probeUnits.js';
import { rosterUnits } from './roster.js';

/**
 * One availability round of the roster, as `xuncha probe --once` does it (the scheduler runs one
 * every hour: 24 a day meets the indicator's 20). Returns how many home pages answered.
 */
export async function probeRoster(
  db: Db,
  log: Logger,
  settings: CrawlSettings,
): Promise<{ units: number; failed: number } | undefined> {
  const roster = await rosterUnits(db);
  if (!roster) {
    log.warn('可用性监测：还没有单位名单，本轮跳过');
    return undefined;
  }
  const results = await probeRound(db, roster.units, settings);
  const failed = results.filter((r) => r.errorKind);
  log.info(`可用性监测：${roster.units.length - failed.length}/${roster.units.length} 个单位首页可访问`);
  for (const f of failed)
    log.warn(
      `${roster.units.find((u) => u.id === f.unitId)?.name} 首页无法访问（${f.errorKind}，${f.durationMs} 毫秒）`,
    );
  return { units: roster.units.length, failed: failed.length };
}
