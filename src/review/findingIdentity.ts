/**
 * What makes two findings "the same problem" across inspections: used by the re-check (what was
 * fixed) and by the review ledger (a person's decision carries over to the next month's run).
 */
interface Identifiable {
  unitId: string;
  checkId: string;
  kind: string;
  url: string;
  message: string;
}

/** The same page over http or https, with or without a trailing slash, is the same place. */
export function place(url: string): string {
  return url.replace(/^https?:\/\//i, '').replace(/\/$/, '');
}

/** Counts, day numbers and dates move from month to month ("已 25 天" → "已 55 天"); the problem does not. */
export function messageKey(message: string): string {
  return message.replace(/\d+(?:\.\d+)?/g, '#');
}

export function findingKey(f: Identifiable): string {
  return [f.unitId, f.checkId, f.kind, place(f.url), messageKey(f.message)].join('\u0001');
}

/** Looser: the same check and kind at the same URL, whatever the message says now. */
export function placeKey(f: Identifiable): string {
  return [f.unitId, f.checkId, f.kind, place(f.url)].join('\u0001');
}
