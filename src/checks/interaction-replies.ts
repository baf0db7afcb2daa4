import { z } from 'zod';
import { defineCheck, pageNotes, type CheckFinding } from './defineCheck.js';
import type { PageFacts } from '../extract/htmlPage.js';
import type { PageSummary, UnitEvidence } from '../extract/unitEvidence.js';
import {
  DEFAULT_MESSAGE_LABELS,
  MESSAGE_FIELDS,
  MESSAGE_FIELD_TITLES,
  readMessages,
  type Message,
  type PageMessages,
  type MessageField,
} from '../extract/messages.js';
import type { WorkdayCalendar } from '../workdays/calendar.js';

const words = z.array(z.string().min(1));

const options = z
  .object({
    /** Names of 政务咨询类 columns and entries (领导信箱, 网上咨询 …). */
    channelWords: words.min(1),
    /** Columns that are no consultation channel in V5 (在线访谈, 调查征集, 网上信访, 纪检举报). */
    excludeWords: words,
    /**
     * Levels whose V5 channel may be the portal's: a 部门 or 乡镇 column of a 集约化 portal, or a unit
     * whose parent runs 互动 centrally, meets the rule when that portal has a working channel.
     */
    inheritChannelLevels: words.default(['部门', '乡镇街道', '乡镇', '街道']),
    /** Labels the parser reads (留言时间, 答复时间 …), by field. */
    labels: z
      .object({
        asked: words.min(1),
        replied: words.min(1),
        replyUnit: words.min(1),
        replyText: words.min(1),
        status: words,
        title: words,
        question: words,
        answered: words,
        pending: words,
      })
      .strict()
      .default(DEFAULT_MESSAGE_LABELS),
    /** A reply later than this many working days is late (warn). */
    maxReplyWorkdays: z.number().int().positive().default(5),
    /** V5(b): a message unanswered for more than this many months… */
    maxUnansweredMonths: z.number().int().positive().default(3),
    /** …asked within this many months before the inspection date. */
    windowMonths: z.number().int().positive().default(12),
    /** Example URLs listed in an aggregated finding. */
    examples: z.number().int().positive().default(3),
  })
  .strict();

type Options = z.output<typeof options>;

/** ISO date `months` calendar months after `iso` (negative: before), clamped to the month's end. */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

type Verdict = 'channel' | 'excluded' | undefined;

function verdict(name: string | undefined, o: Options): Verdict {
  if (!name) return undefined;
  if (o.excludeWords.some((w) => name.includes(w))) return 'excluded';
  if (o.channelWords.some((w) => name.includes(w))) return 'channel';
  return undefined;
}

/** Whether a page belongs to a consultation column: its most specific column name decides. */
function pageVerdict(p: PageSummary, o: Options): Verdict {
  const names = [p.columnName, ...[...p.breadcrumb.slice(1)].reverse()];
  if (!p.isArticle) names.push(p.title.split(/\s*[_|｜]\s*|\s+-\s+/)[0]);
  for (const n of names) {
    const v = verdict(n, o);
    if (v) return v;
  }
  return undefined;
}

function ok(e: UnitEvidence, url: string): boolean | undefined {
  const r = e.resourceByUrl.get(url);
  if (!r) return undefined;
  return ((r.status >= 200 && r.status < 300) || r.status === 304) && !r.errorKind;
}

function failure(e: UnitEvidence, url: string): string {
  const r = e.resourceByUrl.get(url);
  return r ? (r.errorKind ?? `HTTP ${r.status}`) : '未抓取';
}

interface Located extends Message {
  column: string;
}

/** What is kept of a page's text, tables and links: the messages it shows and its links to channels. */
interface PageNote {
  messages?: PageMessages;
  /** [url, link text] of links whose text names a consultation channel, in page order. */
  channels?: [string, string][];
}

const NO_MESSAGES: PageMessages = { rows: [] };

function pageNote(p: PageFacts, o: Options, intern: (s: string) => string): PageNote | undefined {
  const found = readMessages(p, o.labels);
  const channels = p.links
    .filter((l) => verdict(l.anchor, o) === 'channel' && l.anchor.length <= 12)
    .map((l): [string, string] => [intern(l.url), intern(l.anchor)]);
  const messages = found.detail || found.rows.length ? found : undefined;
  if (!messages && !channels.length) return undefined;
  return { ...(messages ? { messages } : {}), ...(channels.length ? { channels } : {}) };
}

