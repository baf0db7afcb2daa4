import type { PageFacts, TableRow } from './htmlPage.js';
import { findDates, firstDate } from './dates.js';

// ---------------------------------------------------------------- labelled text

/** One "label：value" found in a page's visible text. */
export interface LabelHit {
  /** The label as written ("回复时间"). */
  label: string;
  /** What the label stands for (one label may stand for several keys: "办理地点和时间"). */
  keys: string[];
  /** The value after it, trimmed; '' when the label is shown with nothing after it. */
  value: string;
  /** Line index in the text. */
  line: number;
  /** Other hits on the same line before this one. */
  column: number;
}

export interface LabelledOptions {
  /** Keys whose value may run over several lines (a reply, a list of materials). */
  multiline?: ReadonlySet<string>;
  /** Lines after which nothing more belongs to a value (page footers, tool bars). */
  stop?: RegExp;
  /** At most this many lines of a multi-line value. */
  maxLines?: number;
}

/** Page chrome that ends any value: footer identity lines, print/close tools. */
export const DEFAULT_STOP =
  /主办单位|主办[:：]|版权所有|Copyright|©|网站标识码|ICP备|公网安备|技术支持|打印本页|关闭窗口|【打印】|【关闭】|返回顶部|上一篇|下一篇/i;
/** A heading numbered 一、 / （二） ends the value of the heading before it. */
const NUMBERED_HEADING =
  /^\s*(?:[（(]?[一二三四五六七八九十]{1,3}[、）)．.]|第[一二三四五六七八九十]{1,3}[条章部分])/;
/** A label must not continue a Chinese word ("网友回复" is no label "回复"). */
const WORD_CHAR = /\p{Script=Han}/u;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Regex finding any of `labels` followed by a separator: colon, cell break, 】, end of line, or a date. */
function labelRegex(labels: Iterable<string>): RegExp {
  const alt = [...new Set(labels)]
    .sort((a, b) => b.length - a.length)
    .map(escapeRe)
    .join('|');
  return new RegExp(
    `(${alt})([ \\u3000]*[】\\]][ \\t\\u3000]*[:：]?|[ \\t\\u3000]*[:：]|\\t|[ \\u3000]*$|[ \\u3000]+(?=(?:19|20)\\d{2}))`,
    'g',
  );
}

function clean(value: string): string {
  return value
    .replace(/^[\s\u3000:：|｜]+/, '')
    .replace(/[\s\u3000|｜]+$/, '')
    .trim();
}

/**
 * Every "label：value" of `text` for the labels of `labels` (label → keys). A label without a colon
 * must stand on its own (line start, after numbering, a cell break or a space), so prose that only
 * mentions "办理流程" is no label. A label with nothing after it on its line takes its value from
 * the lines below (the dt/dd and heading-paragraph layouts), up to the next label or heading.
 */
export function readLabelled(
  text: string,
  labels: ReadonlyMap<string, readonly string[]>,
  options: LabelledOptions = {},
): LabelHit[] {
  if (labels.size === 0) return [];
  const re = labelRegex(labels.keys());
  const stop = options.stop ?? DEFAULT_STOP;
  const maxLines = options.maxLines ?? 30;
  const lines = text.split('\n');
  const perLine = lines.map((line) => {
    const hits: { label: string; start: number; end: number }[] = [];
    for (const m of line.matchAll(re)) {
      const label = m[1]!;
      const sep = m[2] ?? '';
      const before = m.index > 0 ? line[m.index - 1]! : '';
      const colon = /[:：】\]]/.test(sep);
      // Short labels ("回复", "依据") and labels without a colon need a boundary before them.
      if ((!colon || label.length <= 2) && before && WORD_CHAR.test(before)) continue;
      hits.push({ label, start: m.index, end: m.index + m[0].length });
    }
    return hits;
  });
  const startsWithLabel = (i: number): boolean => {
    const first = perLine[i]?.[0];
    if (!first) return false;
    return /^[\s\u3000]*(?:[（(]?[一二三四五六七八九十\d]{1,3}[、）).．]\s*)?[【[]?$/.test(
      lines[i]!.slice(0, first.start),
    );
  };
  const out: LabelHit[] = [];
  perLine.forEach((hits, i) => {
    hits.forEach((h, n) => {
      const next = hits[n + 1];
      const line = lines[i]!;
      let value = clean(line.slice(h.end, next ? next.start : line.length));
      const keys = labels.get(h.label) ?? [];
      if (!value && !next) {
        const many = keys.some((k) => options.multiline?.has(k));
        const below: string[] = [];
        for (let j = i + 1; j < lines.length && below.length < (many ? maxLines : 1); j++) {
          const l = lines[j]!.trim();
          if (!l) continue;
          if (startsWithLabel(j) || stop.test(l) || NUMBERED_HEADING.test(l)) break;
          below.push(l);
        }
        value = clean(below.join('\n'));
      }
      out.push({ label: h.label, keys: [...keys], value, line: i, column: n });
    });
  });
  return out;
}

