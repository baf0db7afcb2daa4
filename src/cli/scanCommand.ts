import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { action } from './common.js';
import { createLogger } from '../log.js';
import { crawlSettings } from '../config/settings.js';
import { fetchResource } from '../crawl/fetchResource.js';
import { RequestGuard } from '../crawl/requestGuard.js';
import {
  closeParsers,
  extractAttachmentText,
  needsReview,
  SUPPORTED_EXTENSIONS,
  type AttachmentHint,
  type TextSegment,
} from '../extract/attachmentText.js';
import { detectPersonalData } from '../pii/detect.js';
import { maskText } from '../pii/mask.js';
import type { PiiType } from '../pii/types.js';

/**
 * `xuncha scan <file|dir|url>...`: checks documents for unmasked personal data before they are
 * published (先审后发). Files are read offline; a URL is fetched exactly once. Only exposures are
 * listed — values that are unmasked or insufficiently masked — and only in masked form.
 */
export interface ScanFinding {
  type: PiiType;
  /** Always the masked form (350502********1234); the raw value is never printed. */
  masked: string;
  /** true: partly masked, but shows more than the rules allow. */
  insufficient: boolean;
  location: {
    /** Chinese: 正文, 页眉, 第2页, 工作表「名单」第3行, 压缩包内 a.xlsx：…, 文件名, 网址. */
    segment: string;
    /** Character offset of the value in that segment's text. */
    offset: number;
  };
}

export interface ScanFileResult {
  /** As given (a file found in a directory: the directory joined with its relative path), masked. */
  path: string;
  findings: ScanFinding[];
  /** Chinese: why (part of) the file could not be checked; a person must look. */
  errors: string[];
}

export interface ScanReport {
  files: ScanFileResult[];
}

/** Exit codes of `scan`: 2 (an input could not be fully checked) wins over 1 (something is exposed). */
export const SCAN_EXIT = { clean: 0, exposed: 1, error: 2 } as const;

/** What the table shows besides the JSON fields: notes such as "hidden sheet, read as well". */
interface ScannedFile extends ScanFileResult {
  notes: string[];
}

const MAX_DIRECTORY_FILES = 10_000;
const MAX_DIRECTORY_DEPTH = 32;
// The table lists this many findings per file; --json lists all.
const TABLE_ROWS_PER_FILE = 50;

const TYPE_TITLES: Readonly<Record<string, string>> = {
  'id-card': '身份证号',
  mobile: '手机号码',
  'bank-card': '银行卡号',
  address: '具体住址',
};

// ---------------------------------------------------------------------------------------------
// Inputs

interface Input {
  /** What the user typed (or the directory joined with a found file's relative path). */
  path: string;
  /** Absolute file path, or a URL to fetch. */
  file?: string;
  url?: string;
  /** Set when the input can't be read at all. */
  error?: string;
}

function isUrlLike(input: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(input);
}

function urlInput(input: string): Input {
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    return { path: input, error: '不是有效的网址' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { path: input, error: '只支持 http:// 或 https:// 网址' };
  return { path: input, url: u.toString() };
}

/** Supported files under a directory, sorted, without following symbolic links to directories. */
function walkDirectory(root: string, shown: string): { files: Input[]; truncated: boolean } {
  const files: Input[] = [];
  let truncated = false;
  const walk = (dir: string, rel: string, depth: number): void => {
    if (depth > MAX_DIRECTORY_DEPTH) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      files.push({ path: join(shown, rel), error: '无法读取目录' });
      return;
    }
    for (const name of names) {
      if (files.length >= MAX_DIRECTORY_FILES) {
        truncated = true;
        return;
      }
      if (name.startsWith('.')) continue;
      const full = join(dir, name);
      const relPath = rel ? join(rel, name) : name;
      const link = lstatSync(full, { throwIfNoEntry: false });
      if (!link) continue;
      if (link.isDirectory()) walk(full, relPath, depth + 1);
      else if (SUPPORTED_EXTENSIONS.has(extname(name).slice(1).toLowerCase())) {
        const target = statSync(full, { throwIfNoEntry: false });
        if (target?.isFile()) files.push({ path: join(shown, relPath), file: full });
      }
    }
  };
  walk(root, '', 0);
  return { files, truncated };
}

function resolveInputs(inputs: string[]): Input[] {
  const out: Input[] = [];
  for (const raw of inputs) {
    if (/^file:\/\//i.test(raw)) {
      let path: string;
      try {
        path = fileURLToPath(raw);
      } catch {
        out.push({ path: raw, error: '不是有效的文件网址' });
        continue;
      }
      out.push(...localInputs(path, raw));
    } else if (isUrlLike(raw)) out.push(urlInput(raw));
    else out.push(...localInputs(raw, raw));
  }
  return out;
}

