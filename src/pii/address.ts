import { columnFacts, columnHoldsAddress, columnKind, HOLDS, OFFICE, PERSONAL } from './addressColumns.js';
import { isBlank, TextColumns } from './columns.js';
import { containsAnyIn, headerCellFor, headerColumnFor, headerFor } from './context.js';
import { addressRules, normalizeWidth, rawSpan, type AddressRules, type RawSpan } from './rules.js';
import { withSpan } from './span.js';
import { collectRuns, ENDS_X, LETTERS, type Runs } from './runs.js';
import { compile, isCjk, isCnNumeral, type Compiled, type LabelKind } from './addressCompile.js';

export interface AddressOptions {
  rules?: AddressRules;
  /** Table header labelling the text: a 家庭住址/住址 column makes its addresses personal. */
  context?: string;
  /** The header already passed through normalizeWidth: used instead of `context`. */
  header?: string;
  /** Runs of the normalised text when the caller already collected them (scan.ts shares them). */
  runs?: Runs;
  /** False when the caller knows the text holds no Chinese numeral (一…十): no 三组 search. */
  numerals?: boolean;
}

/** Why an address counts as a person's (kept for confidence). */
type Personal = 'label' | 'header' | 'row';

// Longest run of place-name characters read back from the first house-level part.
const MAX_AREA = 30;
// The row/sentence around the address read for personal context.
const WINDOW_BEFORE = 90;
const WINDOW_AFTER = 50;
// Text after the address still read for an organisation (…1号行政服务中心五楼).
const ORG_AFTER = 12;

// The kind of the label lastLabelIn found last.
let foundKind: LabelKind = 'generic';

/**
 * The end of the label ending last inside norm[from, to) (longest on ties), or -1; its kind is left
 * in `foundKind` (read in place: no slice and no result object per address).
 */
function lastLabelIn(norm: string, from: number, to: number, c: Compiled): number {
  for (let end = to; end > from; end--) {
    const code = norm.charCodeAt(end - 1);
    if (c.labelEnds[code] !== 1) continue;
    const candidates = c.labelsByLast.get(code);
    if (!candidates) continue;
    for (const l of candidates)
      if (end - from >= l.word.length && norm.startsWith(l.word, end - l.word.length)) {
        foundKind = l.kind;
        return end;
      }
  }
  return -1;
}

/** /[：:\s]/ by character code (\s as JavaScript defines it). */
function isColonOrBlank(c: number): boolean {
  return c === 0xff1a || c === 58 || isBlank(c);
}

/** The label written right before the address, across a colon or spaces (家庭住址：…). */
function labelBefore(norm: string, areaStart: number, c: Compiled): LabelKind | undefined {
  let i = areaStart;
  while (i > 0 && isColonOrBlank(norm.charCodeAt(i - 1))) i--;
  if (i === areaStart && areaStart > 0 && isCjk(norm.charCodeAt(areaStart - 1))) return undefined;
  return lastLabelIn(norm, Math.max(0, i - 6), i, c) === i ? foundKind : undefined;
}

/** Text around the address inside the same sentence (。！？； end it; table cells and lines don't). */
function sentenceWindow(norm: string, start: number, end: number): { before: string; after: string } {
  const from = Math.max(0, start - WINDOW_BEFORE);
  let before = norm.slice(from, start);
  const cut = Math.max(
    before.lastIndexOf('。'),
    before.lastIndexOf('！'),
    before.lastIndexOf('？'),
    before.lastIndexOf('；'),
  );
  if (cut >= 0) before = before.slice(cut + 1);
  // A window cut mid-cell would show a fragment (方式 of 联系方式) that looks like a name: drop it.
  else if (from > 0 && !CELL_SEPARATORS.includes(norm[from - 1] ?? '')) {
    let i = 0;
    while (i < before.length && !CELL_SEPARATORS.includes(before[i] ?? '')) i++;
    before = before.slice(i);
  }
  const to = Math.min(norm.length, end + WINDOW_AFTER);
  let after = norm.slice(end, to);
  const stop = after.search(/[。！？；]/);
  if (stop >= 0) after = after.slice(0, stop);
  else if (to < norm.length && !CELL_SEPARATORS.includes(norm[to] ?? '')) {
    let i = after.length;
    while (i > 0 && !CELL_SEPARATORS.includes(after[i - 1] ?? '')) i--;
    after = after.slice(0, i);
  }
  return { before, after };
}