// ---------------------------------------------------------------- messages

/** The four items every published message shows (廉江 rule; 指引 受理反馈). */
export type MessageField = 'asked' | 'replied' | 'replyUnit' | 'replyText';
export const MESSAGE_FIELDS: readonly MessageField[] = ['asked', 'replied', 'replyUnit', 'replyText'];
export const MESSAGE_FIELD_TITLES: Record<MessageField, string> = {
  asked: '留言时间',
  replied: '答复时间',
  replyUnit: '答复单位',
  replyText: '答复内容',
};

export interface MessageLabels {
  asked: string[];
  replied: string[];
  replyUnit: string[];
  replyText: string[];
  status: string[];
  title: string[];
  question: string[];
  /** Status words of an answered message (已回复 …). */
  answered: string[];
  /** Status words of a message still waiting (未回复, 办理中 …); checked before `answered`. */
  pending: string[];
}

export const DEFAULT_MESSAGE_LABELS: MessageLabels = {
  asked: [
    '留言时间',
    '留言日期',
    '来信时间',
    '来信日期',
    '提问时间',
    '提问日期',
    '咨询时间',
    '咨询日期',
    '写信时间',
    '提交时间',
    '投诉时间',
  ],
  replied: ['答复时间', '答复日期', '回复时间', '回复日期', '办结时间', '办结日期', '反馈时间'],
  replyUnit: [
    '答复单位',
    '回复单位',
    '答复部门',
    '回复部门',
    '答复机构',
    '回复机构',
    '办理单位',
    '办理部门',
    '处理单位',
    '处理部门',
  ],
  replyText: [
    '答复内容',
    '回复内容',
    '答复意见',
    '回复意见',
    '办理结果',
    '处理结果',
    '办理意见',
    '处理意见',
    '答复',
    '回复',
  ],
  status: ['办理状态', '回复状态', '答复状态', '处理状态', '当前状态', '状态'],
  title: ['留言标题', '来信标题', '信件标题', '留言主题', '咨询主题', '标题', '主题'],
  question: ['留言内容', '来信内容', '咨询内容', '信件内容', '问题描述', '留言正文'],
  answered: ['已回复', '已答复', '已办结', '已处理', '已办理', '已反馈', '办结'],
  pending: [
    '未回复',
    '未答复',
    '待回复',
    '待答复',
    '办理中',
    '处理中',
    '受理中',
    '未办结',
    '待处理',
    '未处理',
    '正在办理',
  ],
};

type LabelKey = 'asked' | 'replied' | 'replyUnit' | 'replyText' | 'status' | 'title' | 'question';
const LABEL_KEYS: readonly LabelKey[] = [
  'asked',
  'replied',
  'replyUnit',
  'replyText',
  'status',
  'title',
  'question',
];
/** Extra list-table header words that are no field of ours but mark a header row. */
const HEADER_WORDS =
  /^(序号|编号|信件编号|留言编号|留言人|来信人|提问人|咨询人|类别|类型|信件类型|受理单位|办理单位|浏览|浏览次数|点击|点击数)$/;

export interface Message {
  title: string;
  /** The message's own page, or the list page when its row links nowhere. */
  url: string;
  /** 'detail': read from the message's page; 'list': from a row of a list. */
  source: 'detail' | 'list';
  /** Field → value as shown ('' when shown empty); a field absent here is not shown at all. */
  fields: Partial<Record<MessageField, string>>;
  askedAt?: string;
  repliedAt?: string;
  /** From the status text, when the page shows one. */
  status?: 'answered' | 'pending';
  statusText?: string;
}

export interface PageMessages {
  /** The message this page is the detail page of. */
  detail?: Message;
  /** Messages listed on this page (list tables and list lines). */
  rows: Message[];
}

function labelMap(labels: MessageLabels): Map<string, LabelKey[]> {
  const map = new Map<string, LabelKey[]>();
  for (const key of LABEL_KEYS) for (const l of labels[key]) map.set(l, [...(map.get(l) ?? []), key]);
  return map;
}

function statusOf(text: string | undefined, labels: MessageLabels): Message['status'] {
  if (!text) return undefined;
  if (labels.pending.some((w) => text.includes(w))) return 'pending';
  if (labels.answered.some((w) => text.includes(w))) return 'answered';
  return undefined;
}

