/**
 * 公开时限 cells of a 基层政务公开标准目录: recognising them among other cells and reading the
 * number of working days they set. Kept apart from the row parser so checks can reuse it.
 */

export type TimeLimitKind = 'workdays' | 'days' | 'realtime' | 'timely' | 'long-term' | 'other';

export interface CatalogueTimeLimit {
  text: string;
  workdays?: number;
  kind: TimeLimitKind;
}

// PDF-to-HTML conversions leave spaces inside numbers and words (`20 个工作日`), so every
// pattern tolerates whitespace between the parts.
const WORKDAYS = /(\d+)\s*个?\s*工\s*作\s*日/;
const DAYS = /(\d+)\s*(?:个\s*)?(?:自然\s*)?(?:日|天)(?:\s*内)?/;
const REALTIME = /实\s*时|即\s*时/;
const TIMELY = /及\s*时/;
const LONG_TERM = /长\s*期/;
// Words a 公开时限 cell is built from; content and basis cells rarely carry them without a number.
const DEADLINE_WORDS = /之\s*日\s*起|形成|变更|批复后|作出|完成后|每年|每季度|每月|年度/;

/** True when a cell reads like a 公开时限 rather than content, basis or a channel list. */
export function looksLikeTimeLimit(cell: string): boolean {
  const t = cell.trim();
  // Long cells are 公开内容 or 公开依据 prose that happens to mention a period.
  if (t.length === 0 || t.length > 90) return false;
  if (/^[《●○•■□(（]/.test(t)) return false;
  if (WORKDAYS.test(t)) return true;
  if (DAYS.test(t) && DEADLINE_WORDS.test(t)) return true;
  // Bare 实时/及时/长期 cells (投诉电话 items) are short; longer text using them is prose.
  if (t.length <= 12 && (REALTIME.test(t) || TIMELY.test(t) || LONG_TERM.test(t))) return true;
  return false;
}

/** Reads a 公开时限 cell; the first working-day figure wins, as it is the one for the item itself. */
export function parseTimeLimit(cell: string): CatalogueTimeLimit {
  const text = cell.trim();
  const wd = WORKDAYS.exec(text);
  if (wd?.[1]) return { text, workdays: Number(wd[1]), kind: 'workdays' };
  if (REALTIME.test(text)) return { text, kind: 'realtime' };
  if (DAYS.test(text)) return { text, kind: 'days' };
  if (TIMELY.test(text)) return { text, kind: 'timely' };
  if (LONG_TERM.test(text)) return { text, kind: 'long-term' };
  return { text, kind: 'other' };
}