function localInputs(path: string, shown: string): Input[] {
  const file = resolve(path);
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st) {
    const hint = /^([\w-]+\.)+(cn|com|net|org|gov|edu)(\/|:|$)/i.test(shown)
      ? '；如果是网址，请加上 http://'
      : '';
    return [{ path: shown, error: `找不到文件${hint}` }];
  }
  if (st.isDirectory()) {
    const { files, truncated } = walkDirectory(file, shown);
    if (truncated)
      files.push({ path: shown, error: `目录中的文件超过 ${MAX_DIRECTORY_FILES} 个，其余未检查` });
    if (files.length === 0) return [{ path: shown, error: '目录中没有可检查的文件' }];
    return files;
  }
  if (!st.isFile()) return [{ path: shown, error: '不是普通文件' }];
  return [{ path: shown, file }];
}

// ---------------------------------------------------------------------------------------------
// Checking one input

interface Loaded {
  body: Buffer;
  hint: AttachmentHint;
  /** Segment scanned besides the content: the file name or the URL (both are published too). */
  nameSegment: TextSegment;
}

type LoadResult = { loaded: Loaded } | { error: string };

async function loadUrl(url: string): Promise<LoadResult> {
  const settings = crawlSettings();
  const res = await fetchResource(url, {
    userAgent: settings.userAgent,
    timeoutMs: settings.timeoutMs,
    maxBytes: settings.maxAttachmentBytes,
    // The address the user typed is theirs to choose; where it redirects is judged hop by hop.
    guard: await RequestGuard.forSeeds([url]),
  });
  if (res.status === 0 || res.errorKind === 'redirect-loop')
    return { error: `无法获取：${res.error ?? res.errorKind ?? '未知错误'}` };
  if (res.errorKind === 'too-large') return { error: `文件过大：${res.error ?? ''}` };
  if (res.status < 200 || res.status >= 300) return { error: `服务器返回 HTTP ${res.status}` };
  if (!res.body) return { error: '服务器未返回内容' };
  return {
    loaded: {
      body: res.body,
      hint: { url: res.finalUrl, contentType: res.headers['content-type'] },
      nameSegment: { location: '网址', text: decodeURIComponentSafe(res.finalUrl) },
    },
  };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURI(text);
  } catch {
    return text;
  }
}

function loadFile(file: string): LoadResult {
  const max = crawlSettings().maxAttachmentBytes;
  try {
    const size = statSync(file).size;
    if (size > max)
      return { error: `文件过大（${(size / 1048576).toFixed(1)} MB，上限 ${max / 1048576} MB）` };
    return {
      loaded: {
        body: readFileSync(file),
        hint: { url: pathToFileURL(file).href },
        nameSegment: { location: '文件名', text: basename(file) },
      },
    };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { error: code === 'EACCES' ? '没有读取权限' : `无法读取（${code ?? '未知错误'}）` };
  }
}

