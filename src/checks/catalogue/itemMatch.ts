/**
 * Matching a published catalogue's rows to the mandated items of its domain by meaning, not by
 * exact string. Units rename items (同义词: 办事指南 / 服务指南), refine them (审批信息 →
 * 最低生活保障审批对象名单), split one into several rows or fold two into one; 陕政办发〔2020〕20号
 * allows refining but never deleting. A rule item is present when some row is close enough; a row
 * that is the only match of two or more items is a merge, worth a word to the unit.
 */
import type { CatalogueItem } from '../../config/catalogues.js';
import type { PublishedCatalogueRow } from '../../extract/catalogue/types.js';

export interface MatchOptions {
  /** Score from 0 to 1 from which a row counts as the item. */
  threshold: number;
  /** Groups of words that mean the same in item names; each group's first word is canonical. */
  synonyms: string[][];
  /** Generic endings dropped before comparing (信息, 情况 …) unless nothing else is left. */
  genericSuffixes: string[];
}

const PUNCT = /[\s\u00a0\u3000（）()【】[\]《》〈〉“”"'‘’、，,。.：:；;·\-—–_/／|｜]+/g;
const NUMBERING =
  /^(?:[一二三四五六七八九十]+[、.．]|\d+(?:[.．]\d+)*[、.．]?|[（(][一二三四五六七八九十\d]+[）)]|[①-⑳])/;

export class ItemMatcher {
  private readonly canon: [RegExp, string][];
  /** Names repeat across rows and items: each is normalised once. */
  private readonly normalised = new Map<string, string>();

  constructor(private readonly o: MatchOptions) {
    // Longest synonyms first, so 政策法规文件 is replaced before 政策法规.
    this.canon = o.synonyms
      .flatMap((group) => group.map((w) => [w, group[0]!] as const))
      .sort((a, b) => b[0].length - a[0].length)
      .map(([w, c]) => [new RegExp(escape(w), 'g'), c]);
  }

  /** The form two names are compared in. */
  normalise(name: string): string {
    const known = this.normalised.get(name);
    if (known !== undefined) return known;
    let s = name.trim().replace(NUMBERING, '').replace(PUNCT, '');
    for (const [re, c] of this.canon) s = s.replace(re, c);
    for (const suffix of this.o.genericSuffixes)
      if (s.length > suffix.length + 1 && s.endsWith(suffix)) s = s.slice(0, -suffix.length);
    this.normalised.set(name, s);
    return s;
  }

  /** How well a published row stands for a mandated item, 0…1. */
  score(item: CatalogueItem, row: PublishedCatalogueRow): number {
    const rowFirst = this.normalise(row.first);
    const rowSeconds = [row.second, row.third, row.third ? `${row.second}${row.third}` : undefined]
      .filter((s): s is string => !!s)
      .map((s) => this.normalise(s));
    const rowFull = this.normalise(`${row.first}${row.second}${row.third ?? ''}`);
    const first = this.normalise(item.first);
    // The 一级事项 decides which 政策文件 is meant; a table without one names it in the 二级 cell.
    const firstFit = rowFirst ? coverage(first, rowFirst) : 0;
    let best = 0;
    // A coarser table lists a whole 一级事项 as one 二级 row (农业生产发展资金 › 耕地地力保护 for the
    // 耕地地力保护补贴 items): the row stands for each item under it, and `match` names the merge.
    // Only under another 一级: under the item's own, a 二级 starting with the 一级 name
    // (部门决算 › 部门决算表及说明) is one item, not the group.
    if (firstFit < 0.6 && first.length >= 3 && rowSeconds.some((s) => similarity(first, s) >= 0.75))
      best = 0.7;
    for (const name of [item.second, ...(item.aliases ?? [])]) {
      const second = this.normalise(name);
      if (second.length < 2) continue;
      const bySecond = Math.max(0, ...rowSeconds.map((s) => similarity(second, s)));
      // Under the right 一级, only the 二级 names are compared: a long shared 一级 name would
      // otherwise make 审核信息 and 审批信息 look alike. A refined row naming the item inside a
      // longer name (最低生活保障审批对象名单) counts.
      if (firstFit >= 0.6)
        best = Math.max(best, bySecond, ...rowSeconds.map((s) => (s.includes(second) ? 0.8 : 0)));
      // A table without a matching 一级 names the item in full in its 二级 cell.
      else best = Math.max(best, bySecond * 0.5, similarity(`${first}${second}`, rowFull));
    }
    return best;
  }

  /** For each item: the rows that stand for it; and rows that are the only match of several items. */
  match(
    items: CatalogueItem[],
    rows: PublishedCatalogueRow[],
  ): {
    matched: Map<CatalogueItem, PublishedCatalogueRow[]>;
    merged: Map<PublishedCatalogueRow, CatalogueItem[]>;
  } {
    const matched = new Map<CatalogueItem, PublishedCatalogueRow[]>();
    for (const item of items)
      matched.set(
        item,
        rows.filter((r) => this.score(item, r) >= this.o.threshold),
      );
    const merged = new Map<PublishedCatalogueRow, CatalogueItem[]>();
    for (const [item, found] of matched) {
      if (found.length !== 1) continue;
      const row = found[0]!;
      merged.set(row, [...(merged.get(row) ?? []), item]);
    }
    for (const [row, its] of merged) if (its.length < 2) merged.delete(row);
    return { matched, merged };
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function bigrams(s: string): string[] {
  if (s.length < 2) return [s];
  const out: string[] = [];
  for (let i = 0; i < s.length - 1; i++) out.push(s.slice(i, i + 2));
  return out;
}

/** Dice coefficient on character bigrams. */
function dice(a: string, b: string): number {
  if (!a || !b) return 0;
  const bs = bigrams(b);
  let common = 0;
  const pool = [...bs];
  for (const g of bigrams(a)) {
    const i = pool.indexOf(g);
    if (i >= 0) {
      common++;
      pool.splice(i, 1);
    }
  }
  return (2 * common) / (bigrams(a).length + bs.length);
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return i === short.length;
}

/**
 * Name similarity: equal 1; one inside the other 0.8 (救助名单 in 临时救助名单); the shorter's
 * characters in order within the longer, at least half its length, 0.75 (救助名单 / 救助对象名单);
 * else bigram overlap.
 */
export function similarity(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 2 && long.includes(short)) return 0.8;
  if (short.length >= 3 && short.length * 2 >= long.length && isSubsequence(short, long)) return 0.75;
  return dice(a, b);
}

/** Share of the shorter name's characters found in the longer (特困供养 / 特困人员救助供养 → 1). */
function coverage(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < 2) return 0;
  const pool = [...long];
  let hit = 0;
  for (const ch of short) {
    const i = pool.indexOf(ch);
    if (i >= 0) {
      hit++;
      pool.splice(i, 1);
    }
  }
  return hit / short.length;
}
