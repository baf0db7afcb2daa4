/**
 * Chinese government date formats → ISO dates. Only plausible calendar dates are returned, so
 * "2052-10.8.2.7090" (Word metadata) or a 索引号 fragment never becomes a date.
 */
const DATE_RE = /(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)\s*日?/g;

function valid(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export interface DateMatch {
  iso: string;
  index: number;
  text: string;
}

export function findDates(text: string): DateMatch[] {
  const out: DateMatch[] = [];
  for (const m of text.matchAll(DATE_RE)) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!valid(y, mo, d)) continue;
    out.push({
      iso: `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      index: m.index,
      text: m[0],
    });
  }
  return out;
}

export function firstDate(text: string | undefined): string | undefined {
  return text ? findDates(text)[0]?.iso : undefined;
}

/** Whole days from `from` to `to` (ISO dates), ignoring time zones. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
