import { z } from 'zod';
import { defineCheck, pageNotes, type CheckFinding, type PageStep } from './defineCheck.js';
import type { PageFacts } from '../extract/htmlPage.js';
import type { PageSummary } from '../extract/unitEvidence.js';

const options = z
  .object({
    /** 泉鲤政办〔2020〕27号: 解读 within 3 working days of the document. */
    limitWorkdays: z.number().int().min(0).default(3),
    /** Title or column words that make a page a 政策解读. */
    interpretationPattern: z.string().min(1).default('解读|图解|一图读懂|答记者问'),
    /** What marks a 规范性文件: its 文号 (…规〔2024〕3号) or its column. */
    normativeNumberPattern: z.string().min(1).default('规〔\\d{4}〕\\d+号|规字〔\\d{4}〕'),
    normativeColumnPattern: z.string().min(1).default('规范性文件'),
  })
  .strict();
type Options = z.output<typeof options>;

const DOC_NUMBER = /[\u4e00-\u9fa5]{1,12}[〔[（(]\s*\d{4}\s*[〕\]）)]\s*\d+\s*号/;
const QUOTED = /《([^》]{4,})》/g;

function squeeze(s: string): string {
  return s.replace(/[\s\u3000《》“”"'（）()、，,。:：]/g, '');
}

/** The page text's head, where a document prints its 文号. */
function docNumberOf(page: PageFacts): string | undefined {
  return DOC_NUMBER.exec(page.title)?.[0] ?? DOC_NUMBER.exec(page.text.slice(0, 600))?.[0];
}

/** The document's own title: the article title the page declares, not the browser title with the site name. */
function docTitle(page: PageSummary): string {
  return page.meta['articletitle'] || page.title.replace(/[_|｜—-][^_|｜—-]*$/, '') || page.url;
}

function isDocument(page: PageSummary, note: PageNote, interp: RegExp): boolean {
  if (interp.test(page.title)) return false;
  return (
    !!page.pubDate && (!!note.docNumber || /^关于|通知$|办法$|规定$|意见$|细则$|方案$/.test(docTitle(page)))
  );
}

const inColumnOf = (p: PageSummary, interp: RegExp) =>
  interp.test(p.columnName ?? '') || p.breadcrumb.some((b) => /政策解读/.test(b));

/** What is kept of a dated article's text and links (other pages are neither 解读 nor document). */
interface PageNote {
  docNumber?: string;
  /** Titles it quotes 《…》 in its title and the head of its text, squeezed (解读 pages only). */
  quoted: readonly string[];
  /** Its links to stored resources, in page order (a linked document or 解读 is one of them). */
  links: string[];
  /** One of its link texts names a 解读. */
  linksInterpretation: boolean;
}

/** Most articles quote nothing: one shared empty list rather than one each. */
const NONE: readonly string[] = Object.freeze([]);

function pageNote(page: PageFacts, o: Options, step: PageStep): PageNote | undefined {
  if (!page.isArticle || !page.pubDate) return undefined;
  const interp = new RegExp(o.interpretationPattern);
  const quoted =
    interp.test(page.title) || inColumnOf(page, interp)
      ? [...page.title.matchAll(QUOTED), ...page.text.slice(0, 400).matchAll(QUOTED)].map((m) =>
          squeeze(m[1]!),
        )
      : NONE;
  const docNumber = docNumberOf(page);
  return {
    ...(docNumber ? { docNumber: step.intern(docNumber) } : {}),
    quoted,
    links: page.links.flatMap((l) => {
      const r = step.resource(l.url);
      return r ? [r.url] : [];
    }),
    linksInterpretation: page.links.some((l) => interp.test(l.anchor)),
  };
}

/**
 * 政策解读: each 解读 is published within 3 working days of the document it interprets and the two
 * link to each other (泉鲤政办〔2020〕27号, “附上被解读文件链接”); a 解读 whose document cannot be
 * found, and a 规范性文件 without any 解读, are listed for the unit to complete.
 */
export const policyInterpretation = defineCheck({
  id: 'policy-interpretation',
  title: '政策解读',
  failureTitle: '政策解读不及时或未与文件关联',
  category: 'disclosure',
  options,
  page: (page, { options: o }, step) => pageNote(page, o, step),
  run(e, { options: o, calendar }, notes) {
    const noted = pageNotes('policy-interpretation', notes);
    const note = (p: PageSummary) => noted.get(p.url)!;
    const interp = new RegExp(o.interpretationPattern);
    const inColumn = (p: PageSummary) => inColumnOf(p, interp);
    // Every dated article has a note: the pages either list could hold.
    const articles = e.pages.filter((p) => p.isArticle && !!p.pubDate && noted.has(p.url));
    const interpretations = articles.filter((p) => interp.test(p.title) || inColumn(p));
    const documents = articles.filter((p) => !inColumn(p) && isDocument(p, note(p), interp));
    const isDoc = new Set(documents);
    const findings: CheckFinding[] = [];
    const interpreted = new Set<string>();
    for (const ip of interpretations) {
      const linked = note(ip)
        .links.map((url) => e.pageByUrl.get(url))
        .find((p) => p && isDoc.has(p));
      const quoted = note(ip).quoted;
      const byTitle = documents.find((d) => quoted.some((q) => squeeze(d.title).includes(q)));
      const doc = linked ?? byTitle;
      const base = { url: ip.url, location: docTitle(ip) };
      if (!doc) {
        findings.push({
          ...base,
          outcome: 'warn',
          kind: 'no-document',
          message: '政策解读未附被解读文件链接，网站上也未找到对应文件',
          evidence: quoted.length ? `解读所称文件：《${quoted[0]}》` : '解读正文未写明被解读文件',
        });
        continue;
      }
      interpreted.add(doc.url);
      const back = note(doc).linksInterpretation || note(doc).links.includes(ip.url);
      const missing = [linked ? '' : '解读页面未链接被解读文件', back ? '' : '文件页面未链接解读'].filter(
        Boolean,
      );
      if (missing.length)
        findings.push({
          ...base,
          outcome: 'fail',
          kind: 'unlinked',
          message: `政策解读与文件未相互关联：${missing.join('，')}`,
          evidence: `被解读文件：${docTitle(doc)}（${doc.url}）`,
        });
      const docDate = doc.pubDate!.date;
      const ipDate = ip.pubDate!.date;
      if (ipDate > docDate) {
        const days = calendar.countWorkdays(docDate, ipDate);
        if (days > o.limitWorkdays)
          findings.push({
            ...base,
            outcome: 'fail',
            kind: 'late',
            message: `政策解读在文件发布后第 ${days} 个工作日才发布（应在 ${o.limitWorkdays} 个工作日内）`,
            evidence: `文件「${docTitle(doc)}」发布于 ${docDate}，解读发布于 ${ipDate}`,
          });
      }
    }
    const normNumber = new RegExp(o.normativeNumberPattern);
    const normColumn = new RegExp(o.normativeColumnPattern);
    for (const doc of documents) {
      if (interpreted.has(doc.url)) continue;
      const number = note(doc).docNumber;
      const normative = (number && normNumber.test(number)) || normColumn.test(doc.columnName ?? '');
      // A document may point at a 解读 published elsewhere (the portal's 政策解读 column).
      if (!normative || note(doc).linksInterpretation) continue;
      findings.push({
        outcome: 'fail',
        kind: 'missing',
        message: '规范性文件未发布政策解读',
        url: doc.url,
        location: docTitle(doc),
        evidence: `${number ?? '规范性文件'}，发布于 ${doc.pubDate!.date}；网站上未找到对应解读`,
      });
    }
    return findings;
  },
});
