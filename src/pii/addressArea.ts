/**
 * The place-name part of a detected address and how much of it a mask keeps (masking.yaml
 * `address`): the village or community, else the town or street, else the county.
 */
import { compile, isCnNumeral } from './addressCompile.js';
import { addressRules, normalizeWidth, type AddressRules } from './rules.js';

/** Index just past the part of an address to keep when masking (see masking.yaml `address`). */
export function addressKeepEnd(
  area: string,
  levels: { townLevel: readonly string[]; villageLevel: readonly string[]; fallbackLevel: readonly string[] },
): number {
  const town = firstWordEnd(area, levels.townLevel, 0);
  const village = firstWordEnd(area, levels.villageLevel, Math.max(0, town));
  if (village > 0) return village;
  const lastTown = lastWordEndAfterFirst(area, levels.townLevel);
  if (lastTown > 0) return lastTown;
  return Math.max(0, lastWordEndAfterFirst(area, levels.fallbackLevel));
}

/** The smallest end of the first occurrence from `from` of any word not at index 0, or -1. */
function firstWordEnd(area: string, words: readonly string[], from: number): number {
  let best = -1;
  for (const w of words) {
    const i = area.indexOf(w, from);
    if (i > 0 && (best < 0 || i + w.length < best)) best = i + w.length;
  }
  return best;
}

/** The largest end of the last occurrence of any word not at index 0, or -1. */
function lastWordEndAfterFirst(area: string, words: readonly string[]): number {
  let best = -1;
  for (const w of words) {
    const i = area.lastIndexOf(w);
    if (i > 0 && i + w.length > best) best = i + w.length;
  }
  return best;
}

/**
 * The place-name part of a detected address from the detector's own offsets: the text before the
 * house-level part it found (`areaEnd`), unless Chinese numerals in it could start an earlier part
 * (then read again as addressArea does). Same result as addressArea(text.slice(start, end)).
 */
export function foundAddressArea(norm: string, start: number, end: number, areaEnd: number): string {
  for (let i = start; i < areaEnd; i++)
    if (isCnNumeral(norm.charCodeAt(i))) return addressArea(norm.slice(start, end));
  return norm.slice(start, areaEnd);
}

/** The place-name part of an address span (everything before its first house-level number). */
export function addressArea(raw: string, rules: AddressRules = addressRules()): string {
  const c = compile(rules);
  const norm = normalizeWidth(raw);
  c.anchor.lastIndex = 0;
  const m = c.anchor.exec(norm);
  const area = m ? norm.slice(0, m.index) : norm;
  return area.replace(/\*+$/, '');
}
