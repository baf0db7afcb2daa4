/**
 * Character normalisation shared by the detectors: full-width digits and X, dash variants and the
 * mask look-alikes of masking.yaml become ASCII, one UTF-16 unit for one (offsets stay valid).
 */
import { MASK, maskingRules } from './rules.js';

const WIDTH_MAP: Readonly<Record<string, string>> = {
  Ｘ: 'X',
  ｘ: 'x',
  '＋': '+',
  '－': '-',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '–': '-',
  '\u3000': ' ',
  '．': '.',
};

interface Normaliser {
  re: RegExp;
  map: Readonly<Record<string, string>>;
  /** `re` without the g flag: a test then keeps no lastIndex (twice as fast on a table row). */
  test: RegExp;
}

let normaliser: Normaliser | undefined;

const escapeClass = (ch: string): string => ch.replace(/[\\\]^-]/g, '\\$&');

/** Built once from masking.yaml's mask characters plus the fixed width/dash map. */
function getNormaliser(): Normaliser {
  if (normaliser) return normaliser;
  const map: Record<string, string> = { ...WIDTH_MAP };
  for (const ch of maskingRules().maskChars) if (ch !== MASK) map[ch] = MASK;
  const chars = Object.keys(map).map(escapeClass).join('');
  normaliser = { re: new RegExp(`[０-９${chars}]`, 'g'), map, test: new RegExp(`[０-９${chars}]`) };
  return normaliser;
}

/**
 * Sets `bit` in `table` at every UTF-16 unit normalizeWidth's test looks for (the class of its
 * regex, unit by unit: what a text must hold for normalizeWidth to change it). Returns the lowest
 * such unit.
 */
export function markWidthUnits(table: Uint8Array, bit: number): number {
  const { map } = getNormaliser();
  let lowest = 0xff10;
  for (let c = 0xff10; c <= 0xff19; c++) table[c]! |= bit;
  for (const key of Object.keys(map))
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      table[c]! |= bit;
      if (c < lowest) lowest = c;
    }
  return lowest;
}

/**
 * Maps full-width digits, full-width X, mask look-alikes (masking.yaml's maskChars) and dash
 * variants to ASCII. Every mapping is one UTF-16 unit to one, so offsets found in the result are
 * valid in the original text.
 */
export function normalizeWidth(text: string): string {
  const { re, map, test } = getNormaliser();
  if (!test.test(text)) return text;
  return text.replace(re, (ch) => {
    const code = ch.charCodeAt(0);
    if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xff10 + 48);
    return map[ch] ?? ch;
  });
}
