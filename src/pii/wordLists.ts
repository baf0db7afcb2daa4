/**
 * What is derived from a word list (its regex, its words by last unit, its bit in the word index,
 * remembered answers), kept in one object on the list itself: lists come from the rule files and
 * live for the process. Every list carries the same one property, so reading it is one load of a
 * known shape; a property per derived thing, added in different orders, gave each list its own
 * shape and made every read a megamorphic lookup (≈ 2 % of a dense row for the bit alone).
 */

/** Answers remembered by header cell number (context.ts: 0 unknown, 1 yes, 2 no), for the cells `of`. */
export interface ByColumn {
  columns: Int8Array;
  of: readonly string[] | undefined;
}

export interface ListInfo {
  regex: RegExp | undefined;
  endings: Endings | undefined;
  /** The list's bit in the word index (wordIndex.ts); -1 until first asked, 0 when none was left. */
  bit: number;
  /** Whether no word holds 。；！ (containsAnyInSentence); undefined until first asked. */
  sentenceSafe: boolean | undefined;
  /** containsAnyCell's answers (context.ts). */
  anyCell: Map<string, boolean> | undefined;
  /** The same by header cell number. */
  anyColumn: ByColumn | undefined;
  /** Answers about header cells, per second list (context.ts cellMemo). */
  answers: { b: readonly string[]; memo: Map<string, boolean>; byColumn: ByColumn }[] | undefined;
  /** columnRejects' answers, for one list of positive words. */
  rejects: { positive: readonly string[]; cells: Map<string, boolean>; byColumn: ByColumn } | undefined;
}

const INFO = Symbol('wordList');
type WithInfo = readonly string[] & { [INFO]?: ListInfo };
// Lists that cannot take a property (frozen): their info by the list.
const frozenInfo = new WeakMap<readonly string[], ListInfo>();

/** The info object of a word list, made on first sight. */
export function infoOf(words: readonly string[]): ListInfo {
  const list = words as WithInfo;
  let info = list[INFO] ?? frozenInfo.get(list);
  if (info === undefined) {
    info = {
      regex: undefined,
      endings: undefined,
      bit: -1,
      sentenceSafe: undefined,
      anyCell: undefined,
      anyColumn: undefined,
      answers: undefined,
      rejects: undefined,
    };
    if (Object.isExtensible(list)) Object.defineProperty(list, INFO, { value: info, enumerable: false });
    else frozenInfo.set(list, info);
  }
  return info;
}

/** One regex per word list. */
export function wordsRegex(words: readonly string[]): RegExp {
  const info = infoOf(words);
  let re = info.regex;
  if (!re) {
    const alternatives = [...words]
      .sort((a, b) => b.length - a.length)
      .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    re = info.regex = new RegExp(alternatives.length ? alternatives.join('|') : '(?!)');
  }
  return re;
}

// Per word list: its words by last UTF-16 unit, longest first, and a filter of those last units.
// Looking for words ending at each position of a short window, in place, is several times faster
// than slicing the window and running the list's regex over it (the detectors ask this for every
// value, about the few characters before it).
export const FILTER_MASK = 4095;
// Longer than any text: the shortest word of an empty list.
const NEVER = 1 << 29;

export interface Endings {
  /** Non-zero where some word's last unit, masked with FILTER_MASK, is. */
  filter: Uint8Array;
  byLast: Map<number, readonly string[]>;
  shortest: number;
}

export function endingsOf(words: readonly string[]): Endings {
  const info = infoOf(words);
  let e = info.endings;
  if (!e) {
    const filter = new Uint8Array(FILTER_MASK + 1);
    const byLast = new Map<number, string[]>();
    let shortest = Infinity;
    for (const w of [...words].sort((a, b) => b.length - a.length)) {
      if (w === '') continue;
      const c = w.charCodeAt(w.length - 1);
      filter[c & FILTER_MASK] = 1;
      byLast.set(c, [...(byLast.get(c) ?? []), w]);
      shortest = Math.min(shortest, w.length);
    }
    // A small integer either way: Infinity would make the field, and the loops over offsets that
    // add it, floating-point (several times slower per character).
    e = info.endings = { filter, byLast, shortest: Number.isFinite(shortest) ? shortest : NEVER };
  }
  return e;
}
