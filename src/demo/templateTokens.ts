/**
 * Demo pages carry their dates as tokens relative to the inspection date, so the sample county
 * never goes stale: {{date:-3}}, {{date:-3:zh}}, {{datetime:-3}}, {{year}}, {{year:-1}}, {{origin:key}},
 * and {{annual:-1}} / {{annual:-1:datetime}}: when the 政府信息公开年度报告 for last year came out
 * (20 January of the year after, as the 条例 asks by 31 January; yesterday if that is still ahead).
 */
export interface TokenContext {
  today: Date;
  origins: Record<string, string>;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function shiftDays(day: Date, delta: number): Date {
  const d = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + delta);
  return d;
}

export function isoDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function formatDay(d: Date, style: string | undefined): string {
  if (style === 'zh') return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
  return isoDate(d);
}

/** 20 January after the reported year (`today`'s year + delta), never later than yesterday. */
function annualReportDay(today: Date, delta: number): Date {
  const due = new Date(Date.UTC(today.getUTCFullYear() + delta + 1, 0, 20));
  const yesterday = shiftDays(today, -1);
  return due < yesterday ? due : yesterday;
}

export function renderTemplate(text: string, ctx: TokenContext): string {
  return text.replace(
    /\{\{(date|datetime|year|origin|annual)(?::([^:}]+))?(?::([a-z]+))?\}\}/g,
    (whole, kind: string, arg?: string, style?: string) => {
      if (kind === 'origin') return ctx.origins[arg ?? ''] ?? whole;
      const delta = Number(arg ?? 0);
      if (kind === 'year') return String(ctx.today.getUTCFullYear() + delta);
      const day = kind === 'annual' ? annualReportDay(ctx.today, delta) : shiftDays(ctx.today, delta);
      return kind === 'datetime' || style === 'datetime' ? `${isoDate(day)} 09:30:00` : formatDay(day, style);
    },
  );
}
