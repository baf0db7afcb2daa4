import { isCnNumeral } from './addressCompile.js';
import { addressArea, addressKeepEnd, foundAddressArea } from './addressArea.js';
import { excelIdDigits } from './idCard.js';
import {
  maskingRules,
  normalizeWidth,
  type DisplayRule,
  type IdCardForm,
  type MaskingRules,
} from './rules.js';
import { isScannedRun, scanNormalized } from './scan.js';
import type { Masked, PiiType } from './types.js';

/** Letters, digits and mask characters of a value, with full-width forms and mask look-alikes folded. */
function significantChars(raw: string): string {
  return normalizeWidth(raw).replace(/[^0-9A-Za-z*]/g, '');
}

/** The only place a string becomes `Masked`. */
function brand(text: string): Masked {
  return text as Masked;
}

/** Anything that does not fit a display rule is hidden entirely, never echoed. */
function hideAll(chars: string): Masked {
  return brand(maskingRules().outputChar.repeat(Math.max(chars.length, 8)));
}

// outputChar repeated n times, by n (every value of a type hides the same number of characters).
let repeatedChar = '';
const repeated: string[] = [];

function masks(out: string, n: number): string {
  if (out !== repeatedChar) {
    repeatedChar = out;
    repeated.length = 0;
  }
  if (n > 64) return out.repeat(n);
  return (repeated[n] ??= out.repeat(n));
}

/** keepStart chars + hidden mask chars + keepEnd chars (masking.yaml `display`). */
function applyDisplay(chars: string, rule: DisplayRule): string {
  const out = maskingRules().outputChar;
  const hidden = rule.hidden ?? chars.length - rule.keepStart - rule.keepEnd;
  const end = rule.keepEnd > 0 ? chars.slice(-rule.keepEnd) : '';
  return chars.slice(0, rule.keepStart) + masks(out, Math.max(hidden, 1)) + end;
}

const EXCEL_FORM = /^\d\.\d+[Ee]\+?\d{2}$/;

/** An ID kept as an Excel number: first 6 + 8 masks + digit 15 + one lostChar per digit Excel dropped. */
function maskExcelDigits(digits15: string, eighteen: boolean): Masked {
  const rules = maskingRules().idCard;
  if (!eighteen) return brand(applyDisplay(digits15, rules.old15.display));
  return brand(applyDisplay(digits15, rules.excel.display) + rules.excel.lostChar.repeat(3));
}

/**
 * 身份证号 → first 6 + ******** + last 4 (350502********1234), hiding the whole birth date.
 * 15-digit old numbers → first 6 + ****** + last 3 (350502******123). A number kept as an Excel
 * number (3.50502199001011E+17, or its 18-digit rendering, `form` 'excel-number') shows only its 15
 * real digits: 350502********1*** (the last three masks stand for digits Excel dropped).
 */
export function maskIdCard(raw: string, form?: IdCardForm): Masked {
  const norm = normalizeWidth(raw).trim();
  if (EXCEL_FORM.test(norm)) {
    const digits = excelIdDigits(norm);
    // Not a valid ID after all: still never echo it.
    if (!digits) return hideAll(norm);
    return maskExcelDigits(digits, /[Ee]\+?17$/.test(norm));
  }
  return maskIdChars(significantChars(raw), form);
}

/** maskIdCard on the significant characters of a value that is not in Excel's scientific form. */
function maskIdChars(chars: string, form?: IdCardForm): Masked {
  const rules = maskingRules().idCard;
  if (form === 'excel-number' && chars.length === 18) return maskExcelDigits(chars.slice(0, 15), true);
  if (form === 'embedded') return maskEmbeddedId(chars);
  if (chars.length === 15) return brand(applyDisplay(chars, rules.old15.display));
  // Anything too short to keep 10 characters around 8 masks is hidden entirely, never echoed.
  if (chars.length < 14) return hideAll(chars);
  return brand(applyDisplay(chars, rules.display));
}

/**
 * A longer identifier holding an ID (G35050219900101123X, 35050219900101123X11): its letters, the
 * ID masked like any other, and every digit after the ID hidden (残疾类别/等级 are health data).
 */
function maskEmbeddedId(chars: string): Masked {
  const letters = /^[A-Za-z]*/.exec(chars)?.[0].length ?? 0;
  const id = chars.slice(letters, letters + 18);
  if (letters > 2 || id.length !== 18) return hideAll(chars);
  const out = maskingRules().outputChar;
  const rest = chars.length - letters - 18;
  return brand(chars.slice(0, letters) + applyDisplay(id, maskingRules().idCard.display) + out.repeat(rest));
}