const CELL_SEPARATORS = '\t\n|｜ ';

/**
 * Where the clause right before the address starts, inside its cell: 主办单位：示范区人民政府 地址：… With a bare
 * 地址 label at the start of a line, the line before belongs to the same block (主办单位：…⏎地址：…).
 */
function clauseStart(norm: string, start: number, label: LabelKind | undefined): number {
  const from = Math.max(0, start - 40);
  let i = start;
  while (i > from && !isClauseBreak(norm.charCodeAt(i - 1))) i--;
  if (label === 'generic' && i > 0 && norm.charCodeAt(i - 1) === 10) {
    let j = i - 1;
    while (j > Math.max(0, i - 41) && !isClauseBreak(norm.charCodeAt(j - 1))) j--;
    return j;
  }
  return i;
}

/** 。！？； line feed, tab. */
const isClauseBreak = (c: number): boolean =>
  c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 0xff1b || c === 10 || c === 9;

// An ID (18/15 characters), a mobile (11 from 1) or their masked forms in the row around the address.
const PERSONAL_NUMBER = /(?<![0-9A-Za-z*])(?:[\d*]{17}[\dXx*]|[\d*]{15}|1[\d*]{10})(?![0-9A-Za-z*])/g;

function hasPersonalNumber(text: string): boolean {
  PERSONAL_NUMBER.lastIndex = 0;
  for (let m = PERSONAL_NUMBER.exec(text); m; m = PERSONAL_NUMBER.exec(text)) {
    const s = m[0];
    let digits = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 48 && c <= 57 && ++digits >= 4) return true;
    }
  }
  return false;
}

/** A table cell that looks like a person's name (陈建国, 陈*, 欧阳**): common surname, 2–4 characters. */
const NAME_CELL = /(?:^|[\t\n|｜ ])([\u4e00-\u9fff][\u4e00-\u9fff*]{1,3})(?=$|[\t\n|｜ ])/g;

function hasNameCell(text: string, rules: AddressRules): boolean {
  for (const m of text.matchAll(NAME_CELL)) {
    const cell = m[1] ?? '';
    const surname = rules.compoundSurnames.has(cell.slice(0, 2))
      ? 2
      : rules.surnames.has(cell[0] ?? '')
        ? 1
        : 0;
    if (surname === 0 || cell.length <= surname) continue;
    if (rules.nameStopChars.has(cell.at(-1) ?? '')) continue;
    return true;
  }
  return false;
}

/**
 * True when the row/sentence around [start, end) is about a person: a person word (姓名, 户主, 当事人
 * …), another ID or mobile (masked or not), or a cell that looks like a name. Also used by the ID
 * detector for 15-digit numbers, which have no check digit to prove them.
 */
export function personalRowAround(
  norm: string,
  start: number,
  end: number,
  rules: AddressRules = addressRules(),
): boolean {
  const c = compile(rules);
  const w = sentenceWindow(norm, start, end);
  const around = `${w.before}\n${w.after}`;
  return c.person.test(around) || hasPersonalNumber(around) || hasNameCell(around, c.rules);
}

/** Decides whether the address belongs to a person; undefined = an office's or no personal context. */
function personalContext(
  norm: string,
  start: number,
  end: number,
  label: LabelKind | undefined,
  c: Compiled,
  header: string,
  table: TableScan,
): Personal | undefined {
  if (label === 'office') return undefined;
  if (label === 'personal') return 'label';
  // In a table row, only a column that can hold an address does (not 所在村 + 组 + 金额 read as one).
  // Under a tab-separated header, what the value's cell says is remembered by the cell's number.
  const k = header !== '' ? headerColumnFor(norm, start, header) : -1;
  const facts = k >= 0 ? columnFacts(k, c) : 0;
  if (k >= 0) {
    if ((facts & HOLDS) === 0) return undefined;
  } else {
    const cell = header !== '' ? headerCellFor(norm, start, header) : tableCell(norm, start, end, c, table);
    if (cell !== '' && !columnHoldsAddress(cell, c)) return undefined;
  }
  // In the address itself only whole words count: 科/股 alone are too common in place names.
  let selfEnd = end;
  const limit = Math.min(norm.length, end + ORG_AFTER);
  while (selfEnd < limit && isCjk(norm.charCodeAt(selfEnd))) selfEnd++;
  if (containsAnyIn(norm, start, selfEnd, c.organisationWholeWords)) return undefined;
  if (containsAnyIn(norm, clauseStart(norm, start, label), start, c.rules.organisationWords))
    return undefined;
  if (header !== '') {
    const kind =
      k < 0
        ? columnKind(headerFor(norm, start, header), c)
        : facts & OFFICE
          ? 'office'
          : facts & PERSONAL
            ? 'personal'
            : 'none';
    if (kind === 'office') return undefined;
    if (kind === 'personal') return 'header';
  }
  return personalRowAround(norm, start, end, c.rules) ? 'row' : undefined;
}

