import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import * as cheerio from 'cheerio';
import { UserError, action } from './common.js';
import { crawlSettings } from '../config/settings.js';
import { decodeHtml } from '../crawl/decodeHtml.js';
import { fetchResource } from '../crawl/fetchResource.js';
import { RequestGuard } from '../crawl/requestGuard.js';
import { hostKey, isAttachmentUrl } from '../crawl/urls.js';
import { parseHtmlPage, type ListItem, type PageFacts } from '../extract/htmlPage.js';
import { looksLikePlainText, parseTextPage, splitTextHeader } from '../extract/textPage.js';
import type { PagerInfo } from '../extract/pager.js';
import { pageDisclosure, SIGNAL_TITLES, type PageDisclosure } from '../extract/disclosureColumn.js';
import { loadCatalogues } from '../config/catalogues.js';
import { maskText } from '../pii/mask.js';

/**
 * `xuncha extract <file-or-url>`: what the crawler and the checks understand of one page, so a
 * surprising finding can be traced to the page itself. A URL is fetched exactly once.
 */
export interface ExtractSummary {
  input: string;
  url: string;
  /** How `url` was chosen for a local file (links are resolved against it). */
  urlSource: string;
  status?: number;
  charset: string;
  charsetSource: string;
  title: string;
  siteName?: string;
  siteIdCode: { meta?: string; metaPresent: boolean; footer?: string; jiucuo?: string; mismatch: boolean };
  column: { name?: string; source?: string; breadcrumb: string[] };
  pageKind: 'article' | 'list' | 'other';
  /** 'text': a text-only page (no markup): dates and breadcrumb read from its lines. */
  format: 'html' | 'text';
  pubDate?: PageFacts['pubDate'];
  writtenDate?: PageFacts['writtenDate'];
  datedItems: { count: number; newest?: string; oldest?: string; first: ListItem[] };
  mainList: { count: number; dated: number; first: ListItem[] };
  pager?: PagerInfo;
  attachments: string[];
  links: { total: number; internal: number; external: number; placeholder: number; template: number };
  /** The 政府信息公开专栏 parts this page is, and those it links to. */
  disclosure: PageDisclosure;
  warnings: string[];
}

const SHOW = 5;
const CHARSET_SOURCES: Record<string, string> = {
  bom: 'BOM',
  header: 'HTTP 响应头',
  meta: '页面 meta 声明',
  'utf8-valid': '按 UTF-8 校验',
  fallback: '按 GB18030 兜底解码',
};
const PAGER_KINDS: Record<string, string> = {
  hanweb: '大汉 jpage 数据',
  'trs-createPageHTML': 'TRS createPageHTML',
  'trs-countPage': 'TRS 内嵌变量',
  rendered: '页面分页条',
  links: '翻页链接',
};

interface Loaded {
  bytes: Buffer;
  format?: 'html' | 'text';
  contentType?: string;
  url: string;
  urlSource: string;
  status?: number;
}

