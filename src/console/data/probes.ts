import { siteAvailability } from '../../checks/site-availability.js';
import { loadCheckRule } from '../../config/checkRules.js';
import { listProbes, type ProbeRecord } from '../../store/probes.js';
import type { ConsoleEnv } from '../types.js';

/**
 * Availability over time from the probes table, per unit and Beijing day. A probe failed when it
 * has an error kind: the site-availability check's own test (`p.errorKind`), so the page shows the
 * share that check will judge; the veto line drawn is the check's `vetoShare` from rules/.
 */

export interface DayAvailability {
  /** YYYY-MM-DD, Beijing time. */
  day: string;
  probes: number;
  failures: number;
}

export interface UnitAvailability {
  unitId: string;
  days: DayAvailability[];
  probes: number;
  failures: number;
  /** The latest failures (newest first), for the single-unit view. */
  recentFailures: ProbeRecord[];
}

/** What the check counts as a failed probe. */
export const probeFailed = (p: Pick<ProbeRecord, 'errorKind'>): boolean => Boolean(p.errorKind);

const DAY_MS = 86_400_000;
const beijingDay = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);

/** The check's window and veto line (site-availability options in rules/checks). */
export function availabilityRule(rulesDir: string): { windowDays: number; vetoShare: number } {
  const o = loadCheckRule(siteAvailability, `${rulesDir}/checks`).options as {
    windowDays: number;
    vetoShare: number;
  };
  return { windowDays: o.windowDays, vetoShare: o.vetoShare };
}

/** Each unit's probes over the `days` Beijing days ending today (env.now()). */
export async function availability(
  env: ConsoleEnv,
  unitIds: string[],
  days: number,
  recent = 20,
): Promise<UnitAvailability[]> {
  const now = env.now().getTime();
  const labels = Array.from({ length: days }, (_, i) => beijingDay(now - (days - 1 - i) * DAY_MS));
  // Midnight Beijing time of the first day, as the store's ISO timestamps compare.
  const since = new Date(Date.parse(`${labels[0]}T00:00:00+08:00`)).toISOString();
  const out: UnitAvailability[] = [];
  for (const unitId of unitIds) {
    const probes = await listProbes(env.db, unitId, since);
    const byDay = new Map(labels.map((day) => [day, { day, probes: 0, failures: 0 }]));
    let failures = 0;
    let total = 0;
    for (const p of probes) {
      const d = byDay.get(beijingDay(Date.parse(p.at)));
      if (!d) continue;
      d.probes++;
      total++;
      if (probeFailed(p)) {
        d.failures++;
        failures++;
      }
    }
    out.push({
      unitId,
      days: [...byDay.values()],
      probes: total,
      failures,
      recentFailures: probes.filter(probeFailed).reverse().slice(0, recent),
    });
  }
  return out;
}