/** Per scan: the header rows of tables in the text (looked for on the first address in a table row). */
interface TableScan {
  columns?: TextColumns | null;
}

/** The header cell over a value in a tab-separated row of the text itself; '' when none is found. */
function tableCell(norm: string, start: number, end: number, c: Compiled, table: TableScan): string {
  if (table.columns === undefined)
    table.columns =
      norm.includes('\t') && c.columnNames.test(norm)
        ? new TextColumns(norm, c.columnNameWords, (cell) => c.columnNames.test(cell))
        : null;
  return table.columns === null ? '' : table.columns.tabHeaderAt(start, end);
}

const CONFIDENCE: Readonly<Record<Personal, number>> = { label: 0.9, header: 0.8, row: 0.7 };

/**
 * Starts and ends of house-level parts right after a Chinese character (…村3组, …路66号, …社区8幢,
 * …村三组), in order: numbers come from the shared runs (with 3-2-301 hyphen chains), Chinese
 * numerals from a regex that only starts on a numeral.
 */
function anchors(norm: string, runs: Runs, c: Compiled, numerals: boolean): Anchors {
  // Start and end of each part, flat, in arrays reused by every scan (scans do not nest; an array
  // grown from empty per row cost a builtin call or two).
  const out = anchorScratch;
  out.count = 0;
  for (let k = 0; k < runs.count; k++) {
    const start = runs.start[k]!;
    if (start === 0 || runs.flags[k]! & (LETTERS | ENDS_X) || !isCjk(norm.charCodeAt(start - 1))) continue;
    let j = k;
    while (
      j + 1 < runs.count &&
      runs.end[j]! < norm.length &&
      norm.charCodeAt(runs.end[j]!) === 45 &&
      runs.start[j + 1] === runs.end[j]! + 1 &&
      !(runs.flags[j + 1]! & (LETTERS | ENDS_X))
    )
      j++;
    const end = runs.end[j]!;
    // Only the units starting with the character after the number can follow it.
    const units = !c.unitsByFirst
      ? c.houseUnits
      : end < norm.length
        ? c.unitsByFirst[norm.charCodeAt(end)]
        : undefined;
    const unit = units ? unitAt(norm, end, units) : -1;
    if (unit >= 0) addAnchor(out, start, end + unit);
  }
  if (c.rules.chineseNumeralUnits.length === 0 || !numerals) return out;
  const cn: [number, number][] = [];
  c.cnAnchor.lastIndex = 0;
  for (let m = c.cnAnchor.exec(norm); m; m = c.cnAnchor.exec(norm)) cn.push([m.index, m.index + m[0].length]);
  if (cn.length === 0) return out;
  const pairs: [number, number][] = [];
  for (let i = 0; i < out.count; i++) pairs.push([out.at[2 * i]!, out.at[2 * i + 1]!]);
  // Stable: of equal starts the numbered part stays first, as before.
  const sorted = [...pairs, ...cn].sort((x, y) => x[0] - y[0]);
  out.count = 0;
  for (const [s, e] of sorted) addAnchor(out, s, e);
  return out;
}

/** House-level parts found by anchors: part i spans at[2i]..at[2i + 1]. */
interface Anchors {
  count: number;
  at: Int32Array;
}

const anchorScratch: Anchors = { count: 0, at: new Int32Array(32) };

function addAnchor(out: Anchors, start: number, end: number): void {
  const i = 2 * out.count;
  if (i + 2 > out.at.length) {
    const grown = new Int32Array(out.at.length * 2);
    grown.set(out.at);
    out.at = grown;
  }
  out.at[i] = start;
  out.at[i + 1] = end;
  out.count++;
}