/** Every message the unit's pages show; a list row and its own page are one message (the page wins). */
function collectMessages(
  e: UnitEvidence,
  o: Options,
  notes: ReadonlyMap<string, PageNote>,
): { messages: Located[]; pages: PageSummary[] } {
  const byUrl = new Map<string, Located>();
  const rowsOnly: Located[] = [];
  const pages: PageSummary[] = [];
  for (const p of e.pages) {
    const v = e.homeUrls.has(p.url) ? undefined : pageVerdict(p, o);
    if (v === 'excluded') continue;
    const found = notes.get(p.url)?.messages ?? NO_MESSAGES;
    if (v === 'channel' || found.detail || found.rows.length) pages.push(p);
    const column = p.columnName ?? p.breadcrumb[p.breadcrumb.length - 1] ?? p.title;
    if (found.detail) {
      const row = byUrl.get(p.url);
      byUrl.set(p.url, {
        ...found.detail,
        askedAt: found.detail.askedAt ?? row?.askedAt,
        repliedAt: found.detail.repliedAt ?? row?.repliedAt,
        status: found.detail.status ?? row?.status,
        column: row?.column ?? column,
      } as Located);
    }
    for (const r of found.rows) {
      const listed: Located = { ...r, column };
      if (r.url === p.url) rowsOnly.push(listed);
      else if (!byUrl.has(r.url)) byUrl.set(r.url, listed);
      else {
        const detail = byUrl.get(r.url)!;
        detail.askedAt ??= r.askedAt;
        detail.repliedAt ??= r.repliedAt;
        detail.status ??= r.status;
        detail.column = column;
      }
    }
  }
  return { messages: [...byUrl.values(), ...rowsOnly], pages };
}

function isAnswered(m: Message): boolean | undefined {
  if (m.status) return m.status === 'answered';
  if (m.repliedAt || m.fields.replyText) return true;
  if (m.fields.replied !== undefined || m.fields.replyText !== undefined) return false;
  // A message page that shows no reply at all is, to its readers, unanswered.
  return m.source === 'detail' ? false : undefined;
}

function calendarNote(cal: WorkdayCalendar, ...dates: string[]): string {
  const years = new Set(dates.map((d) => d.slice(0, 4)));
  const notes = [...cal.warnings].filter((w) => years.has(w.slice(0, 4)));
  return notes.length ? `（${notes.join('；')}）` : '';
}

function channelFindings(
  e: UnitEvidence,
  o: Options,
  pages: PageSummary[],
  messages: Located[],
  notes: ReadonlyMap<string, PageNote>,
): CheckFinding[] {
  const home = e.pages.find((p) => e.homeUrls.has(p.url));
  const entries = new Map<string, string>();
  for (const p of e.pages)
    for (const [url, anchor] of notes.get(p.url)?.channels ?? [])
      if (!entries.has(url)) entries.set(url, anchor);
  const url = home?.url ?? e.unit.startUrls[0] ?? '';
  const working = [...entries.keys()].filter((u) => ok(e, u) !== false);
  if (!pages.length && !messages.length) {
    if (!entries.size) {
      if (!home) return [];
      return [
        {
          outcome: 'fail',
          kind: 'no-channel',
          message: '未找到政务咨询类互动渠道（领导信箱、网上咨询、留言板等）',
          url,
          location: `已检查 ${e.pages.length} 个页面`,
          evidence: `页面中未见${o.channelWords.slice(0, 4).join('、')}等栏目或入口（${o.excludeWords.slice(0, 4).join('、')}等不计）`,
        },
      ];
    }
    if (!working.length)
      return [
        {
          outcome: 'fail',
          kind: 'no-channel',
          message: '政务咨询类互动渠道无法访问',
          url: [...entries.keys()][0]!,
          location: `入口：${[...entries.values()][0]}`,
          evidence: [...entries]
            .slice(0, o.examples)
            .map(([u, a]) => `「${a}」${u}（${failure(e, u)}）`)
            .join('；'),
        },
      ];
    return [
      {
        outcome: 'needs-review',
        kind: 'not-checked',
        message: '互动渠道的留言未能抓取，未核查答复情况',
        url: working[0]!,
        location: `入口：${entries.get(working[0]!)}`,
        evidence: `入口页面${ok(e, working[0]!) === undefined ? '不在本站抓取范围内' : '没有可读取的留言'}，请人工核查留言答复情况`,
      },
    ];
  }
  if (!messages.length)
    return [
      {
        outcome: 'needs-review',
        kind: 'no-messages',
        message: '互动栏目未公开任何留言及答复，未能核查答复情况',
        url: pages[0]!.url,
        location: `栏目「${pages[0]!.columnName ?? pages[0]!.title}」`,
        evidence: `共 ${pages.length} 个互动栏目页面，未读到留言时间、答复时间等信息`,
      },
    ];
  return [];
}

