import { footerSiteIdCode, type PageFacts } from './htmlPage.js';
import { textDates, URL_DATE_SOURCE } from './pageDates.js';

/**
 * A page known only as text (a saved text copy, a search engine's excerpt): no meta, links or
 * pager, but the same date labels, breadcrumb line and 网站标识码 as an HTML page, read by the same
 * rules (pageDates.ts).
 */

/** Leading `# key: value` comment lines of a saved excerpt; `# source: <url>` names the page. */
const HEADER_LINE = /^#\s*([A-Za-z][\w-]*)\s*:\s*(.*)$/;

export function splitTextHeader(text: string): { body: string; source?: string } {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  let source: string | undefined;
  let i = 0;
  for (; i < lines.length; i++) {
    const m = HEADER_LINE.exec(lines[i]!);
    if (!m) break;
    if (/^(source|url)$/i.test(m[1]!) && /^https?:\/\/\S+$/i.test(m[2]!.trim())) source ??= m[2]!.trim();
  }
  return { body: lines.slice(i).join('\n'), ...(source ? { source } : {}) };
}

/** Plain text has markup-free lines only: true when `text` holds no HTML tags worth parsing. */
export function looksLikePlainText(text: string): boolean {
  return !/<(?:!doctype|html|head|body|div|p|a|meta|table|span|li|br|title|script)\b/i.test(
    text.slice(0, 65536),
  );
}

const CRUMB_LABEL =
  /^\s*(?:当前位置|您的位置|你的位置|您现在的位置(?:是)?|您现在所在的位置|所在位置)\s*[:：]\s*(.*)$/;
const CRUMB_SEP = /\s*(?:>>|->|>|›|»|＞|→)\s*/;

function breadcrumbOfText(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const m = CRUMB_LABEL.exec(lines[i]!);
    if (!m) continue;
    // The crumbs may follow on the next line ("您现在所在的位置 :\n首页 > … > 年报").
    const line = m[1]!.trim() || (lines[i + 1] ?? '');
    const items = line
      .split(CRUMB_SEP)
      .map((s) => s.replace(/\s+/g, ' ').trim())
      .filter(Boolean);
    if (items.length >= 2) return items.filter((s) => s.length <= 40);
  }
  return [];
}

const BLANK_MARKERS = /暂无(信息|数据|内容|记录|相关信息)|栏目(正在)?建设中|正在建设中|内容更新中/;

/** What can be known of a text-only page, in the shape of an HTML page's facts. */
export function parseTextPage(raw: string, url: string): PageFacts {
  const { body } = splitTextHeader(raw);
  const text = body.replace(/\u00a0/g, ' ').trim();
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const breadcrumb = breadcrumbOfText(lines);
  const crumbLines = new Set(
    lines.filter((l, i) => CRUMB_LABEL.test(l) || (i > 0 && CRUMB_LABEL.test(lines[i - 1]!))),
  );
  // The title: the first line that reads like one (not a breadcrumb, not a lone symbol, not a date line).
  const title =
    lines.find((l) => !crumbLines.has(l) && l.length >= 4 && l.length <= 80 && !/[:：]\s*(\S|$)/.test(l)) ??
    '';
  const { pubDate, writtenDate } = textDates(text, url, title || undefined);
  const warnings: string[] = [];
  const isArticle = text.length >= 200;
  if (pubDate?.source === URL_DATE_SOURCE)
    warnings.push(`页面未标注发布日期，按网址中的日期 ${pubDate.raw} 读取为 ${pubDate.date}`);
  else if (isArticle && !pubDate) warnings.push('未找到发布日期');
  const columnName = [...breadcrumb].reverse().find((c, i) => i > 0 || c !== title);
  const footer = footerSiteIdCode(text);
  return {
    url,
    title,
    meta: {},
    siteIdCode: undefined,
    ...(footer ? { footerSiteIdCode: footer } : {}),
    ...(breadcrumb.length >= 2 && columnName ? { columnName, columnSource: '面包屑' } : {}),
    breadcrumb,
    isArticle,
    ...(pubDate ? { pubDate } : {}),
    ...(writtenDate ? { writtenDate } : {}),
    links: [],
    placeholderLinks: 0,
    templateLinks: 0,
    listItems: [],
    hasList: false,
    datedItems: [],
    blankMarker: BLANK_MARKERS.test(text),
    text,
    tables: [],
    warnings,
  };
}
