import { z } from 'zod';
import { defineCheck, pageNotes, type CheckFinding, type PageStep } from './defineCheck.js';
import { isColumnPage } from '../extract/columns.js';
import { readGuideElements, type GuideElements } from '../extract/guideElements.js';
import type { PageFacts } from '../extract/htmlPage.js';
import type { PageSummary, UnitEvidence } from '../extract/unitEvidence.js';

const element = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    labels: z.array(z.string().min(1)).min(1),
    /** 事项名称: the guide's own heading ("特困人员救助供养办事指南") names the 事项. */
    fromTitle: z.boolean().default(false),
  })
  .strict();

const options = z
  .object({
    /** A page whose heading or column names one of these is a 办事指南. */
    guideWords: z.array(z.string().min(1)).min(1),
    /** …unless it also names one of these (政府信息公开指南 is no 办事指南). */
    excludeWords: z.array(z.string().min(1)).default([]),
    /** A page of another name showing this many elements is a 办事指南 too. */
    minElementsForGuide: z.number().int().positive().default(5),
    elements: z.array(element).min(1),
    /** Values that do not count as content ("/", "暂无" …). */
    emptyValues: z.array(z.string()).default([]),
    /** Unit levels whose site is a 门户网站 and so must offer 办事服务 itself (veto V6 a). */
    portalLevels: z.array(z.string()).default([]),
    /** Short link texts that are an entry to 办事服务 (often the provincial 政务服务网). */
    serviceEntryWords: z.array(z.string().min(1)).default([]),
    serviceEntryMaxLength: z.number().int().positive().default(10),
  })
  .strict();

type Options = z.output<typeof options>;

function heading(p: PageSummary): string {
  return (p.meta.articletitle || p.title.split(/\s*[_|｜]\s*|\s+-\s+/)[0] || p.title).trim();
}

const names = (p: PageSummary) => [heading(p), p.columnName ?? '', ...p.breadcrumb.slice(1)];

function attachmentsOf(e: UnitEvidence, linked: Set<string>): { url: string; text: string }[] {
  return e.attachments
    .filter((a) => linked.has(a.url))
    .map((a) => ({ url: a.url, text: a.segments.map((s) => s.text).join('\n') }));
}

function namedGuide(p: PageSummary, o: Options): boolean {
  return names(p).some(
    (n) => o.guideWords.some((w) => n.includes(w)) && !o.excludeWords.some((w) => n.includes(w)),
  );
}

/** The 事项 a guide heading names: "特困人员救助供养办事指南" → "特困人员救助供养". */
function itemName(title: string, o: Options): string {
  let t = title;
  for (const w of o.guideWords) t = t.split(w).join('');
  return t
    .replace(/[\s\u3000\p{P}]/gu, '')
    .replace(/^关于/, '')
    .replace(/的$/, '');
}

/**
 * What is kept of a page that is, or may turn out to be, a 办事指南: the elements its text shows,
 * the attachments it links to (named guides only) and, when those may complete it, its text.
 */
interface PageNote {
  found: GuideElements;
  attachments: string[];
  text?: string;
}

function pageNote(p: PageFacts, o: Options, step: PageStep): PageNote | undefined {
  const named = namedGuide(p, o);
  const found = readGuideElements(p.text, o.elements, o.emptyValues);
  if (!named && found.present.length < o.minElementsForGuide) return undefined;
  const attachments = named
    ? p.links.flatMap((l) => (step.resource(l.url)?.kind === 'attachment' ? [l.url] : []))
    : [];
  const completes = attachments.length > 0 && found.present.length < o.elements.length;
  return { found, attachments, ...(completes ? { text: p.text } : {}) };
}

export const serviceGuideElements = defineCheck({
  id: 'service-guide-elements',
  title: '办事指南要素',
  failureTitle: '办事指南要素缺失',
  category: 'disclosure',
  options,
  page: (page, { options: o }, step) => pageNote(page, o, step),
  run(e, { options: o }, notes) {
    const guides = guideFindings(e, o, pageNotes('service-guide-elements', notes));
    const noService = guides.found ? undefined : noServiceFinding(e, o);
    return noService ? [...guides.findings, noService] : guides.findings;
  },
});

