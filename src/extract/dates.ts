/**
 * Chinese government date formats → ISO dates. Only plausible calendar dates are returned, so
 * "2052-10.8.2.7090" (Word metadata) or a 索引号 fragment never becomes a date.
 */
// Not followed by another .N: 2052-10.8.2.7090 is a version string, not a date.
const DATE_RE =
  /(?<![\d.])((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d|\.\d)\s*日?/g;

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

// 〇 (U+3007), ○ (U+25CB) and the letter O all stand for zero in dates typed by hand.
const ZH_DIGITS: Record<string, number> = Object.fromEntries([
  ...[...'〇○零ＯO'].map((c): [string, number] => [c, 0]),
  ...[...'一二三四五六七八九'].map((c, i): [string, number] => [c, i + 1]),
]);
const ZH_DATE_RE =
  /([〇○零Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日/g;

/** 十二 → 12, 二十一 → 21, 三十 → 30, 九 → 9. */
function zhNumber(s: string): number {
  const [tens, ones] = s.includes('十') ? s.split('十') : ['', s];
  const t = s.includes('十') ? (tens ? (ZH_DIGITS[tens] ?? NaN) : 1) : 0;
  return t * 10 + (ones ? (ZH_DIGITS[ones] ?? NaN) : 0);
}

/** Dates written in Chinese numerals, as 成文日期 of official documents are: 二〇二五年三月十二日. */
function findChineseNumeralDates(text: string): DateMatch[] {
  const out: DateMatch[] = [];
  for (const m of text.matchAll(ZH_DATE_RE)) {
    const y = Number([...m[1]!].map((c) => ZH_DIGITS[c]).join(''));
    const [mo, d] = [zhNumber(m[2]!), zhNumber(m[3]!)];
    if (y < 1900 || y > 2099 || !valid(y, mo, d)) continue;
    out.push({
      iso: `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      index: m.index,
      text: m[0],
    });
  }
  return out;
}

export interface UrlDate {
  iso: string;
  precision: 'day' | 'month';
  /** The part of the URL the date was read from. */
  text: string;
}

const pad2 = (n: string) => n.padStart(2, '0');

/**
 * A date in a CMS URL: TRS `t20250312_123.html`, Hanweb `art/2024/1/23/art_…`, folders `/2025/03/12/`
 * or `/20250312/` (day precision), `/202503/` or `/2025-03/` (month precision: the 1st is returned).
 */
export function dateFromUrl(url: string): UrlDate | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const days: RegExp[] = [
    /\/t((?:19|20)\d{2})(\d{2})(\d{2})_\d+/,
    /\/((?:19|20)\d{2})\/(\d{1,2})\/(\d{1,2})\//,
    /\/((?:19|20)\d{2})(\d{2})(\d{2})\//,
    /\/((?:19|20)\d{2})-(\d{2})-(\d{2})\//,
  ];
  for (const re of days) {
    const m = re.exec(path);
    if (m && valid(Number(m[1]), Number(m[2]), Number(m[3])))
      return { iso: `${m[1]}-${pad2(m[2]!)}-${pad2(m[3]!)}`, precision: 'day', text: m[0] };
  }
  const month = /\/((?:19|20)\d{2})-?(0[1-9]|1[0-2])\//.exec(path);
  return month ? { iso: `${month[1]}-${month[2]}-01`, precision: 'month', text: month[0] } : undefined;
}

export function findDates(text: string): DateMatch[] {
  const out: DateMatch[] = findChineseNumeralDates(text);
  for (const m of text.matchAll(DATE_RE)) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!valid(y, mo, d)) continue;
    out.push({
      iso: `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      index: m.index,
      text: m[0],
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

export function firstDate(text: string | undefined): string | undefined {
  return text ? findDates(text)[0]?.iso : undefined;
}

/** Whole days from `from` to `to` (ISO dates), ignoring time zones. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
