import { z } from 'zod';
import { defineCheck, type CheckFinding } from './defineCheck.js';
import type { UnitEvidence } from '../extract/unitEvidence.js';
import {
  disclosureOfEvidence,
  evidencePageOf,
  PART_TITLES,
  type DisclosurePart,
} from '../extract/disclosureColumn.js';
import { PART_ORDER } from '../extract/disclosureSignals.js';

const partId = z.enum(PART_ORDER as [string, ...string[]], {
  error: `应为 ${PART_ORDER.join('、')} 之一`,
});
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: '应为 YYYY-MM-DD，如 2019-05-15' });

const options = z
  .object({
    /**
     * Parts each unit level must have; the first entry naming the unit's level applies. A 部门
     * may rely on the portal's 制度 and 政策解读 columns; a 乡镇 has a 基层政务公开专栏 with its
     * 标准目录 (local practice, unverified).
     */
    requirements: z
      .array(z.object({ levels: z.array(z.string()).min(1), parts: z.array(partId) }).strict())
      .default([
        {
          levels: ['区县政府', '市政府', '县政府', '区政府'],
          parts: ['column', 'guide', 'rules', 'mandatory', 'annual-report', 'request', 'interpretation'],
        },
        { levels: ['部门'], parts: ['column', 'guide', 'mandatory', 'annual-report', 'request'] },
        {
          levels: ['乡镇街道', '乡镇', '街道'],
          parts: ['column', 'guide', 'mandatory', 'annual-report', 'request', 'catalogue'],
        },
      ]),
    /** Parts required of a level no entry names. */
    otherLevels: z.array(partId).default(['column', 'guide', 'annual-report', 'request']),
    /**
     * A part not found may still exist behind a script menu or an image link: a person confirms
     * it (`xuncha review confirm` makes it a 问题) unless this says fail.
     */
    missingOutcome: z.enum(['needs-review', 'fail']).default('needs-review'),
    /** The current 条例 took effect on 2019-05-15: a guide last dated before it predates it. */
    regulationDate: isoDate.default('2019-05-15'),
    /** A guide with no update for longer than this is a warning (条例第十二条: 及时更新). */
    guideMaxAgeDays: z.number().int().positive().default(365),
    /** Fetch outcomes of the 依申请公开 entry that are not failures of the site. */
    ignoreErrorKinds: z.array(z.string()).default(['robots', 'out-of-scope', 'too-large', 'blocked']),
  })
  .strict();

type Options = z.output<typeof options>;

function requiredParts(level: string, o: Options): string[] {
  return o.requirements.find((r) => r.levels.includes(level))?.parts ?? o.otherLevels;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

interface GuideDate {
  date: string;
  url: string;
  how: string;
}

/**
 * When the guide was last updated: the newest date among the guide pages found (their own
 * publication date, a listed guide document, else the column's newest item).
 */
function guideDate(guide: DisclosurePart, e: UnitEvidence): GuideDate | undefined {
  const pageOf = evidencePageOf(e);
  const dates: GuideDate[] = [];
  for (const hit of guide.hits) {
    const page = pageOf(hit.url);
    if (!page) continue;
    if (page.pubDate)
      dates.push({
        date: page.pubDate.date,
        url: page.url,
        how: `${page.pubDate.source}「${page.pubDate.raw ?? page.pubDate.date}」`,
      });
    const items = page.datedItems.filter((i) => i.date && /公开指南/.test(i.title));
    const listed = items.length ? items : page.listItems.filter((i) => i.date);
    for (const i of listed)
      dates.push({ date: i.date!, url: i.url ?? page.url, how: `${page.url} 列表条目「${i.title}」` });
  }
  return dates.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))[0];
}

function guideFindings(guide: DisclosurePart, e: UnitEvidence, o: Options, today: string): CheckFinding[] {
  const found = guideDate(guide, e);
  if (!found) return [];
  const base = { url: found.url, location: PART_TITLES.guide, evidence: `日期来源：${found.how}` };
  if (found.date < o.regulationDate)
    return [
      {
        ...base,
        outcome: 'fail',
        kind: 'outdated-guide',
        message: `政府信息公开指南最近更新于 ${found.date}，早于现行《政府信息公开条例》施行日期 ${o.regulationDate}`,
      },
    ];
  const age = daysBetween(found.date, today);
  if (age <= o.guideMaxAgeDays) return [];
  return [
    {
      ...base,
      outcome: 'warn',
      kind: 'stale-guide',
      message: `政府信息公开指南已 ${age} 天未更新（最近更新于 ${found.date}，超过 ${o.guideMaxAgeDays} 天）`,
    },
  ];
}

/** The 依申请公开 entry is dead when every fetched one failed (one working entry is a channel). */
function requestFindings(request: DisclosurePart, e: UnitEvidence, o: Options): CheckFinding[] {
  const judged = request.hits.flatMap((hit) => {
    const r = e.resourceByUrl.get(hit.url);
    return r && !(r.errorKind && o.ignoreErrorKinds.includes(r.errorKind)) ? [{ hit, r }] : [];
  });
  const dead = judged.filter((x) => x.r.errorKind);
  if (!dead.length || dead.length < judged.length) return [];
  const { hit, r } = dead[0]!;
  const reason = r.status >= 400 ? `HTTP ${r.status}` : (r.error ?? r.errorKind ?? '无法访问');
  return [
    {
      outcome: 'fail',
      kind: 'dead-request',
      message: `依申请公开入口无法访问（${reason}）`,
      url: hit.url,
      location: hit.from ? `链接所在页面：${hit.from}（链接文字「${hit.text}」）` : PART_TITLES.request,
      evidence: `${reason}，检测时间 ${r.fetchedAt.slice(0, 19).replace('T', ' ')}`,
    },
  ];
}

/**
 * 政府信息公开专栏: the parts each unit level must have (指南, 制度, 法定主动公开内容, 年报,
 * 依申请公开, 政策解读, 标准目录), found by link text, page title, URL pattern or the seed; a guide
 * older than the current 条例 or not updated for a year; a dead 依申请公开 entry.
 */
export const disclosureColumn = defineCheck({
  id: 'disclosure-column',
  title: '政府信息公开专栏',
  failureTitle: '政府信息公开专栏内容缺失或未更新',
  category: 'disclosure',
  options,
  run(e, { options: o, inspectionDate, catalogues }) {
    const parts = disclosureOfEvidence(
      e,
      catalogues.map((c) => c.domain),
    );
    const found = (id: string) => parts.filter((p) => p.part === id && p.hits.length);
    const column = found('column')[0]?.hits[0];
    const findings: CheckFinding[] = [];
    for (const id of requiredParts(e.unit.level, o)) {
      if (found(id).length) continue;
      const title = PART_TITLES[id as keyof typeof PART_TITLES];
      findings.push({
        outcome: o.missingOutcome,
        kind: `missing-${id}`,
        message: `未找到${title}`,
        url: column?.url ?? e.unit.startUrls[0] ?? '',
        location: column ? `${PART_TITLES.column}（${column.url}）` : '全站（已抓取页面）',
        evidence: `已查 ${e.pages.length} 个页面的链接文字、页面标题和网址，均未指向${title}${column ? '' : '；也未找到政府信息公开专栏入口'}`,
      });
    }
    const guide = found('guide')[0];
    if (guide) findings.push(...guideFindings(guide, e, o, inspectionDate));
    const request = found('request')[0];
    if (request) findings.push(...requestFindings(request, e, o));
    return findings;
  },
});
