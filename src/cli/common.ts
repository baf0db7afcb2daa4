import { DOC_NUMBER_PATTERN } from '../report/docNumber.js';
import { Command, Help, Option } from 'commander';
import { z } from 'zod';
import { crawlSettings, type CrawlSettings } from '../config/settings.js';
import { existsSync } from 'node:fs';
import type { Db } from '../store/db.js';
import { isPostgres } from '../store/location.js';
import { InputError } from '../inputError.js';
import { isCalendarDate } from '../workdays/calendar.js';
import { createLogger, type Logger } from '../log.js';
import type { PipelineOptions } from '../pipeline.js';

/** Exit codes (documented in README): */
export const EXIT = { ok: 0, inputError: 2, failure: 3 } as const;

export class UserError extends InputError {}

export interface CommonFlags {
  db: string;
  store?: string;
  out: string;
  rules: string;
  issuer: string;
  docNumber?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Options some commands do without: a command lists only the options it reads. */
export type ReportOption = 'out' | 'rules' | 'issuer';

export function withCommonOptions(
  cmd: Command,
  uses: readonly ReportOption[] = ['out', 'rules', 'issuer'],
): Command {
  cmd.option(
    '--db <file>',
    '巡查数据库：SQLite 文件，或多机共用的 PostgreSQL 地址 postgres://用户@主机/库名（默认取环境变量 XUNCHA_STORE）',
    process.env.XUNCHA_STORE || '.xuncha/xuncha.db',
  );
  cmd.addOption(new Option('--store <地址>', '同 --db').hideHelp());
  if (uses.includes('out')) cmd.option('--out <dir>', '报告输出目录', 'reports/out');
  if (uses.includes('rules')) cmd.option('--rules <dir>', '规则目录', 'rules');
  if (uses.includes('issuer'))
    cmd
      .option('--issuer <name>', '整改通知落款单位', '示范区人民政府办公室（政务公开办）')
      .option('--doc-number <文号>', '整改通知的发文字号，如 示政办〔2026〕12号（不给则不印文号）');
  return cmd.option('--json', '以 JSON 行输出日志（适合定时任务）').option('-q, --quiet', '只输出警告和错误');
}

/** For commands that take a batch lock (run, crawl, check, score, report). */
export function withParallelOption(cmd: Command): Command {
  return cmd.option(
    '--allow-parallel',
    '允许与其他进程同时抓取另一批次，或检查正在抓取的批次（同一批次仍不能同时抓取两次）',
  );
}

export function withCrawlOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--delay <ms>', '同一网站两次请求的最小间隔（毫秒）').argParser(Number))
    .addOption(new Option('--per-host <n>', '同一网站的并发请求数').argParser(Number))
    .addOption(new Option('--timeout <ms>', '单个请求超时（毫秒）').argParser(Number))
    .addOption(new Option('--max-pages <n>', '每个单位最多抓取的页面数').argParser(Number))
    .addOption(new Option('--max-depth <n>', '最大链接深度').argParser(Number))
    .addOption(
      new Option(
        '--parse-threads <n>',
        '解析网页的线程数（0 为在主线程解析；默认按空闲 CPU 核数，1–4）',
      ).argParser(Number),
    )
    .option('--contact-url <url>', '写入 User-Agent 的联系网址，便于网站管理员联系巡查单位')
    .option('--ignore-robots', '忽略 robots.txt（仅在获得授权时使用，会记录在日志中）')
    .option('--no-external', '不检查外部链接')
    .option('--no-screenshots', '不为问题页面截图取证（默认截图，每个单位最多 10 页）')
    .addOption(new Option('--screenshots-per-unit <n>', '每个单位最多截图的页面数').argParser(Number))
    .option('--strict-tls', 'HTTPS 证书无效的网站不再读取（默认仍读取并报告证书问题）')
    .addOption(
      new Option(
        '--render <mode>',
        '脚本生成页面的渲染方式：auto 按需 / never 不渲染 / always 全部渲染',
      ).choices(['auto', 'never', 'always']),
    );
}

