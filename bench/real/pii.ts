/**
 * Personal data the way `xuncha scan` finds it (scanInputs: extractAttachmentText, then
 * detectPersonalData per text segment), on real material (expected: nothing) and on self-made
 * documents with ground truth (made.ts). A finding is matched to a true value by where it sits in
 * the extracted text (its segment and offset inside the value), else by its masked form
 * (350502********1234 fits exactly one kind of value); every unmatched finding is a false positive.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatTable, scanInputs, type ScanFinding } from '../../src/cli/scanCommand.js';
import { extractAttachmentText, type TextSegment } from '../../src/extract/attachmentText.js';
import { maskText, maskValue } from '../../src/pii/mask.js';
import type { PiiType } from '../../src/pii/types.js';
import type { MadeDoc, Truth } from './made.js';

export const TYPES: PiiType[] = ['id-card', 'mobile', 'bank-card', 'address'];

export interface RealFile {
  file: string;
  kind: 'attachment' | 'page';
  findings: { type: PiiType; masked: string }[];
  errors: number;
  ms: number;
}

/** Real attachments and pages: every finding is a false positive (the corpus READMEs: no personal data). */
export async function runReal(corpus: string): Promise<RealFile[]> {
  const out: RealFile[] = [];
  for (const [sub, kind] of [
    ['attachments', 'attachment'],
    ['pages', 'page'],
  ] as const) {
    let names: string[];
    try {
      names = readdirSync(join(corpus, sub))
        .filter((f) => !/README/i.test(f))
        .sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const t0 = performance.now();
      const { report } = await scanInputs([join(corpus, sub, name)]);
      const ms = performance.now() - t0;
      const f = report.files[0];
      out.push({
        file: `${sub}/${name}`,
        kind,
        findings: (f?.findings ?? []).map((x) => ({ type: x.type, masked: x.masked })),
        errors: f?.errors.length ?? 0,
        ms,
      });
    }
  }
  return out;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface MadeResult {
  name: string;
  format: string;
  made: string;
  counts: Record<PiiType, Counts>;
  /** Recall per form of true value ("身份证号（Excel 数值）" …): found / total. */
  forms: Record<string, { found: number; total: number }>;
  /** False positives: finding type, masked form, what it was (a listed negative, or "其他"). */
  falsePositives: { type: PiiType; masked: string; what: string }[];
  /** Outputs of scan that show a true value unmasked. */
  leaks: string[];
  errors: string[];
  ms: number;
  textBytes: number;
}

const SPACE = '[\\s\\u3000\\u00a0]*';
const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Spans of `value` in `text`, white space allowed between any two characters (a wrapped cell). */
function spans(text: string, value: string): [number, number][] {
  const re = new RegExp([...value].map(escapeRe).join(SPACE), 'g');
  const out: [number, number][] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** Whether a masked finding can stand for this value: * for any one character; an address keeps its area. */
function maskFits(masked: string, type: PiiType, forms: string[]): boolean {
  const m = masked.replace(/\s/g, '');
  if (type === 'address') {
    const area = m.replace(/\*+$/, '');
    return area.length >= 4 && forms.some((f) => f.startsWith(area));
  }
  const re = new RegExp(`^${[...m].map((c) => (c === '*' ? '.' : escapeRe(c))).join('')}$`, 'i');
  return forms.some((f) => re.test(f.replace(/\s/g, '')));
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** OCR output only: a masked finding within 2 characters of the value's own masked form (a misread 头 → 护). */
function nearMask(masked: string, type: PiiType, value: string): boolean {
  return editDistance(masked, maskValue(type, value)) <= 2;
}

const OCR_FORMATS = new Set(['pdf-scan', 'image']);

const zero = (): Record<PiiType, Counts> => ({
  'id-card': { tp: 0, fp: 0, fn: 0 },
  mobile: { tp: 0, fp: 0, fn: 0 },
  'bank-card': { tp: 0, fp: 0, fn: 0 },
  address: { tp: 0, fp: 0, fn: 0 },
});

/** Every string scan would show, checked for true values (and their Excel forms) written out in full. */
function leaksIn(outputs: string, truths: Truth[]): string[] {
  const flat = outputs.replace(/[\s\u3000]/g, '');
  const found = new Set<string>();
  for (const t of truths)
    for (const f of t.forms) {
      const v = f.replace(/\s/g, '');
      if (v.length >= 8 && flat.includes(v)) found.add(`${t.what}：输出中出现完整值`);
    }
  return [...found];
}

export async function scoreDoc(doc: MadeDoc): Promise<MadeResult> {
  const t0 = performance.now();
  const { report, notes } = await scanInputs([doc.file]);
  const ms = performance.now() - t0;
  const findings: ScanFinding[] = report.files.flatMap((f) => f.findings);
  const errors = report.files.flatMap((f) => f.errors);
  // The same extraction again, for the text each finding's offset points into.
  const text = await extractAttachmentText(readFileSync(doc.file), {
    url: pathToFileURL(doc.file).href,
  });
  const segs = new Map<string, TextSegment[]>();
  for (const s of [{ location: '文件名', text: basename(doc.file) }, ...text.segments]) {
    const key = maskText(s.location) as string;
    segs.set(key, [...(segs.get(key) ?? []), s]);
  }
  const textBytes = text.segments.reduce((a, s) => a + Buffer.byteLength(s.text), 0);

  const counts = zero();
  const matched = new Set<number>();
  const falsePositives: MadeResult['falsePositives'] = [];
  for (const f of findings) {
    const segTexts = segs.get(f.location.segment) ?? [];
    const inside = (forms: string[]) =>
      segTexts.some((s) =>
        forms.some((v) => spans(s.text, v).some(([a, b]) => f.location.offset >= a && f.location.offset < b)),
      );
    let hit = doc.truths.findIndex((t, i) => !matched.has(i) && t.type === f.type && inside(t.forms));
    if (hit < 0)
      hit = doc.truths.findIndex(
        (t, i) => !matched.has(i) && t.type === f.type && maskFits(f.masked, t.type, t.forms),
      );
    if (hit < 0 && OCR_FORMATS.has(doc.format))
      hit = doc.truths.findIndex(
        (t, i) => !matched.has(i) && t.type === f.type && nearMask(f.masked, t.type, t.value),
      );
    if (hit >= 0) {
      matched.add(hit);
      counts[f.type].tp++;
      continue;
    }
    counts[f.type].fp++;
    const neg = doc.negatives.find((n) => inside([n.value]));
    const other = doc.truths.find((t) => inside(t.forms));
    falsePositives.push({
      type: f.type,
      masked: f.masked,
      what: neg ? neg.what : other ? `${other.what}（类型报错或重复）` : '其他',
    });
  }
  const forms: MadeResult['forms'] = {};
  doc.truths.forEach((t, i) => {
    const k = (forms[t.what] ??= { found: 0, total: 0 });
    k.total++;
    if (matched.has(i)) k.found++;
    else counts[t.type].fn++;
  });
  const outputs = JSON.stringify(report) + '\n' + formatTable(report, notes).join('\n');
  return {
    name: doc.name,
    format: doc.format,
    made: doc.made,
    counts,
    forms,
    falsePositives,
    leaks: leaksIn(outputs, doc.truths),
    errors,
    ms,
    textBytes,
  };
}

export interface Prf {
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export function prf(c: Counts): Prf {
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : null;
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : null;
  const f1 =
    precision !== null && recall !== null && precision + recall > 0
      ? (2 * precision * recall) / (precision + recall)
      : precision === null && recall === null
        ? null
        : 0;
  return { ...c, precision, recall, f1 };
}

export function sum(list: Counts[]): Counts {
  return list.reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), {
    tp: 0,
    fp: 0,
    fn: 0,
  });
}
