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
  /** 1 at every UTF-16 unit `re` matches (collectRuns notes them in its pass over the text). */
  codes: Uint8Array;
  /** Some such unit is at most `z` (122): then the run pass cannot tell (it skips nothing there). */
  ascii: boolean;
}

let normaliser: Normaliser | undefined;

const escapeClass = (ch: string): string => ch.replace(/[\\\]^-]/g, '\\$&');

/** Built once from masking.yaml's mask characters plus the fixed width/dash map. */
function getNormaliser(): Normaliser {
  if (normaliser) return normaliser;
  const map: Record<string, string> = { ...WIDTH_MAP };
  for (const ch of maskingRules().maskChars) if (ch !== MASK) map[ch] = MASK;
  const chars = Object.keys(map).map(escapeClass).join('');
  const codes = new Uint8Array(0x10000);
  for (let c = 0xff10; c <= 0xff19; c++) codes[c] = 1;
  // Every unit of every key: the class holds each one (a key of two units matches unit by unit).
  for (const ch of Object.keys(map)) for (let i = 0; i < ch.length; i++) codes[ch.charCodeAt(i)] = 1;
  normaliser = {
    re: new RegExp(`[０-９${chars}]`, 'g'),
    map,
    test: new RegExp(`[０-９${chars}]`),
    codes,
    ascii: codes.subarray(0, 123).includes(1),
  };
  return normaliser;
}

/**
 * The units normalizeWidth changes, as a table by code, and whether any is at most `z` (a pass
 * that reads every character can then tell whether the text needs normalising at all).
 */
export function widthCodes(): { codes: Uint8Array; ascii: boolean } {
  return getNormaliser();
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