/** The flag that sets each crawl setting, for error messages. */
const FLAG_OF: Record<string, string> = {
  perHostDelayMs: '--delay',
  perHostConcurrency: '--per-host',
  timeoutMs: '--timeout',
  maxPagesPerUnit: '--max-pages',
  maxDepth: '--max-depth',
  analysisWorkers: '--parse-threads',
  contactUrl: '--contact-url',
  render: '--render',
  screenshotsPerUnit: '--screenshots-per-unit',
};

function describeFlagIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_big') return `不能大于 ${String(issue.maximum)}`;
  if (issue.code === 'too_small') return `不能小于 ${String(issue.minimum)}`;
  if (issue.code === 'invalid_type') return issue.expected === 'int' ? '应为整数' : `应为 ${issue.expected}`;
  return issue.message;
}

export function settingsFromFlags(
  flags: Record<string, unknown>,
  base: Partial<CrawlSettings> = {},
): CrawlSettings {
  const numbers: [string, keyof CrawlSettings][] = [
    ['delay', 'perHostDelayMs'],
    ['perHost', 'perHostConcurrency'],
    ['timeout', 'timeoutMs'],
    ['maxPages', 'maxPagesPerUnit'],
    ['maxDepth', 'maxDepth'],
    ['parseThreads', 'analysisWorkers'],
    ['screenshotsPerUnit', 'screenshotsPerUnit'],
  ];
  const overrides: Partial<CrawlSettings> = { ...base };
  for (const [flag, key] of numbers) {
    const v = flags[flag];
    if (v === undefined) continue;
    if (typeof v !== 'number' || Number.isNaN(v)) throw new UserError(`参数 ${FLAG_OF[key]} 应为数字`);
    Object.assign(overrides, { [key]: v });
  }
  if (flags.ignoreRobots) overrides.respectRobots = false;
  if (typeof flags.contactUrl === 'string') overrides.contactUrl = flags.contactUrl;
  if (flags.external === false) overrides.checkExternalLinks = false;
  if (flags.strictTls) overrides.tlsFallback = false;
  if (flags.screenshots === false) overrides.screenshots = false;
  if (typeof flags.render === 'string') overrides.render = flags.render as CrawlSettings['render'];
  try {
    return crawlSettings(overrides);
  } catch (err) {
    if (!(err instanceof z.ZodError)) throw err;
    const issue = err.issues[0]!;
    const key = String(issue.path[0] ?? '');
    throw new UserError(`参数 ${FLAG_OF[key] ?? key} 无效：${describeFlagIssue(issue)}`);
  }
}

export function pipelineOptions(
  flags: CommonFlags,
  db: Db,
  log: Logger,
  settings: CrawlSettings,
): PipelineOptions {
  return {
    db,
    log,
    settings,
    rulesDir: flags.rules,
    outDir: flags.out,
    issuer: flags.issuer,
    ...(flags.docNumber !== undefined ? { docNumber: docNumberFlag(flags.docNumber) } : {}),
  };
}

/** --doc-number as GB/T 9704 writes a 发文字号: 机关代字〔年份〕序号号. */
export function docNumberFlag(value: string): string {
  const v = value.trim();
  if (!DOC_NUMBER_PATTERN.test(v))
    throw new UserError(
      `参数 --doc-number 无效：应为“机关代字〔年份〕序号号”，如 示政办〔2026〕12号，实际为 "${value}"`,
    );
  return v;
}

/** --date, or today in Beijing: a real calendar day, since every deadline is counted from it. */
export function inspectionDateFromFlags(flags: Record<string, unknown>, today: () => string): string {
  const value = flags.date;
  if (value === undefined) return today();
  if (typeof value !== 'string' || !isCalendarDate(value))
    throw new UserError(`参数 --date 应为真实日期 YYYY-MM-DD，实际为 ${JSON.stringify(value)}`);
  return value;
}

