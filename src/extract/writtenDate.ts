import { findDates } from './dates.js';
import type { PubDate } from './htmlPage.js';

/**
 * 成文日期: the date a document was signed, as the 信息公开 metadata block prints it
 * ("成文日期：\n2022年01月27日"). Article 26 of the 条例 counts the publication deadline from it.
 * Only labelled dates count: the date under a document's signature is too easily confused with
 * dates quoted in its text.
 */
const WRITTEN_LABEL = /(成文日期|成文时间|印发日期)[ \t\u3000]*[:：]?\s{0,4}([^\n]{0,30})/g;

export function writtenDate(text: string): PubDate | undefined {
  for (const m of text.matchAll(WRITTEN_LABEL)) {
    const rest = m[2] ?? '';
    const d = findDates(rest)[0];
    if (!d || d.index > 3) continue;
    return { date: d.iso, source: `正文「${m[1]}」`, raw: `${m[1]}：${d.text}` };
  }
  return undefined;
}
