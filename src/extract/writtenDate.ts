import { labelledWrittenDate, type PubDate } from './pageDates.js';

/**
 * 成文日期 / 印发日期 / 发文日期: the date a document was signed, never its publication date.
 * Article 26 of the 条例 counts the publication deadline from it. Only labelled dates count (see
 * pageDates.ts, shared with plain-text pages).
 */
export function writtenDate(text: string): PubDate | undefined {
  return labelledWrittenDate(text);
}
