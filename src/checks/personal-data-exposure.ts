import { z } from 'zod';
import { defineCheck, pageNotes, type CheckFinding } from './defineCheck.js';
import { detectPersonalData } from '../pii/detect.js';
import { needsReview } from '../extract/attachmentText.js';
import type { PiiMatch } from '../pii/types.js';

const options = z
  .object({
    /** Matches below this confidence are not reported. */
    minConfidence: z.number().min(0).max(1).default(0),
    /** Attachment warnings that mean a person must look (scanned PDFs, unsupported formats). */
    reviewWarnings: z.boolean().default(true),
  })
  .strict();

const TYPE_TITLES: Record<string, string> = {
  'id-card': '身份证号',
  mobile: '手机号码',
  'bank-card': '银行卡号',
  address: '具体住址',
};

function toFinding(m: PiiMatch, url: string, location: string): CheckFinding {
  const what = TYPE_TITLES[m.type] ?? m.type;
  return {
    outcome: 'fail',
    kind: m.type,
    message: m.insufficient ? `${what}脱敏不充分` : `公开内容含未脱敏的${what}`,
    url,
    location,
    evidence: m.masked,
  };
}

/** One finding per distinct value per document: a roster repeats, the notice should not. */
function scan(
  segments: { location: string; text: string; context?: string }[],
  url: string,
  minConfidence: number,
): CheckFinding[] {
  const seen = new Set<string>();
  const out: CheckFinding[] = [];
  for (const seg of segments)
    for (const m of detectPersonalData(seg.text, seg.context ? { context: seg.context } : undefined)) {
      // The fingerprint tells apart values that mask alike (two households in one village).
      const key = `${m.type}:${m.fingerprint}:${m.insufficient}`;
      if (m.confidence < minConfidence || seen.has(key)) continue;
      seen.add(key);
      out.push(toFinding(m, url, seg.location));
    }
  return out;
}

export const personalDataExposure = defineCheck({
  id: 'personal-data-exposure',
  title: '个人信息保护',
  failureTitle: '公开内容含未脱敏的个人信息',
  category: 'privacy',
  options,
  // A page's findings are made while its text is at hand; only pages with findings keep a note.
  page(page, { options: o }) {
    const found = scan([{ location: '网页正文', text: page.text }], page.url, o.minConfidence);
    return found.length ? found : undefined;
  },
  run(e, { options: o }, notes) {
    const found = pageNotes('personal-data-exposure', notes);
    const findings: CheckFinding[] = [];
    for (const page of e.pages) findings.push(...(found.get(page.url) ?? []));
    for (const a of e.attachments) {
      findings.push(...scan(a.segments, a.url, o.minConfidence));
      if (!o.reviewWarnings) continue;
      for (const w of a.warnings.filter(needsReview))
        findings.push({
          outcome: 'needs-review',
          kind: 'review',
          message: `附件需人工复核：${w}`,
          url: a.url,
          location: '附件',
          evidence: w,
        });
    }
    return findings;
  },
});