function missingFieldFindings(messages: Located[], o: Options): CheckFinding[] {
  const groups = new Map<string, { column: string; missing: MessageField[]; list: Located[] }>();
  for (const m of messages) {
    if (m.source !== 'detail') continue;
    const answered = isAnswered(m);
    const expected = answered ? MESSAGE_FIELDS : (['asked'] as const);
    const missing = expected.filter((f) => !m.fields[f]?.trim());
    if (!missing.length) continue;
    const key = `${m.column}|${missing.join(',')}`;
    const g = groups.get(key) ?? { column: m.column, missing: [...missing], list: [] };
    g.list.push(m);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => {
    const names = g.missing.map((f) => MESSAGE_FIELD_TITLES[f]).join('、');
    const shown = (f: MessageField) => (g.list[0]!.fields[f] === undefined ? '未显示' : '为空');
    return {
      outcome: 'fail' as const,
      kind: 'missing-field',
      message: `栏目「${g.column}」${g.list.length} 条留言未完整公开：缺少${names}`,
      url: g.list[0]!.url,
      location: `栏目「${g.column}」`,
      evidence: `${g.missing.map((f) => `${MESSAGE_FIELD_TITLES[f]}${shown(f)}`).join('，')}；例：${g.list
        .slice(0, o.examples)
        .map((m) => `「${m.title}」${m.url}`)
        .join('；')}`,
    };
  });
}

function dateFindings(messages: Located[], o: Options, today: string, cal: WorkdayCalendar): CheckFinding[] {
  const out: CheckFinding[] = [];
  const since = addMonths(today, -o.windowMonths);
  for (const m of messages) {
    const asked = m.askedAt;
    if (!asked || asked < since || asked > today) continue;
    const answered = isAnswered(m);
    if (answered === undefined) continue;
    const deadline = addMonths(asked, o.maxUnansweredMonths);
    const base = { url: m.url, location: `栏目「${m.column}」留言「${m.title}」` };
    if (answered && m.repliedAt) {
      if (m.repliedAt < asked) continue;
      const days = cal.countWorkdays(asked, m.repliedAt);
      const evidence = `留言时间 ${asked}，答复时间 ${m.repliedAt}（${days} 个工作日）${calendarNote(cal, asked, m.repliedAt)}`;
      const f = judgeDelay(m.repliedAt > deadline, days, o, evidence, {
        unanswered: `留言超过 ${o.maxUnansweredMonths} 个月才答复`,
        late: `留言答复用时 ${days} 个工作日（超过 ${o.maxReplyWorkdays} 个工作日）`,
      });
      if (f) out.push({ ...base, ...f });
    } else if (!answered) {
      const days = cal.countWorkdays(asked, today);
      const evidence = `留言时间 ${asked}，至检查日 ${today} 未见答复（${days} 个工作日）${m.statusText ? `，状态「${m.statusText}」` : ''}${calendarNote(cal, asked, today)}`;
      const f = judgeDelay(today > deadline, days, o, evidence, {
        unanswered: `留言超过 ${o.maxUnansweredMonths} 个月未答复`,
        late: `留言已 ${days} 个工作日未答复（超过 ${o.maxReplyWorkdays} 个工作日）`,
      });
      if (f) out.push({ ...base, ...f });
    }
  }
  return out;
}

/** Past the unanswered limit → veto-counted fail; otherwise past the reply limit → warning. */
function judgeDelay(
  pastLimit: boolean,
  workdays: number,
  o: { maxReplyWorkdays: number },
  evidence: string,
  messages: { unanswered: string; late: string },
): Omit<CheckFinding, 'url' | 'location'> | undefined {
  if (pastLimit) return { outcome: 'fail', kind: 'unanswered', message: messages.unanswered, evidence };
  if (workdays > o.maxReplyWorkdays)
    return { outcome: 'warn', kind: 'late', message: messages.late, evidence };
  return undefined;
}

export const interactionReplies = defineCheck({
  id: 'interaction-replies',
  title: '互动回应情况',
  failureTitle: '互动回应差',
  category: 'interaction',
  options,
  page: (page, { options: o }, step) => pageNote(page, o, step.intern),
  run(e, { options: o, inspectionDate, calendar }, notes) {
    const noted = pageNotes('interaction-replies', notes);
    const { messages, pages } = collectMessages(e, o, noted);
    const channel = channelFindings(e, o, pages, messages, noted);
    const inherited =
      o.inheritChannelLevels.includes(e.unit.level) &&
      e.cross.portal?.hasChannel === true &&
      channel.every((f) => f.kind === 'no-channel');
    return [
      ...(inherited ? [] : channel),
      ...dateFindings(messages, o, inspectionDate, calendar),
      ...missingFieldFindings(messages, o),
    ];
  },
});