/** Open (or create) the store. Callers validate seeds and rules first: bad input writes nothing. */
export async function openFromFlags(flags: CommonFlags): Promise<{ db: Db; log: Logger }> {
  // The store's drivers and query builder are loaded by the commands that open it, not by every
  // start of the CLI (help, usage errors, seeds check, scan).
  const { openStore } = await import('../store/db.js');
  const db = await openStore(storeLocation(flags));
  openedStores.add(db);
  return { db, log: createLogger({ json: flags.json, quiet: flags.quiet }) };
}

/** --store (same as --db) or --db, which defaults to XUNCHA_STORE or the local file. */
export function storeLocation(flags: CommonFlags): string {
  return flags.store ?? flags.db;
}

/** Stores a command opened, closed when it ends: an open PostgreSQL pool keeps a process alive. */
const openedStores = new Set<Db>();

/** Open a store that must already hold batches, without creating an empty one by mistake. */
export async function openExistingFromFlags(
  flags: CommonFlags,
  run?: unknown,
): Promise<{ db: Db; log: Logger }> {
  const location = storeLocation(flags);
  if (location !== ':memory:' && !isPostgres(location) && !existsSync(location)) {
    const which = typeof run === 'string' && run !== 'latest' ? ` ${run}` : '';
    throw new UserError(
      `找不到巡查批次${which}：数据库 ${flags.db} 不存在（请先用 xuncha run 或 xuncha crawl --seeds 新建批次，或用 --db 指定数据库）`,
    );
  }
  return openFromFlags(flags);
}

export async function resolveRunId(db: Db, value: string | undefined): Promise<number> {
  const { latestRunId, getRun } = await import('../store/runs.js');
  const id = value === undefined || value === 'latest' ? await latestRunId(db) : Number(value);
  if (!id || !Number.isInteger(id) || !(await getRun(db, id)))
    throw new UserError(`找不到巡查批次 ${value ?? '（数据库中没有任何批次）'}`);
  return id;
}

/** Run a command body, turning known errors into Chinese messages and documented exit codes. */
export function action<A extends unknown[]>(
  body: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const log = createLogger();
    try {
      await body(...args);
    } catch (err) {
      if (err instanceof InputError) {
        log.error(err.message);
        process.exitCode = EXIT.inputError;
      } else {
        log.error(`运行失败：${(err as Error).stack ?? String(err)}`);
        process.exitCode = EXIT.failure;
      }
    } finally {
      if (openedStores.size) {
        const { closeStore } = await import('../store/db.js');
        for (const db of openedStores) await closeStore(db).catch(() => {});
        openedStores.clear();
      }
    }
  };
}

/** commander prints its section titles in English; translate them for our users. */
const HELP_WORDS: [RegExp, string][] = [
  [/^Usage: ?/m, '用法：'],
  [/^Options:/m, '选项：'],
  [/^Commands:/m, '命令：'],
  [/^Arguments:/m, '参数：'],
];

/** `[options]`/`[command]` in usage lines, translated before commander pads the columns. */
function usageWords(text: string): string {
  return text.replace(/\[options\]/g, '[选项]').replace(/\[command\]/g, '[命令]');
}

/** Terminal columns: CJK and full-width characters take two (commander counts one). */
function terminalWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(/\x1b\[[0-9;]*m/g, ''))
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      ) || (ch.codePointAt(0) ?? 0) > 0xffff
        ? 2
        : 1;
  return width;
}

/** 可选值 and 默认值 in Chinese, after the description (commander writes them in English). */
function extraInfo(
  description: string,
  choices: readonly string[] | undefined,
  defaultValue: unknown,
  defaultDescription: string | undefined,
  showDefault: boolean,
): string {
  const extra: string[] = [];
  if (choices?.length) extra.push(`可选：${choices.join('、')}`);
  // A description that already states its default (“默认今天”) is not repeated.
  if (showDefault && defaultValue !== undefined && !description.includes('默认'))
    extra.push(
      `默认：${defaultDescription ?? (Array.isArray(defaultValue) ? defaultValue.join(' ') : String(defaultValue))}`,
    );
  return extra.length ? `${description}（${extra.join('；')}）` : description;
}

