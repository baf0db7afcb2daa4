import { dateFromUrl, findDates, type DateMatch } from './dates.js';

/**
 * The dates a page states about itself, read from text: the 发布日期 under any of the labels real
 * platforms print (TRS, Hanweb 大汉, 博达 VSB, gkmlpt, PHPCMS …), the 成文日期 kept apart from it,
 * and the date in the page's URL as a last resort. HTML pages (htmlPage.ts) and plain-text pages
 * (textPage.ts) share these rules.
 */
export interface PubDate {
  /** ISO date (YYYY-MM-DD). */
  date: string;
  /** Where it was read: "meta PubDate", "正文「发布日期」", "「来源」所在行", "标题下方", "网址中的日期". */
  source: string;
  /** The text the date was read from, as the page wrote it. */
  raw?: string;
  /** 'month': only the month is known (a /202503/ folder); `date` is then the 1st of that month. */
  precision?: 'month';
}

export const URL_DATE_SOURCE = '网址中的日期';

const SPACE = '[ \\t\\u3000\\u00a0]*';
const RANGE_AFTER = /^\s*(?:日)?\s*(?:起)?\s*(?:至|到|—|–|~|～|-)\s*(?:(?:19|20)\d{2}|\d{1,2}\s*月)/;
const RANGE_BETWEEN = /^\s*(?:日)?\s*(?:起)?\s*(?:至|到|—|–|~|～|-)\s*$/;

/** Dates in `text` that are not the start or end of a range ("2022年1月1日至2025年12月31日"). */
export function singleDates(text: string): DateMatch[] {
  const all = findDates(text);
  return all.filter((d, i) => {
    const after = text.slice(d.index + d.text.length);
    if (RANGE_AFTER.test(after)) return false;
    const prev = all[i - 1];
    return !(prev && RANGE_BETWEEN.test(text.slice(prev.index + prev.text.length, d.index)));
  });
}

