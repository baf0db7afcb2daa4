import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { ConfigError } from '../config/yamlFile.js';
import type { Unit } from './unit.js';
import { ProblemList, SeedsError, seedProblem, type SeedProblem } from './seedProblems.js';
import { buildUnits, type BuildOptions, type CheckedUnit, type SeedRecord } from './seedUnits.js';
import { yamlRecords } from './seedYaml.js';
import { decodeCsv, parseCsv } from './seedCsv.js';
import { readSheetRows } from './seedXlsx.js';
import { tableRecords, type ColumnInfo, type TableRow } from './seedTable.js';

/**
 * Seed files: YAML, CSV (UTF-8 or GBK, RFC 4180 quoting) or the first worksheet of an .xlsx/.xls.
 * Every format becomes the same records, checked by one schema (seedUnits.ts); every problem is
 * collected, so `xuncha seeds check` lists them all and `run` refuses the file naming each.
 */

export type SeedFormat = 'yaml' | 'csv' | 'xlsx' | 'xls';

/** What was understood of a seed file: `xuncha seeds check` prints it. */
export interface SeedReport {
  file: string;
  format: SeedFormat;
  /** CSV: UTF-8, UTF-8（带 BOM）, GBK or GB18030. */
  encoding?: string;
  /** Worksheet read (the first), and the others, which are not. */
  sheet?: string;
  otherSheets?: string[];
  /** CSV and worksheets: the header row and how each column was read. */
  headerLine?: number;
  columns?: ColumnInfo[];
  units: CheckedUnit[];
  /** Errors and warnings, by line. */
  problems: SeedProblem[];
}

/**
 * Largest seed file read. A county lists 50–150 units and a province about 2,000 sites, well under
 * 1 MB; parsing YAML with line positions takes about 100 MB of memory per MB of file, so a limit
 * keeps a wrong file (an export of a whole database) from exhausting memory mid-parse.
 */
export const MAX_SEED_BYTES = 5 * 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** The extension says the format; a workbook saved under another name is still read as one. */
export function seedFormatOf(file: string, bytes?: Buffer): SeedFormat {
  const ext = extname(file).toLowerCase();
  if (bytes?.subarray(0, 4).equals(ZIP_MAGIC)) return 'xlsx';
  if (bytes?.subarray(0, 4).equals(OLE_MAGIC)) return 'xls';
  if (ext === '.csv') return 'csv';
  if (ext === '.xlsx' || ext === '.xls') return ext.slice(1) as SeedFormat;
  return 'yaml';
}

function finish(
  report: Omit<SeedReport, 'units' | 'problems'>,
  records: SeedRecord[],
  problems: ProblemList,
  opts: BuildOptions,
): SeedReport {
  const units = buildUnits(records, problems, opts);
  if (!units.length && !problems.errorCount) problems.error({ kind: 'file' }, '至少需要一个单位');
  // By line, file-level problems first; the order found is kept within a line.
  const problemsByLine = [...problems.items].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { ...report, units, problems: problemsByLine };
}

function tableReport(
  base: Omit<SeedReport, 'units' | 'problems'>,
  rows: TableRow[],
  problems: ProblemList,
  opts: BuildOptions & { strictWidth: boolean; headerHint?: string },
): SeedReport {
  const table = tableRecords(rows, problems, opts);
  const header = table.headerLine ? { headerLine: table.headerLine, columns: table.columns } : {};
  return finish({ ...base, ...header }, table.records, problems, opts);
}

/** A seed file already read as text (YAML or CSV by its name). */
export function inspectSeedText(text: string, file: string, opts: BuildOptions = {}): SeedReport {
  const problems = new ProblemList(file);
  if (seedFormatOf(file) === 'csv')
    return tableReport({ file, format: 'csv' }, parseCsv(text, problems), problems, {
      ...opts,
      strictWidth: true,
    });
  return finish({ file, format: 'yaml' }, yamlRecords(text, problems), problems, opts);
}