/** commander's own messages (it has no locale), as a user of a Chinese tool should read them. */
const PARSER_MESSAGES: [RegExp, string | ((...m: string[]) => string)][] = [
  [/error: missing required argument '([^']+)'/, '错误：缺少必需的参数「$1」'],
  [/error: option '([^']+)' argument missing/, '错误：选项 $1 缺少取值'],
  [/error: required option '([^']+)' not specified/, '错误：缺少必需的选项 $1'],
  [
    /error: option '([^']+)' argument '([^']*)' is invalid\. Allowed choices are (.+)\./,
    (_m: string, o: string, v: string, c: string) =>
      `错误：选项 ${o} 的取值「${v}」无效，可选：${c.split(', ').join('、')}`,
  ],
  [/error: option '([^']+)' argument '([^']*)' is invalid\.?/, '错误：选项 $1 的取值「$2」无效'],
  [
    /error: command-argument value '([^']*)' is invalid for argument '([^']+)'\. Allowed choices are (.+)\./,
    (_m: string, v: string, a: string, c: string) =>
      `错误：参数「${a}」的取值「${v}」无效，可选：${c.split(', ').join('、')}`,
  ],
  [
    /error: command-argument value '([^']*)' is invalid for argument '([^']+)'\.?/,
    '错误：参数「$2」的取值「$1」无效',
  ],
  [/error: (.+) cannot be used with (.+)/, '错误：$1 不能与 $2 同时使用'],
  [/error: unknown option '([^']+)'/, '错误：未知选项 $1'],
  [
    /error: too many arguments(?: for '([^']+)')?\. Expected (\d+) arguments? but got (\d+)\./,
    '错误：参数过多（应为 $2 个，实际 $3 个）',
  ],
  [/error: unknown command '([^']+)'/, '错误：未知命令 $1'],
  [/\(Did you mean one of ([^?]+)\?\)/, '（是否想输入以下之一：$1？）'],
  [/\(Did you mean ([^?]+)\?\)/, '（是否想输入 $1？）'],
  [/^error: /, '错误：'],
];

export function translateParserMessage(text: string): string {
  return PARSER_MESSAGES.reduce(
    (t, [re, zh]) => (typeof zh === 'string' ? t.replace(re, zh) : t.replace(re, zh)),
    text,
  );
}

/**
 * Chinese help and parser messages, exit code 2 for usage mistakes. Applied to every command
 * (main.ts walks the tree after registering them): a command with subcommands lists `help
 * [命令]`, a leaf command lists only its own options.
 */
export function chineseHelp(cmd: Command): Command {
  cmd
    .configureOutput({ outputError: (text, write) => write(translateParserMessage(text)) })
    // A usage mistake is an input error (exit 2, README); help and version still exit 0.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .showHelpAfterError('（使用 --help 查看帮助）')
    .configureHelp({
      optionDescription: (o) =>
        extraInfo(
          o.description,
          o.argChoices,
          o.defaultValue,
          o.defaultValueDescription,
          o.required || o.optional || (o.isBoolean() && typeof o.defaultValue === 'boolean'),
        ),
      argumentDescription: (a) =>
        extraInfo(a.description, a.argChoices, a.defaultValue, a.defaultValueDescription, true),
      commandUsage: (c) => usageWords(Help.prototype.commandUsage.call(c.createHelp(), c)),
      subcommandTerm: (c) => usageWords(Help.prototype.subcommandTerm.call(c.createHelp(), c)),
      displayWidth: terminalWidth,
      // Chinese has no spaces between words: breaking at the odd space (“输出 JSON”) reads worse
      // than letting the terminal wrap the line.
      boxWrap: (text) => text,
      formatHelp: (c, helper) =>
        HELP_WORDS.reduce(
          (text, [re, zh]) => text.replace(re, zh),
          Help.prototype.formatHelp.call(helper, c, helper),
        ),
    })
    .helpOption('-h, --help', '显示帮助');
  return cmd.commands.length
    ? cmd.helpCommand('help [command]', '显示某个命令的帮助')
    : cmd.helpCommand(false);
}

/** Resolves at the first Ctrl+C or SIGTERM (a long-running command then ends its work cleanly). */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
