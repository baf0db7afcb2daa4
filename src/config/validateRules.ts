import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, configErrorAt, loadYamlFile } from './yamlFile.js';
import { InputError } from '../inputError.js';
import { loadCheckRule, type CheckRule } from './checkRules.js';
import { loadCatalogues, type Catalogue } from './catalogues.js';
import { checks } from '../checks/index.js';
import { loadIndicatorSystem, type IndicatorSystem } from '../scoring/indicatorSystem.js';
import { WorkdayCalendar } from '../workdays/calendar.js';
import { PII_RULE_SCHEMAS } from '../pii/rules.js';
import { loadRectification } from './rectification.js';
import type { Unit } from '../seeds/unit.js';
import { seedErrorAt } from '../seeds/readSeeds.js';

/**
 * Every rule file of a rules folder, loaded with the loaders the stages use, before a run does
 * anything: a typo in a threshold should cost a second, not a crawl of a county. Stages still load
 * their rules themselves; this only makes sure they will succeed.
 */
export interface ValidatedRules {
  dir: string;
  checks: CheckRule[];
  indicators: IndicatorSystem;
  catalogues: Catalogue[];
  calendar: WorkdayCalendar;
}

/** The indicator system the score stage and the reports read. */
export const INDICATOR_FILE = 'indicators/national-2019.yaml';

/** Several files wrong at once: all are listed, so one edit round fixes them all. */
export class RulesError extends InputError {
  constructor(readonly errors: ConfigError[]) {
    super(`规则文件有 ${errors.length} 处错误：\n${errors.map((e) => `  ${e.message}`).join('\n')}`);
    this.name = 'RulesError';
  }
}

const isYaml = (f: string) => /\.ya?ml$/.test(f);

export function validateRules(rulesDir: string): ValidatedRules {
  if (!existsSync(rulesDir) || !statSync(rulesDir).isDirectory())
    throw new ConfigError(rulesDir, undefined, '', '规则目录不存在（用 --rules 指定，默认 rules）');
  const errors: ConfigError[] = [];
  /** Run one loader; its ConfigError is collected so the other files are still checked. */
  function attempt<T>(load: () => T): T | undefined {
    try {
      return load();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      errors.push(err);
      return undefined;
    }
  }
  /** The YAML files of a sub-folder; a missing folder is an error, not an empty list. */
  function yamlFiles(sub: string): string[] | undefined {
    const dir = join(rulesDir, sub);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      errors.push(new ConfigError(dir, undefined, '', '规则子目录不存在'));
      return undefined;
    }
    return readdirSync(dir).filter(isYaml).sort();
  }

  const checkRules = checks.map((c) => attempt(() => loadCheckRule(c, join(rulesDir, 'checks'))));
  // A rule file whose name matches no check would be silently ignored: most likely a misspelt id.
  for (const f of yamlFiles('checks') ?? [])
    if (!checks.some((c) => `${c.id}.yaml` === f))
      errors.push(
        new ConfigError(
          join(rulesDir, 'checks', f),
          undefined,
          '',
          '没有与文件名对应的检查项（文件名应为检查项 id，见 README 检查项表）',
        ),
      );

  let indicators: IndicatorSystem | undefined;
  for (const f of yamlFiles('indicators') ?? []) {
    const system = attempt(() => loadIndicatorSystem(join(rulesDir, 'indicators', f)));
    if (system) checkIndicatorSystem(system, errors);
    if (`indicators/${f}` === INDICATOR_FILE) indicators = system;
  }
  if (!indicators && !errors.some((e) => e.file === join(rulesDir, INDICATOR_FILE)))
    attempt(() => loadIndicatorSystem(join(rulesDir, INDICATOR_FILE)));

  const catalogues = yamlFiles('catalogues') && attempt(() => loadCatalogues(join(rulesDir, 'catalogues')));
  if (catalogues) checkCatalogueDomains(catalogues, errors);

  const calendarFiles = yamlFiles('calendar');
  for (const f of calendarFiles ?? [])
    if (!/^\d{4}\.ya?ml$/.test(f))
      errors.push(
        new ConfigError(
          join(rulesDir, 'calendar', f),
          undefined,
          '',
          '文件名应为 <年份>.yaml（如 2026.yaml）',
        ),
      );
  const calendar = calendarFiles && attempt(() => WorkdayCalendar.load(join(rulesDir, 'calendar')));

  for (const f of yamlFiles('pii') ?? [])
    if (!(f in PII_RULE_SCHEMAS))
      errors.push(new ConfigError(join(rulesDir, 'pii', f), undefined, '', '未知的个人信息规则文件'));
  for (const [f, schema] of Object.entries(PII_RULE_SCHEMAS))
    attempt(() => loadYamlFile(join(rulesDir, 'pii', f), schema));

  attempt(() => loadRectification(rulesDir));

  if (errors.length === 1) throw errors[0]!;
  if (errors.length) throw new RulesError(errors);
  return {
    dir: rulesDir,
    checks: checkRules as CheckRule[],
    indicators: indicators!,
    catalogues: catalogues!,
    calendar: calendar!,
  };
}

/** What the indicator schema cannot see: the scale of the score and the check registry. */
function checkIndicatorSystem(system: IndicatorSystem, errors: ConfigError[]): void {
  // Scores run from 0 to 100 (100 minus capped deductions): a pass line outside fails or passes all.
  if (system.failBelow < 0 || system.failBelow > 100)
    errors.push(configErrorAt(system.file, ['failBelow'], `应在 0 到 100 之间，实际为 ${system.failBelow}`));
  system.indicators.forEach((ind, i) =>
    ind.checks.forEach((ref, j) => {
      if (!checks.some((c) => c.id === ref.check))
        errors.push(
          configErrorAt(
            system.file,
            ['indicators', i, 'checks', j, 'check'],
            `没有这个检查项，实际为 "${ref.check}"（可用：${checks.map((c) => c.id).join('、')}）`,
          ),
        );
    }),
  );
}

function checkCatalogueDomains(catalogues: Catalogue[], errors: ConfigError[]): void {
  const seen = new Map<string, string>();
  for (const c of catalogues) {
    const first = seen.get(c.domain);
    if (first) errors.push(configErrorAt(c.file, ['domain'], `领域「${c.domain}」与 ${first} 重复`));
    else seen.set(c.domain, c.file);
  }
}

/**
 * Seeds checked against the rules: a unit's catalogue page names a 标准目录 domain that must exist,
 * or the check stage would record an error for it after the whole crawl.
 */
export function checkSeedsAgainstRules(units: Unit[], seedsFile: string, rules: ValidatedRules): void {
  const domains = new Set(rules.catalogues.map((c) => c.domain));
  for (const u of units)
    u.catalogues.forEach((ref, j) => {
      if (domains.has(ref.domain)) return;
      const detail = `单位 ${u.id} 的标准目录领域在 ${join(rules.dir, 'catalogues')} 中不存在，实际为 "${ref.domain}"（可用：${[...domains].join('、')}）`;
      // The reader knows where each unit came from (YAML line, CSV line, worksheet row).
      throw seedErrorAt(seedsFile, u, ['catalogues', j, 'domain'], detail);
    });
}