/** A seed file's bytes, in whichever format they are. */
export function inspectSeedBytes(bytes: Buffer, file: string, opts: BuildOptions = {}): SeedReport {
  const format = seedFormatOf(file, bytes);
  const problems = new ProblemList(file);
  const ext = extname(file).toLowerCase();
  if (format === 'xlsx' || format === 'xls') {
    if (ext !== `.${format}` && ext !== '.xlsx' && ext !== '.xls')
      problems.warn({ kind: 'file' }, `扩展名是 ${ext || '（无）'}，但内容是 Excel 工作簿，已按工作簿读取`);
    const sheet = readSheetRows(bytes, problems);
    const hint = sheet.otherSheets.length
      ? `（只读取第一个工作表「${sheet.sheet ?? ''}」，本工作簿还有：${sheet.otherSheets.join('、')}）`
      : '';
    const base = {
      file,
      format,
      ...(sheet.sheet ? { sheet: sheet.sheet } : {}),
      otherSheets: sheet.otherSheets,
    };
    return tableReport(base, sheet.rows, problems, { ...opts, strictWidth: false, headerHint: hint });
  }
  if (format === 'csv') {
    const decoded = decodeCsv(bytes);
    if ('error' in decoded) {
      problems.error({ kind: 'file' }, decoded.error);
      return finish({ file, format }, [], problems, opts);
    }
    const rows = parseCsv(decoded.text, problems);
    return tableReport({ file, format, encoding: decoded.encoding }, rows, problems, {
      ...opts,
      strictWidth: true,
    });
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\uFFFD')) {
    problems.error({ kind: 'file' }, 'YAML 种子文件必须是 UTF-8 编码（请用文本编辑器另存为 UTF-8）');
    return finish({ file, format }, [], problems, opts);
  }
  return inspectSeedText(text, file, opts);
}

/** Read a seed file's bytes, refusing what is not a file or too large before reading it. */
function readSeedBytes(file: string, maxBytes: number): Buffer {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new ConfigError(file, undefined, '', '不是普通文件，无法作为种子文件读取');
    if (stat.size > maxBytes)
      throw new ConfigError(
        file,
        undefined,
        '',
        `文件大小 ${megabytes(stat.size)}，超过种子文件 ${megabytes(maxBytes)} 上限（一个省约 2000 个网站的种子文件也不足 1 MB，请确认文件是否选错，或按地区拆分）`,
      );
    return readFileSync(file);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(
      file,
      undefined,
      '',
      `无法读取种子文件（${(err as NodeJS.ErrnoException).code ?? String(err)}）`,
    );
  }
}

/** Everything understood of a seed file, problems included. Throws ConfigError only when it can't be read. */
export function inspectSeeds(file: string, opts: BuildOptions & { maxBytes?: number } = {}): SeedReport {
  return inspectSeedBytes(readSeedBytes(file, opts.maxBytes ?? MAX_SEED_BYTES), file, opts);
}

/** Where each unit read by readSeeds was written, for errors found later (seedErrorAt). */
const PLACES = new WeakMap<Unit, CheckedUnit['place']>();

function unitsOrThrow(report: SeedReport, warn?: (message: string) => void): Unit[] {
  if (report.problems.some((p) => p.severity === 'error')) throw new SeedsError(report.problems);
  if (!report.units.length) throw new ConfigError(report.file, undefined, 'units', '至少需要一个单位');
  for (const p of report.problems) warn?.(p.message);
  for (const u of report.units) PLACES.set(u.unit, u.place);
  return report.units.map((u) => u.unit);
}

/**
 * An error about a unit's field found after reading (a catalogue domain the rules don't know),
 * located as the reader would have: `units[1].catalogues[0].domain` with its YAML line, or the
 * worksheet row and column header. A unit not from readSeeds gets the file only.
 */
export function seedErrorAt(
  file: string,
  unit: Unit,
  path: readonly PropertyKey[],
  detail: string,
): ConfigError {
  const place = PLACES.get(unit)?.(path) ?? { kind: 'file' as const };
  return new SeedsError([seedProblem('error', file, place, detail)]);
}

/** Units of a seed file given as text (YAML, or CSV by its name). Throws SeedsError naming every error. */
export function parseSeedText(text: string, file: string): Unit[] {
  return unitsOrThrow(inspectSeedText(text, file));
}

/**
 * Read a seed file (YAML, CSV, XLSX or XLS): the one reader of `run`, `crawl` and `probe`. Throws a
 * ConfigError (a SeedsError listing every error) naming file, line and field or column; warnings
 * (an ignored column, two units of one name) go to `warn` when given.
 */
export function readSeeds(file: string, maxBytes = MAX_SEED_BYTES, warn?: (message: string) => void): Unit[] {
  return unitsOrThrow(inspectSeeds(file, { maxBytes }), warn);
}