function build(
  title: string,
  url: string,
  source: Message['source'],
  values: Partial<Record<LabelKey, string>>,
  labels: MessageLabels,
): Message {
  const fields: Message['fields'] = {};
  for (const f of MESSAGE_FIELDS) if (values[f] !== undefined) fields[f] = values[f];
  const askedAt = firstDate(values.asked);
  const repliedAt = firstDate(values.replied);
  const status = statusOf(values.status, labels);
  return {
    title,
    url,
    source,
    fields,
    ...(askedAt ? { askedAt } : {}),
    ...(repliedAt ? { repliedAt } : {}),
    ...(status ? { status } : {}),
    ...(values.status ? { statusText: values.status } : {}),
  };
}

const norm = (s: string) => s.replace(/[\s\u3000:：]/g, '');

/** Rows of list tables whose header names 留言时间 and 答复时间 or 状态 (标题|留言时间|答复时间|状态). */
function tableRows(page: PageFacts, labels: MessageLabels, map: Map<string, LabelKey[]>): Message[] {
  const out: Message[] = [];
  for (const table of page.tables) {
    const h = table.findIndex((r) => {
      const keys = r.cells.map((c) => map.get(norm(c))?.[0]);
      return (
        keys.includes('asked') &&
        (keys.includes('replied') || keys.includes('status')) &&
        r.cells.every((c) => !c || map.has(norm(c)) || HEADER_WORDS.test(norm(c)) || norm(c).length <= 6) &&
        !r.cells.some((c) => findDates(c).length)
      );
    });
    if (h < 0) continue;
    const header = table[h]!.cells.map((c) => map.get(norm(c))?.[0]);
    for (const row of table.slice(h + 1)) {
      const values: Partial<Record<LabelKey, string>> = {};
      header.forEach((key, i) => {
        if (key && values[key] === undefined) values[key] = (row.cells[i] ?? '').trim();
      });
      if (!firstDate(values.asked)) continue;
      const link = rowLink(row, values.title);
      const title = values.title || link?.anchor || longest(row.cells);
      out.push(build(title, link?.url ?? page.url, 'list', values, labels));
    }
  }
  return out;
}

function rowLink(row: TableRow, title: string | undefined) {
  return (
    (title ? row.links.find((l) => l.anchor && title.includes(l.anchor)) : undefined) ??
    row.links.find((l) => l.anchor.length >= 2)
  );
}

function longest(cells: string[]): string {
  return [...cells].sort((a, b) => b.length - a.length)[0] ?? '';
}

/**
 * Messages of one page: the list rows it shows and, when it is a message's own page, that message.
 * A detail page shows 留言时间 with at least one reply-side item (答复时间, 答复单位, 答复内容, 状态)
 * or the question's text; a list shows one message per table row or per line.
 */
export function readMessages(page: PageFacts, labels: MessageLabels = DEFAULT_MESSAGE_LABELS): PageMessages {
  const map = labelMap(labels);
  const rows = tableRows(page, labels, map);
  const hits = readLabelled(page.text, map, { multiline: new Set(['replyText', 'question']) });

  // List lines: one line holding 留言时间 with 答复时间 or 状态, and the title of a link.
  const lines = page.text.split('\n');
  const byLine = new Map<number, LabelHit[]>();
  for (const h of hits) byLine.set(h.line, [...(byLine.get(h.line) ?? []), h]);
  const lineRows = new Set<number>();
  for (const [i, lineHits] of byLine) {
    const keys = new Set(lineHits.flatMap((h) => h.keys));
    if (!keys.has('asked') || !(keys.has('replied') || keys.has('status'))) continue;
    const line = lines[i]!;
    const link = page.links.find(
      (l) => l.anchor.length >= 4 && l.url !== page.url && line.startsWith(l.anchor),
    );
    if (!link) continue;
    lineRows.add(i);
    const values: Partial<Record<LabelKey, string>> = {};
    for (const h of lineHits) for (const k of h.keys as LabelKey[]) values[k] ??= h.value;
    rows.push(build(link.anchor, link.url, 'list', values, labels));
  }

  const detailHits = hits.filter((h) => !lineRows.has(h.line));
  const values: Partial<Record<LabelKey, string>> = {};
  for (const key of LABEL_KEYS) {
    const mine = detailHits.filter((h) => h.keys.includes(key));
    const v = mine.find((h) => h.value) ?? mine[0];
    if (v) values[key] = v.value;
  }
  const isDetail =
    rows.length === 0 &&
    values.asked !== undefined &&
    (['replied', 'replyUnit', 'replyText', 'status', 'question'] as const).some(
      (k) => values[k] !== undefined,
    );
  if (!isDetail) return { rows };
  const title =
    values.title || page.meta.articletitle || page.title.split(/\s*[_|｜]\s*|\s+-\s+/)[0] || page.title;
  return { detail: build(title, page.url, 'detail', values, labels), rows };
}
