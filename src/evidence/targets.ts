import type { StoredFinding } from '../checks/types.js';
import { checkById } from '../checks/index.js';
import type { Target } from './pageScript.js';

/**
 * Which page proves a finding and what on it to outline. Pure: the store is reached through the
 * two lookups, so the choice is tested without a crawl.
 */
export interface ShotLookups {
  /** Whether the run stored this URL as an HTML page of the unit, fetched fine. */
  isPage(url: string): boolean;
  /** A stored page of the unit that links to `url` (the first found), if any. */
  referrerOf(url: string): string | undefined;
}

export interface PlannedShot {
  pageUrl: string;
  targets: Target[];
  findingIds: number[];
}

/** Outcomes a notice asks a unit to fix: the ones worth proving. */
const PROVED = new Set(['fail', 'warn']);

/** Where one finding is seen, or undefined when no stored page shows it (an unreachable home page). */
export function shotOf(
  f: StoredFinding,
  lookups: ShotLookups,
): { pageUrl: string; target?: Target } | undefined {
  if (f.checkId === 'dead-links') {
    // The dead page cannot be drawn; the page linking to it can, with the link outlined.
    const from = lookups.referrerOf(f.url);
    return from ? { pageUrl: from, target: { href: f.url } } : undefined;
  }
  if (lookups.isPage(f.url)) {
    if (f.checkId === 'personal-data-exposure') return { pageUrl: f.url, target: { pii: true } };
    const spellings = dateSpellings(`${f.message} ${f.evidence}`);
    return { pageUrl: f.url, ...(spellings.length ? { target: { text: spellings } } : {}) };
  }
  // An attachment (a roster, a PDF): the article that carries it, with its link outlined.
  const from = lookups.referrerOf(f.url);
  return from ? { pageUrl: from, target: { href: f.url } } : undefined;
}

/** Personal data first (the finding most often disputed), then failures, then the rest. */
function priority(f: StoredFinding): number {
  const privacy = checkById(f.checkId)?.category === 'privacy' ? 0 : 2;
  return privacy + (f.outcome === 'fail' ? 0 : 1);
}

/**
 * The pages to draw for one unit's findings: one screenshot per page, shared by every finding on
 * it, at most `cap` pages, the most important findings first.
 */
export function planShots(findings: StoredFinding[], lookups: ShotLookups, cap: number): PlannedShot[] {
  const ordered = findings
    .filter((f) => PROVED.has(f.outcome))
    .map((f, i) => ({ f, i }))
    .sort((a, b) => priority(a.f) - priority(b.f) || a.i - b.i);
  const byPage = new Map<string, PlannedShot>();
  for (const { f } of ordered) {
    const seen = shotOf(f, lookups);
    if (!seen) continue;
    let shot = byPage.get(seen.pageUrl);
    if (!shot) {
      if (byPage.size >= cap) continue;
      shot = { pageUrl: seen.pageUrl, targets: [], findingIds: [] };
      byPage.set(seen.pageUrl, shot);
    }
    shot.findingIds.push(f.id);
    const key = JSON.stringify(seen.target);
    if (seen.target && !shot.targets.some((t) => JSON.stringify(t) === key)) shot.targets.push(seen.target);
  }
  return [...byPage.values()];
}

/**
 * The ways a page may print the first date a finding names (发布日期 2025年3月2日 is shown as
 * 2025-03-02 on one platform and 2025年03月02日 on another).
 */
export function dateSpellings(text: string): string[] {
  const m = /(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})/.exec(text);
  if (!m) return [];
  const [y, mo, d] = [m[1]!, Number(m[2]), Number(m[3])];
  const p = (n: number) => String(n).padStart(2, '0');
  const forms = new Set<string>();
  for (const [mm, dd] of [
    [p(mo), p(d)],
    [String(mo), String(d)],
  ])
    for (const [a, b, c] of [
      ['-', '-', ''],
      ['年', '月', '日'],
      ['/', '/', ''],
      ['.', '.', ''],
    ])
      forms.add(`${y}${a}${mm}${b}${dd}${c}`);
  return [...forms];
}