/** A masked value preceded by what it was found in (残疾人证号：350502********123X**); names come from rules. */
export function namedMask(name: string, masked: Masked): Masked {
  return brand(`${name}：${masked}`);
}

/** 手机号 → first 3 + **** + last 4 (e.g. 138****5678); a +86 country code is dropped. */
export function maskMobile(raw: string): Masked {
  return maskMobileChars(significantChars(raw));
}

function maskMobileChars(digits: string): Masked {
  let chars = digits;
  if (chars.length === 13 && chars.startsWith('86')) chars = chars.slice(2);
  if (chars.length !== 11) return hideAll(chars);
  return brand(applyDisplay(chars, maskingRules().mobile.display));
}

/** 银行卡号 → first 4 + * for every hidden digit + last 4 (6222***********0123); spaces dropped. */
export function maskBankCard(raw: string): Masked {
  return maskBankCardChars(significantChars(raw));
}

function maskBankCardChars(chars: string): Masked {
  if (chars.length < 12) return hideAll(chars);
  return brand(applyDisplay(chars, maskingRules().bankCard.display));
}

/**
 * 具体住址 → the address up to the village/community (else the street/town, else the county) followed
 * by *** (示范区东湖街道滨江社区***); house-level parts are never shown.
 */
export function maskAddress(raw: string): Masked {
  return maskArea(addressArea(raw));
}

// Masked forms by place-name part, per rule set: the households of a roster share a few villages.
let areaRules: MaskingRules['address'] | undefined;
const maskedAreas = new Map<string, Masked>();

/** The address masking rules; what was remembered under other rules is dropped. */
function currentAreaRules(): MaskingRules['address'] {
  const rules = maskingRules().address;
  if (rules !== areaRules) {
    areaRules = rules;
    maskedAreas.clear();
    slotAreas.fill('');
  }
  return rules;
}

// The same, by a hash of the place-name part's characters read in place, in a fixed table (a
// slot holds the last part hashed to it): a part found again costs no string of its own.
const SLOTS = 1024;
const slotAreas: string[] = new Array<string>(SLOTS).fill('');
const slotMasks: Masked[] = new Array<Masked>(SLOTS).fill(brand(''));

/** maskArea(foundAddressArea(norm, start, end, areaEnd)), the part compared in place when seen before. */
function maskFoundArea(norm: string, start: number, end: number, areaEnd: number): Masked {
  let h = 0;
  for (let i = start; i < areaEnd; i++) {
    const c = norm.charCodeAt(i);
    // A numeral may start an earlier house-level part: foundAddressArea reads the address again.
    if (isCnNumeral(c)) return maskArea(foundAddressArea(norm, start, end, areaEnd));
    h = Math.imul(h ^ c, 0x01000193);
  }
  currentAreaRules();
  const slot = (h ^ (h >>> 16)) & (SLOTS - 1);
  const known = slotAreas[slot]!;
  if (known !== '' && known.length === areaEnd - start && norm.startsWith(known, start))
    return slotMasks[slot]!;
  const area = norm.slice(start, areaEnd);
  const masked = maskArea(area);
  if (area !== '') {
    slotAreas[slot] = area;
    slotMasks[slot] = masked;
  }
  return masked;
}

function maskArea(area: string): Masked {
  const rules = currentAreaRules();
  let masked = maskedAreas.get(area);
  if (masked === undefined) {
    masked = brand(area.slice(0, addressKeepEnd(area, rules)) + rules.suffix);
    if (maskedAreas.size >= 4096) maskedAreas.clear();
    maskedAreas.set(area, masked);
  }
  return masked;
}

/**
 * The masked form of a value the detectors found in normalised text `norm` at [start, end): the
 * same as maskValue on the original text, without normalising again or searching the address's
 * place-name part a second time (`areaEnd`, where the detector found its house-level part).
 */
export function maskFound(
  type: PiiType,
  norm: string,
  start: number,
  end: number,
  form?: IdCardForm,
  areaEnd?: number,
): Masked {
  if (type === 'address')
    return areaEnd === undefined
      ? maskAddress(norm.slice(start, end))
      : maskFoundArea(norm, start, end, areaEnd);
  const length = end - start;
  // A value that is one whole run of the text just scanned needs no check of its characters (most
  // are); others holding a blank or hyphen are masked from the value cut out.
  if (!isScannedRun(norm, start, end) && !isRunAt(norm, start, end))
    return maskValue(type, norm.slice(start, end), form);
  // The usual lengths are masked from `norm` in place (maskIdChars, maskMobileChars and
  // maskBankCardChars would apply the same display rule to the value cut out first).
  switch (type) {
    case 'id-card':
      if (form !== 'excel-number' && form !== 'embedded' && length !== 15 && length >= 14)
        return brand(applyDisplayAt(norm, start, end, maskingRules().idCard.display));
      return maskIdChars(norm.slice(start, end), form);
    case 'mobile':
      if (length === 11) return brand(applyDisplayAt(norm, start, end, maskingRules().mobile.display));
      return maskMobileChars(norm.slice(start, end));
    case 'bank-card':
      if (length >= 12) return brand(applyDisplayAt(norm, start, end, maskingRules().bankCard.display));
      return maskBankCardChars(norm.slice(start, end));
  }
}