function findingsIn(segments: TextSegment[]): ScanFinding[] {
  const findings: ScanFinding[] = [];
  const seen = new Set<string>();
  for (const seg of segments) {
    const matches = detectPersonalData(seg.text, seg.context ? { context: seg.context } : {});
    for (const m of matches) {
      const segment = maskText(seg.location);
      const key = `${segment}\n${m.start}\n${m.type}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({
        type: m.type,
        masked: m.masked,
        insufficient: m.insufficient,
        location: { segment, offset: m.start },
      });
    }
  }
  return findings;
}

async function scanInput(input: Input): Promise<ScannedFile> {
  const result: ScannedFile = { path: maskText(input.path), findings: [], errors: [], notes: [] };
  if (input.error) {
    result.errors.push(maskText(input.error));
    return result;
  }
  const load = input.url ? await loadUrl(input.url) : loadFile(input.file ?? '');
  if ('error' in load) {
    result.errors.push(maskText(load.error));
    return result;
  }
  const { body, hint, nameSegment } = load.loaded;
  const text = await extractAttachmentText(body, hint);
  result.findings = findingsIn([nameSegment, ...text.segments]);
  for (const w of text.warnings) (needsReview(w) ? result.errors : result.notes).push(maskText(w));
  return result;
}

export async function scanInputs(inputs: string[]): Promise<{ report: ScanReport; notes: string[][] }> {
  const files: ScannedFile[] = [];
  // One parser child per kind serves every file (pdf.js, and SheetJS / word-extractor); they end here.
  try {
    for (const input of resolveInputs(inputs)) files.push(await scanInput(input));
  } finally {
    closeParsers();
  }
  return {
    report: { files: files.map(({ path, findings, errors }) => ({ path, findings, errors })) },
    notes: files.map((f) => f.notes),
  };
}

export function scanExitCode(report: ScanReport): number {
  // An exposure found is the answer that matters before publishing, even if another file failed.
  if (report.files.some((f) => f.findings.length > 0)) return SCAN_EXIT.exposed;
  if (report.files.some((f) => f.errors.length > 0)) return SCAN_EXIT.error;
  return SCAN_EXIT.clean;
}

// ---------------------------------------------------------------------------------------------
// Output

/** Terminal columns of a string: CJK and full-width characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      cp >= 0x20000;
    width += wide ? 2 : 1;
  }
  return width;
}

/** The error of an input that does not exist (see localInputs). */
const isMissing = (error: string): boolean => error.startsWith('找不到文件');

const pad = (text: string, width: number): string =>
  text + ' '.repeat(Math.max(0, width - displayWidth(text)));

export function formatTable(report: ScanReport, notes: string[][] = []): string[] {
  const header = ['文件', '类型', '脱敏后内容', '位置', '说明'];
  const rows: string[][] = [];
  const extra: string[] = [];
  report.files.forEach((f, i) => {
    for (const x of f.findings.slice(0, TABLE_ROWS_PER_FILE)) {
      const offset = x.location.offset > 0 ? `（第${x.location.offset + 1}个字符起）` : '';
      rows.push([
        f.path,
        TYPE_TITLES[x.type] ?? x.type,
        x.masked,
        x.location.segment + offset,
        x.insufficient ? '脱敏不充分' : '未脱敏',
      ]);
    }
    if (f.findings.length > TABLE_ROWS_PER_FILE)
      rows.push([
        f.path,
        '',
        '',
        '',
        `另有 ${f.findings.length - TABLE_ROWS_PER_FILE} 处未列出，用 --json 查看全部`,
      ]);
    for (const e of f.errors) rows.push([f.path, isMissing(e) ? '未检查' : '需人工复核', '', '', e]);
    for (const n of notes[i] ?? []) rows.push([f.path, '提示', '', '', n]);
    if (f.findings.length === 0 && f.errors.length === 0)
      rows.push([f.path, '—', '', '', '未发现未脱敏的个人信息']);
  });
  const widths = header.map((h, c) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[c] ?? ''))),
  );
  const line = (r: string[]) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : pad(cell, widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const exposed = report.files.filter((f) => f.findings.length > 0);
  const findings = exposed.reduce((n, f) => n + f.findings.length, 0);
  const missing = report.files.filter((f) => f.errors.some(isMissing)).length;
  const review = report.files.filter((f) => f.errors.length > 0 && !f.errors.some(isMissing)).length;
  const complete = report.files.filter((f) => f.errors.length === 0).length;
  // “未发现” only about files that were read through: a missing file was not checked at all.
  const verdict =
    findings > 0
      ? `${exposed.length} 个文件发现 ${findings} 处未脱敏或脱敏不充分的个人信息`
      : complete === 0
        ? undefined
        : complete < report.files.length
          ? `${complete} 个文件未发现未脱敏的个人信息`
          : '未发现未脱敏的个人信息';
  const parts = [
    verdict,
    missing > 0 ? `${missing} 个文件找不到，未检查` : undefined,
    review > 0 ? `${review} 个文件未能完整检查，需人工复核` : undefined,
  ].filter((p): p is string => p !== undefined);
  extra.push(`${verdict ? '共检查' : '共'} ${report.files.length} 个文件：${parts.join('；')}。`);
  return [line(header), ...rows.map(line), '', ...extra];
}

export function registerScanCommand(program: Command, io: { out?: NodeJS.WritableStream } = {}): void {
  program
    .command('scan')
    .description(
      '先审后发：检查待发布的文件或网页是否含未脱敏（或脱敏不充分）的身份证号、手机号码等个人信息。' +
        '退出码：0 未发现；1 发现；2 有文件无法完整检查（找不到、无法读取、扫描件未识别等）',
    )
    .argument('<file|dir|url...>', '文件、目录（递归检查支持的格式）或 http(s) 网址（只请求一次）')
    .option('--json', '输出 JSON：{"files":[{"path","findings","errors"}]}，只列出未脱敏或脱敏不充分的内容')
    .action(
      action(async (inputs: string[], flags: { json?: boolean }) => {
        const { report, notes } = await scanInputs(inputs);
        const out = io.out ?? process.stdout;
        const text = flags.json ? JSON.stringify(report, null, 2) : formatTable(report, notes).join('\n');
        // Every value in the report is masked already; masking the whole text again costs little.
        out.write(maskText(text) + '\n');
        // A path that does not exist is a usage mistake: say so on stderr too, not only in the table.
        const log = createLogger();
        for (const f of report.files)
          for (const e of f.errors.filter(isMissing)) log.error(`${e}：${f.path}`);
        process.exitCode = scanExitCode(report);
      }),
    );
}
