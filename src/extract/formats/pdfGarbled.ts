// A PDF page whose text layer can't be read as text: glyphs drawn from a font without a Unicode
// map (a subset CID font with Identity-H and no ToUnicode: pdf.js then reports glyph numbers as
// code points — Latin Extended, IPA, combining marks, Greek, Cyrillic…), private-use code points,
// replacement characters, or runs of ASCII punctuation where a font's glyphs were numbered from
// `!`. Such a page says nothing a detector could trust, and it would hide any number on it: it is
// OCR'd like a scan, or reported for review.

export interface TextQuality {
  /** Characters other than white space. */
  chars: number;
  /** Characters a government document's text layer never holds in bulk (see `odd`). */
  odd: number;
  /** Han characters, CJK punctuation and full-width forms. */
  cjk: number;
  /** ASCII letters. */
  latin: number;
  /** ASCII letters that are vowels (a e i o u y). */
  vowels: number;
  /** ASCII punctuation and symbols. */
  symbols: number;
}

function oddWeight(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 1; // control characters
  if (cp === 0xfffd || (cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000) return 1; // replacement, private use
  if (cp >= 0x100 && cp <= 0x36f) return 1; // Latin Extended, IPA, spacing and combining marks
  if (cp >= 0x370 && cp <= 0x3ff) return 0.5; // Greek: α, β, Ω appear in real text, a little
  if (cp >= 0x400 && cp <= 0x1fff) return 1; // Cyrillic to Greek Extended: not in these documents
  return 0;
}

export function textQuality(text: string): TextQuality {
  const q: TextQuality = { chars: 0, odd: 0, cjk: 0, latin: 0, vowels: 0, symbols: 0 };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x20 || cp === 0x09 || cp === 0x0a || cp === 0x0d || cp === 0x3000 || cp === 0xa0) continue;
    q.chars += 1;
    q.odd += oddWeight(cp);
    if (
      (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x3000 && cp <= 0x303f) ||
      (cp >= 0xff00 && cp <= 0xffef) ||
      (cp >= 0x20000 && cp <= 0x3134f)
    )
      q.cjk += 1;
    else if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
      q.latin += 1;
      if ('aeiouyAEIOUY'.includes(ch)) q.vowels += 1;
    } else if (cp >= 0x21 && cp <= 0x7e && !(cp >= 0x30 && cp <= 0x39)) q.symbols += 1;
  }
  return q;
}

/** Garbage on its own: odd code points, or ASCII punctuation where words should be. */
export function isGarbled(q: TextQuality): boolean {
  if (q.chars < 8) return false;
  if (q.odd / q.chars >= 0.3) return true;
  return q.symbols / q.chars >= 0.4 && q.cjk / q.chars < 0.1;
}

/**
 * Garbage in a Chinese document: a page of Latin letters that don't read as words (vowels far
 * from the ~40 % of English or pinyin), where the other pages are Chinese.
 */
export function isNonsenseInChinese(q: TextQuality, documentCjkShare: number): boolean {
  if (documentCjkShare < 0.3 || q.chars < 30) return false;
  if (q.cjk / q.chars >= 0.05 || q.latin / q.chars < 0.5) return false;
  const vowels = q.vowels / q.latin;
  return vowels < 0.18 || vowels > 0.7;
}

/** Share of CJK among the characters of the pages given. */
export function cjkShare(qs: Iterable<TextQuality>): number {
  let chars = 0;
  let cjk = 0;
  for (const q of qs) {
    chars += q.chars;
    cjk += q.cjk;
  }
  return chars === 0 ? 0 : cjk / chars;
}
