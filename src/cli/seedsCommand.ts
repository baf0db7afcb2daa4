import { join } from 'node:path';
import type { Command } from 'commander';
import { EXIT, action } from './common.js';
import { loadCatalogues } from '../config/catalogues.js';
import { ConfigError } from '../config/yamlFile.js';
import { createLogger, type Logger } from '../log.js';
import { inspectSeeds, seedFormatOf, type SeedReport } from '../seeds/readSeeds.js';
import { KEY_LABELS } from '../seeds/seedColumns.js';
import { seedProblem, type SeedProblem } from '../seeds/seedProblems.js';
import type { CheckedUnit } from '../seeds/seedUnits.js';

/**
 * `xuncha seeds check <file>`: what xuncha understands of a unit list — unit by unit, with the
 * encoding, worksheet and column mapping it used — and every problem at once, before a run is
 * started with it. Reads nothing but the file (and the 标准目录 domains of the rules), writes nothing.
 */

const FORMAT_LABELS: Record<SeedReport['format'], string> = {
  yaml: 'YAML',
  csv: 'CSV',
  xlsx: 'Excel 工作簿（.xlsx）',
  xls: 'Excel 97-2003 工作簿（.xls）',
};

const SKIPPED_LABELS = { ignored: '不读取', unknown: '未识别，不读取', duplicate: '重复，不读取' } as const;

/** The 标准目录 domains catalogue URLs are checked against; a broken rules folder only skips that check. */
function catalogueDomains(rulesDir: string): { domains?: Set<string>; problem?: SeedProblem } {
  const dir = join(rulesDir, 'catalogues');
  try {
    return { domains: new Set(loadCatalogues(dir).map((c) => c.domain)) };
  } catch (err) {
    const reason =
      err instanceof ConfigError ? err.message : ((err as NodeJS.ErrnoException).code ?? String(err));
    const detail = `无法读取标准目录规则（${reason}），未核对标准目录领域名（用 --rules 指定规则目录）`;
    return { problem: seedProblem('warning', dir, { kind: 'file' }, detail) };
  }
}

function describeSource(report: SeedReport): string[] {
  const lines = [`种子文件：${report.file}`, `格式：${FORMAT_LABELS[report.format]}`];
  if (report.encoding) lines.push(`编码：${report.encoding}`);
  if (report.sheet) {
    const others = report.otherSheets?.length ? `（另有 ${report.otherSheets.join('、')}，不读取）` : '';
    lines.push(`工作表：「${report.sheet}」${others}`);
  }
  if (report.headerLine) {
    lines.push(`表头：第 ${report.headerLine} 行`);
    for (const c of report.columns ?? [])
      lines.push(
        `  ${c.column} 列「${c.header}」→ ${c.key ? `${KEY_LABELS[c.key]}（${c.key}）` : SKIPPED_LABELS[c.skipped ?? 'unknown']}`,
      );
  }
  return lines;
}

function describeUnit(u: CheckedUnit, n: number): string[] {
  const { unit } = u;
  const lines = [`${n}. ${unit.name}${u.line ? `（第 ${u.line} 行）` : ''}`];
  const add = (label: string, value: string | undefined) => value && lines.push(`   ${label}：${value}`);
  add('标识', `${unit.id}${u.idGenerated ? '（按单位名称自动生成）' : ''}`);
  add('级别', unit.level);
  if (unit.parent)
    add(
      '上级单位',
      u.parentName && u.parentName !== unit.parent ? `${u.parentName}（${unit.parent}）` : unit.parent,
    );
  add('起始网址', unit.startUrls.join('  '));
  add('其他主机', unit.hosts.join('  '));
  add('栏目路径', unit.paths?.join('  '));
  for (const c of unit.catalogues) add('标准目录', `${c.domain} ${c.url}`);
  add('联系方式', unit.contact);
  return lines;
}

/** The report without functions, for --json. */
function jsonReport(report: SeedReport): Record<string, unknown> {
  return {
    ...report,
    units: report.units.map((u) => ({
      ...u.unit,
      line: u.line,
      idGenerated: u.idGenerated,
      parentName: u.parentName,
    })),
  };
}

function printReport(log: Logger, report: SeedReport, errors: number, warnings: number): void {
  for (const line of describeSource(report)) log.info(line);
  log.info('');
  log.info(`读到 ${report.units.length} 个单位${errors ? '（有错误的单位未列出）' : ''}：`);
  report.units.forEach((u, i) => describeUnit(u, i + 1).forEach((line) => log.info(line)));
  log.info('');
  for (const p of report.problems) (p.severity === 'error' ? log.error : log.warn)(p.message);
  if (errors)
    log.error(
      `共 ${errors} 处错误${warnings ? `、${warnings} 处警告` : ''}：改正之前 run / crawl / probe 会拒绝这个文件`,
    );
  else
    log.info(
      `检查通过：${report.units.length} 个单位${warnings ? `，${warnings} 处警告（不影响巡查）` : ''}`,
    );
}

export function registerSeedsCommand(program: Command): void {
  const seeds = program.command('seeds').description('单位种子文件（单位名单）工具');
  seeds
    .command('check')
    .description(
      '检查种子文件：逐个单位列出读到的内容、编码和表头对应关系，以及全部错误和警告（不联网，不写数据库）。' +
        '退出码：0 无错误（警告不算）；2 有错误',
    )
    .argument('<种子文件>', 'YAML、CSV（UTF-8 或 GBK）或 Excel（.xlsx / .xls，读取第一个工作表）')
    .option('--rules <dir>', '规则目录（核对标准目录领域名）', 'rules')
    .option('--json', '输出一个 JSON 对象：单位、列对应关系和全部问题')
    .action(
      action(async (file: string, flags: { rules: string; json?: boolean }) => {
        const log = createLogger({ json: flags.json });
        const { domains, problem } = catalogueDomains(flags.rules);
        let report: SeedReport;
        try {
          report = inspectSeeds(file, domains ? { catalogueDomains: domains } : {});
        } catch (err) {
          // Unreadable or too large: still one report, so --json always prints an object.
          if (!(err instanceof ConfigError)) throw err;
          const unreadable = seedProblem('error', file, { kind: 'file' }, err.detail);
          report = { file, format: seedFormatOf(file), units: [], problems: [unreadable] };
        }
        if (problem) report.problems.push(problem);
        const errors = report.problems.filter((p) => p.severity === 'error').length;
        const warnings = report.problems.length - errors;
        if (flags.json) log.info(`种子文件检查：${errors} 处错误，${warnings} 处警告`, jsonReport(report));
        else printReport(log, report, errors, warnings);
        process.exitCode = errors ? EXIT.inputError : EXIT.ok;
      }),
    );
}