function squash(s: string): string {
  return s.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

/** A label as pages print it, spaces allowed between its characters: 发 布 时 间. */
function spaced(label: string): string {
  return [...label].join(SPACE);
}

interface LabelGroup {
  labels: string[];
  /** The label must not directly follow a Han character (日期 alone, not 截止日期). */
  bare?: boolean;
}

/**
 * Publication-date labels by priority. The specific ones first; bare 日期 / 时间 only where no
 * word stands before them (会议时间, 截止日期 and 办公时间 are other dates); then the CMS's own
 * entry and update times, which some platforms print instead of a 发布日期.
 */
const PUB_GROUPS: LabelGroup[] = [
  {
    labels: [
      '发布日期',
      '发布时间',
      '公开日期',
      '公开时间',
      '发表日期',
      '发表时间',
      '发稿日期',
      '发稿时间',
      '刊发日期',
      '刊发时间',
      '上网日期',
      '上网时间',
      '发布于',
    ],
  },
  { labels: ['日期', '时间'], bare: true },
  {
    labels: [
      '更新日期',
      '更新时间',
      '录入日期',
      '录入时间',
      '上传日期',
      '上传时间',
      '添加日期',
      '添加时间',
      '创建日期',
      '创建时间',
      '编辑日期',
      '编辑时间',
    ],
  },
];

/** A CMS entry or update time (更新时间, 录入时间 …): a publication date, but no sign of an article. */
export function isUpdateLabel(d: PubDate): boolean {
  return PUB_GROUPS[2]!.labels.some((l) => d.source === `正文「${l}」`);
}

/** 成文-type dates: the signing of the document, never its publication. */
const WRITTEN_LABELS = ['成文日期', '成文时间', '印发日期', '印发时间', '发文日期', '发文时间'];

/** Words that make a publication label into a plan: 拟发布时间, 计划公开日期. */
const NOT_PUB_BEFORE = /(拟|计划|预计|预定|应当|应于|最迟)$/;
const HAN = /\p{Script=Han}/u;

interface LabelHit {
  label: string;
  date: DateMatch;
  /** The label and the date as written (spaces squashed). */
  raw: string;
  index: number;
}

/**
 * The first date standing right after one of `labels` (an optional colon between, full-width or
 * not; after a colon the date may sit on the next line, as metadata tables print it).
 */
function labelHit(text: string, labels: string[], bare = false): LabelHit | undefined {
  const re = new RegExp(
    `(${labels.map(spaced).join('|')})${SPACE}([:：]?)([ \\t\\u3000\\u00a0]*\\n?[^\\n]{0,40})`,
    'g',
  );
  for (const m of text.matchAll(re)) {
    const before = text.slice(Math.max(0, m.index - 4), m.index);
    if (NOT_PUB_BEFORE.test(before)) continue;
    if (bare && HAN.test(before.slice(-1))) continue;
    let rest = m[3] ?? '';
    // Without a colon the date must be on the label's own line.
    if (!m[2] && rest.startsWith('\n')) continue;
    if (!m[2]) rest = rest.split('\n')[0]!;
    const d = singleDates(rest)[0];
    if (!d || rest.slice(0, d.index).replace(/[\s[【(（]/g, '').length > 0) continue;
    const label = (m[1] ?? '').replace(/[ \t\u3000\u00a0]/g, '');
    return {
      label,
      date: d,
      raw: squash(`${label}${m[2] ? '：' : ' '}${d.text}${rest.slice(d.index + d.text.length).slice(0, 6)}`),
      index: m.index,
    };
  }
  return undefined;
}

/** Labels of one group compete by position: the first on the page wins. */
function firstHit(text: string, labels: string[], bare = false): LabelHit | undefined {
  return labels
    .map((l) => labelHit(text, [l], bare))
    .filter((h): h is LabelHit => h !== undefined)
    .sort((a, b) => a.index - b.index)[0];
}

/** The publication date a page labels as such (发布日期, 发布时间, 日期, 时间, 更新时间 …). */
export function labelledPubDate(text: string): PubDate | undefined {
  for (const group of PUB_GROUPS) {
    const hit = firstHit(text, group.labels, group.bare);
    if (hit) return { date: hit.date.iso, source: `正文「${hit.label}」`, raw: hit.raw };
  }
  return undefined;
}

/**
 * 成文日期: the date a document was signed, as the 信息公开 metadata block prints it
 * ("成文日期：\n2022年01月27日", "发文日期:2024-08-28"). Article 26 of the 条例 counts the publication
 * deadline from it. Only labelled dates count: the date under a document's signature is too easily
 * confused with dates quoted in its text.
 */
export function labelledWrittenDate(text: string): PubDate | undefined {
  const hit = firstHit(text, WRITTEN_LABELS);
  return hit
    ? { date: hit.date.iso, source: `正文「${hit.label}」`, raw: `${hit.label}：${hit.date.text.trim()}` }
    : undefined;
}

/** "2005年08月16日 (U+3000) 来源：新华网": a date on the line naming the source or author. */
export function sourceLineDate(text: string): PubDate | undefined {
  for (const line of text.split('\n')) {
    if (line.length > 120 || !/(来源|作者|出处|浏览|点击|阅读)[:：\s]/.test(line)) continue;
    const d = singleDates(line)[0];
    if (d) return { date: d.iso, source: '「来源」所在行', raw: squash(line).slice(0, 60) };
  }
  return undefined;
}

/** A line of its own just under the article heading that holds little but a date. */
export function belowTitleDate(text: string, heading: string | undefined): PubDate | undefined {
  if (!heading || heading.length < 6) return undefined;
  const lines = text.split('\n');
  const at = lines.findIndex((l) => squash(l) === heading);
  if (at < 0) return undefined;
  for (const line of lines.slice(at + 1, at + 7)) {
    const d = singleDates(line)[0];
    if (!d) continue;
    const rest = line
      .replace(d.text, '')
      .replace(/\d{1,2}[:：]\d{2}(?::\d{2})?/, '')
      .replace(/[\s\p{P}]/gu, '');
    if (rest.length <= 8) return { date: d.iso, source: '标题下方', raw: squash(line).slice(0, 60) };
  }
  return undefined;
}

/** The date in a CMS detail URL (TRS t20250312_…, Hanweb art/2024/1/23/, /202503/), labelled as such. */
export function urlPubDate(url: string): PubDate | undefined {
  const d = dateFromUrl(url);
  if (!d) return undefined;
  return {
    date: d.iso,
    source: URL_DATE_SOURCE,
    raw: d.text,
    ...(d.precision === 'month' ? { precision: 'month' as const } : {}),
  };
}

export interface TextDates {
  pubDate?: PubDate;
  writtenDate?: PubDate;
}

/**
 * The dates of a page known only as text (an excerpt, a saved text copy): the labelled 发布日期,
 * else the date on the 来源 line, else the one under the heading, else the URL's; the 成文日期 apart.
 */
export function textDates(text: string, url?: string, heading?: string): TextDates {
  const pubDate =
    labelledPubDate(text) ??
    sourceLineDate(text) ??
    belowTitleDate(text, heading) ??
    (url ? urlPubDate(url) : undefined);
  const writtenDate = labelledWrittenDate(text);
  return { ...(pubDate ? { pubDate } : {}), ...(writtenDate ? { writtenDate } : {}) };
}