/** True when every character of text[start, end) is a letter, digit or `*` (a run: nothing to normalise or drop). */
function isRunAt(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 42)) return false;
  }
  return true;
}

/** applyDisplay(text.slice(start, end), rule), without the slice. */
function applyDisplayAt(text: string, start: number, end: number, rule: DisplayRule): string {
  const out = maskingRules().outputChar;
  const hidden = Math.max(rule.hidden ?? end - start - rule.keepStart - rule.keepEnd, 1);
  const tail = rule.keepEnd > 0 ? text.slice(Math.max(start, end - rule.keepEnd), end) : '';
  return maskedHead(text, start, Math.min(end - start, rule.keepStart), hidden, out) + tail;
}

// The shown start and the masks after it (350502********, 138****), by the start's digits: the
// values of a roster share a few region codes, phone prefixes and BINs, and a hit costs neither a
// slice nor a concatenation. A direct-mapped table (a slot keeps the last start hashed to it).
const HEADS = 1024;
const headKeys = new Int32Array(HEADS).fill(-1);
const headStrings: string[] = new Array<string>(HEADS).fill('');
let headsOf = '';

/** text.slice(start, start + keep) + masks(out, hidden). */
function maskedHead(text: string, start: number, keep: number, hidden: number, out: string): string {
  if (out !== headsOf) {
    headsOf = out;
    headKeys.fill(-1);
  }
  // Up to six digits, 0–7 of them shown, up to 127 masks: one key below 2^31.
  let v = keep <= 6 && hidden < 128 ? 0 : -1;
  for (let i = 0; i < keep && v >= 0; i++) {
    const d = text.charCodeAt(start + i) - 48;
    v = d >= 0 && d <= 9 ? v * 10 + d : -1;
  }
  if (v < 0) return text.slice(start, start + keep) + masks(out, hidden);
  const key = ((v << 3) | keep) * 128 + hidden;
  const slot = (key ^ (key >>> 10) ^ (key >>> 20)) & (HEADS - 1);
  if (headKeys[slot] === key) return headStrings[slot]!;
  const head = text.slice(start, start + keep) + masks(out, hidden);
  headKeys[slot] = key;
  headStrings[slot] = head;
  return head;
}

/** The masked form of a detected value of `type`. */
export function maskValue(type: PiiType, raw: string, form?: IdCardForm): Masked {
  switch (type) {
    case 'id-card':
      return maskIdCard(raw, form);
    case 'mobile':
      return maskMobile(raw);
    case 'bank-card':
      return maskBankCard(raw);
    case 'address':
      return maskAddress(raw);
  }
}

/**
 * Masks every detected value — IDs, mobiles, bank cards and personal addresses, unmasked or
 * insufficiently masked — in arbitrary text. Use it for logs, error messages and evidence snippets:
 * nothing that reaches a user may skip this function. Sufficiently masked values stay as they are.
 */
/**
 * A URL as it may be shown or stored as evidence: personal data in its query or path
 * (`…?sfz=<ID>&tel=<mobile>`, `/files/<ID>.pdf`) masked, also when percent-encoded. A URL with
 * nothing to mask comes back unchanged, so links stay usable.
 */
export function maskUrl(url: string): Masked {
  const masked = maskText(url);
  if (masked !== url) return masked;
  let decoded: string;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    return masked;
  }
  if (decoded === url) return masked;
  const maskedDecoded = maskText(decoded);
  return maskedDecoded === decoded ? masked : maskedDecoded;
}

export function maskText(text: string): Masked {
  if (text === '') return brand(text);
  const spans = scanNormalized(normalizeWidth(text));
  if (spans.length === 0) return brand(text);
  let out = '';
  let pos = 0;
  for (const s of spans) {
    out += text.slice(pos, s.start) + maskValue(s.type, text.slice(s.start, s.end), s.form);
    pos = s.end;
  }
  return brand(out + text.slice(pos));
}