function pageUrlOfFile(
  bytes: Buffer,
  file: string,
  given: string | undefined,
): { url: string; source: string } {
  if (given) return { url: given, source: '--url 参数' };
  const $ = cheerio.load(bytes.toString('latin1').slice(0, 65536));
  for (const [sel, attr, label] of [
    ['link[rel="canonical"]', 'href', 'canonical 链接'],
    ['meta[property="og:url"]', 'content', 'og:url'],
  ] as const) {
    const v = $(sel).attr(attr)?.trim();
    if (v && /^https?:\/\//i.test(v)) return { url: v, source: `页面${label}` };
  }
  return {
    url: `http://localhost/${encodeURIComponent(basename(file))}`,
    source: '本地文件，未给 --url：相对链接按 http://localhost/ 解析，站内外链接不可区分',
  };
}

function checkedUrl(raw: string, what: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UserError(`${what}不是有效的网址：${raw}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UserError(`${what}只支持 http:// 或 https:// 网址：${raw}`);
  return u.toString();
}

async function load(input: string, givenUrl: string | undefined): Promise<Loaded> {
  const page = givenUrl ? checkedUrl(givenUrl, '--url ') : undefined;
  if (/^file:\/\//i.test(input)) input = fileURLToPath(input);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    const url = checkedUrl(input, '');
    const settings = crawlSettings();
    const res = await fetchResource(url, {
      userAgent: settings.userAgent,
      timeoutMs: settings.timeoutMs,
      maxBytes: settings.maxPageBytes,
      // The address the user typed is theirs to choose; where it redirects is judged hop by hop.
      guard: await RequestGuard.forSeeds([url]),
    });
    if (res.errorKind === 'redirect-loop') throw new UserError(`无法获取 ${url}：${res.error}`);
    if (res.status === 0) throw new UserError(`无法获取 ${url}：${res.error ?? res.errorKind ?? '未知错误'}`);
    if (res.status < 200 || res.status >= 300) throw new UserError(`${url} 返回 HTTP ${res.status}`);
    if (res.errorKind || !res.body)
      throw new UserError(`无法读取 ${url}：${res.error ?? res.errorKind ?? '无内容'}`);
    const type = res.headers['content-type'];
    if (type && !/html|xml|text\/plain/i.test(type))
      throw new UserError(`${url} 不是网页（Content-Type: ${type}）`);
    return {
      bytes: res.body,
      contentType: type,
      url: page ?? res.finalUrl,
      urlSource: page ? '--url 参数' : res.finalUrl === url ? '请求地址' : `请求地址（重定向自 ${url}）`,
      status: res.status,
    };
  }
  const file = resolve(input);
  if (!existsSync(file)) {
    const hint = /^([\w-]+\.)+(cn|com|net|org|gov|edu)(\/|:|$)/i.test(input)
      ? `；如果是网址，请加上 http://`
      : '';
    throw new UserError(`找不到文件：${input}${hint}`);
  }
  if (!statSync(file).isFile()) throw new UserError(`不是文件：${input}`);
  const bytes = readFileSync(file);
  const { url, source } = pageUrlOfFile(bytes, file, page);
  return { bytes, url, urlSource: source };
}

export function summarisePage(
  input: string,
  loaded: Omit<Loaded, 'bytes'>,
  decoded: { charset: string; source: string },
  page: PageFacts,
  /** Pilot domain names (rules/catalogues) for the 标准目录 parts. */
  domains: readonly string[] = [],
): ExtractSummary {
  const host = hostKey(page.url);
  const dated = page.datedItems.filter((i) => i.date);
  const sorted = dated.map((i) => i.date!).sort();
  const internal = page.links.filter((l) => hostKey(l.url) === host).length;
  const meta = page.siteIdCode;
  const footer = page.footerSiteIdCode;
  return {
    input,
    url: page.url,
    urlSource: loaded.urlSource,
    ...(loaded.status !== undefined ? { status: loaded.status } : {}),
    charset: decoded.charset,
    charsetSource: decoded.source,
    title: page.title,
    ...(page.siteName ? { siteName: page.siteName } : {}),
    siteIdCode: {
      ...(meta ? { meta } : {}),
      metaPresent: 'siteidcode' in page.meta,
      ...(footer ? { footer } : {}),
      ...(page.jiucuoSiteCode ? { jiucuo: page.jiucuoSiteCode } : {}),
      mismatch: Boolean(footer && (meta ?? '') !== footer && 'siteidcode' in page.meta),
    },
    column: {
      ...(page.columnName ? { name: page.columnName } : {}),
      ...(page.columnSource ? { source: page.columnSource } : {}),
      breadcrumb: page.breadcrumb,
    },
    pageKind: page.isArticle ? 'article' : page.hasList ? 'list' : 'other',
    format: loaded.format ?? 'html',
    ...(page.pubDate ? { pubDate: page.pubDate } : {}),
    ...(page.writtenDate ? { writtenDate: page.writtenDate } : {}),
    datedItems: {
      count: dated.length,
      ...(sorted.length ? { newest: sorted[sorted.length - 1], oldest: sorted[0] } : {}),
      first: dated.slice(0, SHOW),
    },
    mainList: {
      count: page.listItems.length,
      dated: page.listItems.filter((i) => i.date).length,
      first: page.listItems.slice(0, SHOW),
    },
    ...(page.pager ? { pager: page.pager } : {}),
    attachments: [...new Set(page.links.map((l) => l.url).filter(isAttachmentUrl))],
    links: {
      total: page.links.length,
      internal,
      external: page.links.length - internal,
      placeholder: page.placeholderLinks,
      template: page.templateLinks,
    },
    disclosure: pageDisclosure(page, domains),
    warnings: page.warnings,
  };
}

function itemLine(i: ListItem): string {
  return `    ${i.date ?? '（无日期）'}  ${i.title}${i.url ? `  ${i.url}` : ''}`;
}

function more(shown: number, total: number, unit: string): string[] {
  return total > shown ? [`    ……（共 ${total} ${unit}，只列出前 ${shown} ${unit}）`] : [];
}

export function formatSummary(s: ExtractSummary): string[] {
  const lines: string[] = [];
  const out = (label: string, value: string) => lines.push(`${label}：${value}`);
  out('页面', s.input);
  if (s.input !== s.url) out('页面地址', `${s.url}（${s.urlSource}）`);
  if (s.status !== undefined) out('HTTP 状态', String(s.status));
  out('字符集', `${s.charset}（${CHARSET_SOURCES[s.charsetSource] ?? s.charsetSource}）`);
  out('标题', s.title || '（无）');
  out('网站名称', s.siteName ?? '（未找到）');
  const id = s.siteIdCode;
  const parts = [
    `meta ${id.meta ?? (id.metaPresent ? '（空）' : '（无）')}`,
    `页脚 ${id.footer ?? '（无）'}`,
    ...(id.jiucuo ? [`纠错代码 ${id.jiucuo}`] : []),
  ];
  out('网站标识码', parts.join('；') + (id.mismatch ? '  ← 不一致' : ''));
  const crumb = s.column.breadcrumb.length ? `；面包屑：${s.column.breadcrumb.join(' > ')}` : '';
  out('栏目', s.column.name ? `${s.column.name}（来自 ${s.column.source}${crumb}）` : `（未找到）${crumb}`);
  out(
    '页面类型',
    { article: '文章页', list: '栏目（列表）页', other: '其他页面' }[s.pageKind] +
      (s.format === 'text' ? '（纯文本：无 meta、链接和分页）' : ''),
  );
  out(
    '发布日期',
    s.pubDate
      ? `${s.pubDate.date}（${s.pubDate.source}${s.pubDate.raw ? `「${s.pubDate.raw}」` : ''}${s.pubDate.precision === 'month' ? '，只知年月' : ''}）`
      : '（未找到）',
  );
  if (s.writtenDate)
    out(
      '成文日期',
      `${s.writtenDate.date}（${s.writtenDate.source}「${s.writtenDate.raw ?? s.writtenDate.date}」）`,
    );
  const d = s.datedItems;
  out('带日期的条目', d.count ? `${d.count} 条，最新 ${d.newest}，最早 ${d.oldest}` : '0 条');
  lines.push(...d.first.map(itemLine), ...more(d.first.length, d.count, '条'));
  if (s.pageKind !== 'article')
    out(
      '主列表',
      s.mainList.count ? `${s.mainList.count} 条（其中 ${s.mainList.dated} 条有日期）` : '（无）',
    );
  if (s.pager) {
    const p = s.pager;
    const records = p.totalRecords !== undefined ? `，共 ${p.totalRecords} 条记录` : '';
    out(
      '分页',
      `${PAGER_KINDS[p.kind] ?? p.kind}，共 ${p.pageCount} 页${records}，当前第 ${p.current + 1} 页（${p.source}）`,
    );
    lines.push(
      ...p.urls.slice(0, SHOW).map((u) => `    ${u}`),
      ...more(Math.min(SHOW, p.urls.length), p.urls.length, '个地址'),
    );
  } else out('分页', '（无）');
  out('附件', s.attachments.length ? `${s.attachments.length} 个` : '0 个');
  lines.push(
    ...s.attachments.slice(0, SHOW).map((u) => `    ${u}`),
    ...more(Math.min(SHOW, s.attachments.length), s.attachments.length, '个'),
  );
  const l = s.links;
  out(
    '链接',
    `共 ${l.total} 个：站内 ${l.internal}，站外 ${l.external}；占位或脚本链接 ${l.placeholder} 个，模板占位链接 ${l.template} 个（均未请求）`,
  );
  lines.push(...disclosureLines(s.disclosure));
  if (s.warnings.length) {
    lines.push('提示：');
    lines.push(...s.warnings.map((w) => `  - ${w}`));
  } else out('提示', '无');
  return lines;
}

const SHOW_PARTS = 12;

function disclosureLines(d: PageDisclosure): string[] {
  const is = d.is.map((m) => `${m.title}（${SIGNAL_TITLES[m.signal]}「${m.text}」）`);
  const lines = [`公开专栏：${is.length ? `本页是${is.join('、')}` : '本页不是专栏的组成部分'}`];
  lines.push(`专栏链接：${d.links.length ? `${d.links.length} 个` : '无'}`);
  lines.push(
    ...d.links
      .slice(0, SHOW_PARTS)
      .map((l) => `    ${l.title}：${l.url}（${SIGNAL_TITLES[l.signal]}「${l.text}」）`),
    ...more(Math.min(SHOW_PARTS, d.links.length), d.links.length, '个'),
  );
  return lines;
}

/** Pilot domain names from the rules folder; a page is still summarised without them. */
function catalogueDomains(rulesDir: string, warnings: string[]): string[] {
  const dir = `${rulesDir}/catalogues`;
  if (!existsSync(dir)) return [];
  try {
    return loadCatalogues(dir).map((c) => c.domain);
  } catch (err) {
    warnings.push(`未能读取标准目录领域（${dir}）：${(err as Error).message}`);
    return [];
  }
}

export async function extractPage(
  input: string,
  givenUrl?: string,
  rulesDir = 'rules',
): Promise<ExtractSummary> {
  const loaded = await load(input, givenUrl);
  const decoded = decodeHtml(loaded.bytes, loaded.contentType);
  const text = /^text\/plain\b/i.test(loaded.contentType ?? '') || looksLikePlainText(decoded.text);
  if (text) {
    loaded.format = 'text';
    // A saved excerpt may name its page on a "# source: <url>" line, as an HTML copy has its canonical link.
    const source = splitTextHeader(decoded.text).source;
    if (source && !givenUrl && !loaded.status) {
      loaded.url = source;
      loaded.urlSource = '文本开头的 # source: 行';
    }
  }
  const page = text ? parseTextPage(decoded.text, loaded.url) : parseHtmlPage(decoded.text, loaded.url);
  const warnings: string[] = [];
  const summary = summarisePage(input, loaded, decoded, page, catalogueDomains(rulesDir, warnings));
  return { ...summary, warnings: [...summary.warnings, ...warnings] };
}

export function registerExtractCommand(program: Command, io: { out?: NodeJS.WritableStream } = {}): void {
  program
    .command('extract')
    .description(
      '查看工具对单个网页的理解：标题、网站标识码、栏目、发布日期、列表条目、分页、附件、链接和政府信息公开专栏',
    )
    .argument('<file-or-url>', '本地 HTML 或纯文本文件路径，或 http(s) 网址（只请求一次）')
    .option('--url <address>', '本地文件的原网址（用于解析相对链接和分页地址）')
    .option('--json', '输出一个 JSON 对象')
    .option('--rules <dir>', '规则目录（用其中的标准目录领域名识别标准目录页面）', 'rules')
    .action(
      action(async (input: string, flags: { url?: string; json?: boolean; rules: string }) => {
        const summary = await extractPage(input, flags.url, flags.rules);
        const out = io.out ?? process.stdout;
        const text = flags.json ? JSON.stringify(summary, null, 2) : formatSummary(summary).join('\n');
        // Page text may quote personal data (a list title with a phone number): mask like every log line.
        out.write(maskText(text) + '\n');
      }),
    );
}
