import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { UserError, action } from './common.js';
import { crawlSettings } from '../config/settings.js';
import { loadCatalogues } from '../config/catalogues.js';
import { fetchResource } from '../crawl/fetchResource.js';
import { RequestGuard } from '../crawl/requestGuard.js';
import {
  catalogueFormatOf,
  parseCatalogueFile,
  type PublishedCatalogue,
} from '../extract/catalogue/index.js';
import { maskText } from '../pii/mask.js';

/**
 * `xuncha catalogue <file-or-url>`: the rows of a published 基层政务公开标准目录 as the parser
 * understands them (HTML page, XLSX/XLS, DOCX, PDF or text), so a catalogue finding can be traced
 * to the document itself. A URL is fetched once, through the same request guard as `extract`.
 */

const FORMAT_NAMES: Record<string, string> = {
  html: '网页',
  xlsx: '表格',
  docx: 'Word 文档',
  pdf: 'PDF',
  text: '文本',
};

interface Loaded {
  body: Buffer;
  url: string;
  contentType?: string;
}

function checkedUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UserError(`不是有效的网址：${raw}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UserError(`只支持 http:// 或 https:// 网址：${raw}`);
  return u.toString();
}

async function load(input: string): Promise<Loaded> {
  if (/^file:\/\//i.test(input)) input = fileURLToPath(input);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    const url = checkedUrl(input);
    const settings = crawlSettings();
    const res = await fetchResource(url, {
      userAgent: settings.userAgent,
      timeoutMs: settings.timeoutMs,
      maxBytes: Math.max(settings.maxPageBytes, settings.maxAttachmentBytes),
      // The address the user typed is theirs to choose; where it redirects is judged hop by hop.
      guard: await RequestGuard.forSeeds([url]),
    });
    if (res.status === 0) throw new UserError(`无法获取 ${url}：${res.error ?? res.errorKind ?? '未知错误'}`);
    if (res.status < 200 || res.status >= 300) throw new UserError(`${url} 返回 HTTP ${res.status}`);
    if (res.errorKind || !res.body)
      throw new UserError(`无法读取 ${url}：${res.error ?? res.errorKind ?? '无内容'}`);
    const contentType = res.headers['content-type'];
    return { body: res.body, url: res.finalUrl, ...(contentType ? { contentType } : {}) };
  }
  const file = resolve(input);
  if (!existsSync(file)) {
    const hint = /^([\w-]+\.)+(cn|com|net|org|gov|edu)(\/|:|$)/i.test(input)
      ? '；如果是网址，请加上 http://'
      : '';
    throw new UserError(`找不到文件：${input}${hint}`);
  }
  if (!statSync(file).isFile()) throw new UserError(`不是文件：${input}`);
  const maxBytes = crawlSettings().maxAttachmentBytes;
  if (statSync(file).size > maxBytes)
    throw new UserError(`文件过大：${input}（上限 ${Math.round(maxBytes / 1048576)} MB）`);
  return { body: readFileSync(file), url: pathToFileURL(file).toString() };
}

/** Domain names from the rules folder; the catalogue is still read without them. */
function knownDomains(rulesDir: string): string[] {
  const dir = `${rulesDir}/catalogues`;
  if (!existsSync(dir)) return [];
  try {
    return loadCatalogues(dir).map((c) => c.domain);
  } catch {
    return [];
  }
}

export function formatCatalogues(input: string, label: string, cats: PublishedCatalogue[]): string[] {
  const lines = [`文件：${input}（${label}）`];
  if (cats.length === 0) {
    lines.push('未找到标准目录表格（表头应含 公开时限、公开主体 或 一级事项 等列）');
    return lines;
  }
  if (cats.length > 1) lines.push(`共 ${cats.length} 个目录`);
  cats.forEach((c, k) => {
    lines.push('');
    const head = cats.length > 1 ? `目录 ${k + 1}` : '目录';
    lines.push(
      `${head}：${c.domain ?? '（未识别领域）'}，${FORMAT_NAMES[c.format] ?? c.format}，${c.rows.length} 行`,
    );
    if (c.title) lines.push(`标题：${c.title}`);
    c.rows.forEach((r, i) => {
      const name = [r.first, r.second].filter((s) => s !== '').join(' › ') || '（无事项名称）';
      const t = r.timeLimit;
      const limit = t ? `${t.text}${t.workdays !== undefined ? `（${t.workdays} 个工作日）` : ''}` : '（无）';
      lines.push(`  ${i + 1}. ${name}  [${r.location}]`);
      lines.push(`     时限：${limit}`);
      if (r.channels.length > 0) lines.push(`     渠道：${r.channels.join('、')}`);
      if (r.problems.length > 0) lines.push(`     缺少或未填：${r.problems.join('、')}`);
    });
    const flagged = c.rows.filter((r) => r.problems.length > 0).length;
    lines.push(`要素齐全的行：${c.rows.length - flagged}/${c.rows.length}`);
    lines.push(c.problems.length > 0 ? '未能读取或需注意：' : '未能读取或需注意：无');
    lines.push(...c.problems.map((p) => `  - ${p}`));
  });
  return lines;
}

function jsonOf(c: PublishedCatalogue): object {
  return {
    domain: c.domain ?? null,
    title: c.title ?? null,
    format: c.format,
    rows: c.rows,
    problems: c.problems,
  };
}

export function registerCatalogueCommand(program: Command, io: { out?: NodeJS.WritableStream } = {}): void {
  program
    .command('catalogue')
    .description(
      '读取一份基层政务公开标准目录（网页、XLSX/XLS、DOCX、PDF 或文本），列出读到的事项、公开时限和缺少的要素',
    )
    .argument('<file-or-url>', '本地文件路径，或 http(s) 网址（只请求一次）')
    .option('--json', '输出 JSON：文件中只有一个目录时为一个对象，有多个目录时为数组')
    .option('--rules <dir>', '规则目录（用其中的标准目录领域名识别领域）', 'rules')
    .action(
      action(async (input: string, flags: { json?: boolean; rules: string }) => {
        const loaded = await load(input);
        const { label } = catalogueFormatOf(loaded.body, loaded);
        const cats = await parseCatalogueFile(loaded.body, {
          url: loaded.url,
          ...(loaded.contentType ? { contentType: loaded.contentType } : {}),
          knownDomains: knownDomains(flags.rules),
        });
        const out = io.out ?? process.stdout;
        const text = flags.json
          ? JSON.stringify(
              cats.length === 1 ? jsonOf(cats[0] as PublishedCatalogue) : cats.map(jsonOf),
              null,
              2,
            )
          : formatCatalogues(input, label, cats).join('\n');
        out.write(maskText(text) + '\n');
      }),
    );
}
