import { stringify } from 'yaml';
import type { Db } from '../store/db.js';
import type { Unit } from '../seeds/unit.js';
import { inspectSeedBytes, parseSeedText, type SeedReport } from '../seeds/readSeeds.js';
import { getSetting, putSetting, SETTING_UNITS, type ConsoleRoster } from '../store/consoleSettings.js';
import { latestRunId, loadUnits } from '../store/runs.js';

/**
 * The console's roster (名单): the units its batches inspect. Stored as seed YAML in
 * console_settings 'units'; read with the same reader as `xuncha run --seeds`, so a unit edited in
 * the console is checked by the same rules as one in a file.
 */

/** Units as a seed YAML file (the fields seeds/README.md documents). */
export function unitsToSeedYaml(units: Unit[]): string {
  const plain = units.map((u) => ({
    id: u.id,
    name: u.name,
    level: u.level,
    ...(u.parent ? { parent: u.parent } : {}),
    start: u.startUrls,
    ...(u.hosts.length ? { hosts: u.hosts } : {}),
    ...(u.paths?.length ? { paths: u.paths } : {}),
    ...(u.catalogues.length ? { catalogues: u.catalogues } : {}),
    ...(u.disclosure && Object.keys(u.disclosure).length ? { disclosure: u.disclosure } : {}),
    ...(u.contact ? { contact: u.contact } : {}),
  }));
  return stringify({ units: plain }, { lineWidth: 0 });
}

/** The name the stored YAML is read under: an imported CSV's name would make it read as CSV. */
function yamlName(file: string): string {
  return file.replace(/\.(csv|xlsx?|ya?ml)$/i, '') + '.yaml';
}

/** The roster as stored, or undefined when the console has none yet. */
export async function storedRoster(db: Db): Promise<ConsoleRoster | undefined> {
  return (await getSetting<ConsoleRoster>(db, SETTING_UNITS))?.value;
}

/**
 * The units a console batch inspects: the stored roster, else the units of the latest batch in the
 * store (a console opened on a store the CLI filled), else none. `source` names it for the batch.
 */
export async function rosterUnits(db: Db): Promise<{ units: Unit[]; source: string } | undefined> {
  const roster = await storedRoster(db);
  if (roster) return { units: parseSeedText(roster.text, yamlName(roster.file)), source: roster.file };
  const latest = await latestRunId(db);
  if (!latest) return undefined;
  const units = (await loadUnits(db, latest)).map(
    ({ crawlStatus: _s, crawlError: _e, ...unit }) => unit as Unit,
  );
  return units.length ? { units, source: `第 ${latest} 批次的单位名单` } : undefined;
}

/**
 * Check an uploaded seed file (YAML, CSV, XLSX or XLS) and, when it has no error, store its units
 * as the roster. The report is returned either way: its problems name file, line and field.
 */
export async function importRoster(
  db: Db,
  file: { name: string; data: Buffer },
  by: string,
  now: Date,
): Promise<{ report: SeedReport; saved: boolean }> {
  const report = inspectSeedBytes(file.data, file.name);
  const failed = report.problems.some((p) => p.severity === 'error') || !report.units.length;
  if (failed) return { report, saved: false };
  await saveRoster(
    db,
    report.units.map((u) => u.unit),
    file.name,
    by,
    now,
  );
  return { report, saved: true };
}

/**
 * Store units as the roster, after reading them back as any seed file would be read: an edit that
 * makes the roster invalid (a URL without http://) is refused with the reader's message.
 */
export async function saveRoster(db: Db, units: Unit[], file: string, by: string, now: Date): Promise<void> {
  const text = unitsToSeedYaml(units);
  parseSeedText(text, yamlName(file));
  const roster: ConsoleRoster = { file, format: 'yaml', text };
  await putSetting(db, SETTING_UNITS, roster, by, now);
}