/** Length of the first of `units` (longest first) written at `at`, or -1. */
function unitAt(norm: string, at: number, units: readonly string[]): number {
  // By character codes: units are a character or two (a startsWith call per unit cost more).
  for (let k = 0; k < units.length; k++) {
    const u = units[k]!;
    let j = 0;
    if (at + u.length > norm.length) continue;
    while (j < u.length && norm.charCodeAt(at + j) === u.charCodeAt(j)) j++;
    if (j === u.length) return j;
  }
  return -1;
}

/** findAddresses on text already passed through normalizeWidth (the detectors share one pass). */
export function findAddressesNormalized(norm: string, opts: AddressOptions = {}): RawSpan[] {
  const c = compile(opts.rules ?? addressRules());
  const header = opts.header ?? normalizeWidth(opts.context ?? '');
  // Made with its first span (an empty array grows, by a builtin call, on its first push).
  let spans: RawSpan[] | undefined;
  const table: TableScan = {};
  let lastEnd = 0;
  const found = anchors(norm, opts.runs ?? collectRuns(norm), c, opts.numerals !== false);
  for (let f = 0; f < 2 * found.count; f += 2) {
    const a = found.at[f]!;
    const anchorEnd = found.at[f + 1]!;
    if (a < lastEnd || a === 0) continue;
    const prev = norm.charCodeAt(a - 1);
    // 第3组, 〔2026〕12号, 备案 35050202000123号: no place name right before the number.
    if (!isCjk(prev) || prev === 0x7b2c) continue;
    let areaStart = a;
    // Where the last unit that can end a label is, noted on the way back (most place names hold
    // none): lastLabelIn need not read the run again.
    let labelTo = -1;
    while (areaStart > 0 && a - areaStart < MAX_AREA) {
      const u = norm.charCodeAt(areaStart - 1);
      if (!isCjk(u)) break;
      if (labelTo < 0 && c.labelEnds[u] === 1) labelTo = areaStart;
      areaStart--;
    }
    let label = labelBefore(norm, areaStart, c);
    // A label inside the place-name run starts the address after it (lastLabelIn(norm, areaStart, a)).
    const inner = labelTo < 0 ? -1 : lastLabelIn(norm, areaStart, labelTo, c);
    if (inner >= 0) {
      label = foundKind;
      areaStart = inner;
    }
    if (a - areaStart < 2 || !containsAnyIn(norm, areaStart + 1, a, c.rules.areaSuffixes)) continue;
    // Extend over further house-level parts: 滨江花园小区3幢2单元301室 (sticky: a match starts at
    // `end`, and lastIndex is its end; test makes no result array).
    let end = anchorEnd;
    for (;;) {
      c.next.lastIndex = end;
      if (!c.next.test(norm)) break;
      end = c.next.lastIndex;
    }
    // The place-name run is Chinese characters only: masks can only be in the detail.
    let masked = false;
    let shown = false;
    for (let i = a; i < end; i++) {
      const ch = norm.charCodeAt(i);
      if (ch === 42) masked = true;
      else if ((ch >= 48 && ch <= 57) || isCnNumeral(ch)) shown = true;
    }
    while (end < norm.length && norm.charCodeAt(end) === 42) {
      end++;
      masked = true;
    }
    // Every house-level number hidden (后洋村**组**号): sufficiently masked, not a finding.
    if (!shown) continue;
    lastEnd = end;
    const personal = personalContext(norm, areaStart, end, label, c, header, table);
    if (!personal) continue;
    spans = withSpan(
      spans,
      rawSpan('address', areaStart, end, masked, CONFIDENCE[personal], undefined, undefined, undefined, a),
    );
  }
  return spans ?? [];
}

/**
 * Finds a person's 具体住址: a place-name run (…镇…村, …街道…社区, …路) followed by a house-level part
 * (3组12号, 8幢2单元301室), reported only with personal context — a personal label (家庭住址, 住址,
 * 现住), a 住址 column header, or an ID/mobile/name in the same row — and never as an office's
 * address (办公地址, an organisation before it, 行政服务中心 in it). An address that stops at the
 * street/village (西山镇后洋村***) or hides every house-level number is sufficiently masked.
 */
export function findAddresses(text: string, opts: AddressOptions = {}): RawSpan[] {
  return findAddressesNormalized(normalizeWidth(text), opts);
}