/**
 * V6 (a) 服务不实用: a 门户网站 with no 办事服务 at all — no 办事指南 crawled and no link whose
 * short text is a service entry (政务服务, 网上办事 … usually pointing at the provincial platform).
 */
function noServiceFinding(e: UnitEvidence, o: Options): CheckFinding | undefined {
  if (!o.portalLevels.includes(e.unit.level)) return undefined;
  for (const l of e.links)
    if (l.anchor.length <= o.serviceEntryMaxLength && o.serviceEntryWords.some((w) => l.anchor.includes(w)))
      return undefined;
  return {
    outcome: 'fail',
    kind: 'no-service',
    message: '门户网站未提供办事服务：未找到办事指南，也没有办事服务入口',
    url: e.unit.startUrls[0] ?? '',
    location: '全站（已抓取页面）',
    evidence: `已检查 ${e.pages.length} 个页面、${e.links.length} 个链接，未见「${o.serviceEntryWords.slice(0, 4).join('」「')}」等入口`,
  };
}

/** Every 办事指南 page of the unit, and a finding for each one missing elements. */
function guideFindings(
  e: UnitEvidence,
  o: Options,
  notes: ReadonlyMap<string, PageNote>,
): { found: boolean; findings: CheckFinding[] } {
  const out: CheckFinding[] = [];
  let anyGuide = false;
  for (const p of e.pages) {
    if (e.homeUrls.has(p.url) || e.catalogueUrls.has(p.url)) continue;
    // No note: not named a guide and too few elements to be one.
    const note = notes.get(p.url);
    if (!note) continue;
    const named = namedGuide(p, o);
    // A copy: the 事项名称 taken from the title is added to it below.
    let found = {
      present: [...note.found.present],
      absent: [...note.found.absent],
      empty: [...note.found.empty],
    };
    // "详见附件": a guide page may hold its guide in the attachments it links to.
    const attached = named ? attachmentsOf(e, new Set(note.attachments)) : [];
    if (attached.length && found.present.length < o.elements.length)
      found = readGuideElements(
        [note.text!, ...attached.map((a) => a.text)].join('\n'),
        o.elements,
        o.emptyValues,
      );
    // A column of guides lists them; the guides are its items.
    const isGuide =
      (named && (!isColumnPage(p) || found.present.length >= 2)) ||
      found.present.length >= o.minElementsForGuide;
    if (!isGuide) continue;
    anyGuide = true;
    const title = heading(p);
    for (const el of o.elements)
      if (el.fromTitle && !found.present.includes(el.id) && itemName(title, o)) {
        found.present.push(el.id);
        found.absent = found.absent.filter((id) => id !== el.id);
        found.empty = found.empty.filter((id) => id !== el.id);
      }
    const missing = o.elements.filter((el) => !found.present.includes(el.id));
    if (!missing.length) continue;
    const t = (id: string) => o.elements.find((el) => el.id === id)!.title;
    out.push({
      outcome: 'fail',
      kind: 'missing-elements',
      message: `办事指南「${title}」缺少 ${missing.length} 项要素：${missing.map((el) => el.title).join('、')}`,
      url: p.url,
      location: `${p.columnName ? `栏目「${p.columnName}」` : '办事指南页面'}${attached.length ? `（含附件 ${attached.length} 个）` : ''}`,
      evidence: [
        found.empty.length ? `有标题无内容：${found.empty.map(t).join('、')}` : '',
        found.absent.length ? `未列出：${found.absent.map(t).join('、')}` : '',
        `已有 ${found.present.length}/${o.elements.length} 项`,
      ]
        .filter(Boolean)
        .join('；'),
    });
  }
  return { found: anyGuide, findings: out };
}
