/**
 * Equivalence check for detector refactors: runs detectPersonalData (and maskText) over fixed inputs
 * and writes every result as canonical JSON lines, so the output of two commits can be compared byte
 * for byte (`cmp`, or the printed sha256). Nothing in the file is an unmasked value: matches are
 * written as the detector returns them (masked), the fingerprint as the ordinal of its first
 * appearance (the HMAC key is drawn per process; equal values must still get equal ordinals), and
 * maskText output only as a hash.
 *
 * Inputs: the bench/pii generated corpus (per document with its header context, and as one string),
 * the real pages of ../shared/corpus/pages, a dense XLSX roster as `xuncha scan` reads it (per
 * segment and as one string), and bench/real's self-made documents' extracted text (--made; needs
 * Chromium for the PDFs, OCR formats skipped).
 *
 * Usage: npx tsx bench/pii/equivalence.ts [--out FILE] [--mb 20] [--seed 20261124] [--rows 3000] [--made]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as cheerio from 'cheerio';
import { extractAttachmentText } from '../../src/extract/attachmentText.js';
import { visibleText } from '../../src/extract/visibleText.js';
import { detectPersonalData } from '../../src/pii/detect.js';
import { maskText } from '../../src/pii/mask.js';
import type { PiiMatch } from '../../src/pii/types.js';
import { buildDocs, denseRosterXlsx } from '../real/made.js';
import { generateCorpus } from './corpus.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(tmpdir(), 'xuncha-pii-equivalence.jsonl') },
    mb: { type: 'string', default: '20' },
    seed: { type: 'string', default: '20261124' },
    rows: { type: 'string', default: '3000' },
    made: { type: 'boolean', default: false },
    pages: {
      type: 'string',
      default: fileURLToPath(new URL('../../../shared/corpus/pages/', import.meta.url)),
    },
  },
});
const TODAY = new Date(2026, 10, 24);
const MB = 1024 * 1024;

const lines: string[] = [];
const ordinals = new Map<string, number>();
let matches = 0;

/**
 * A match as one fixed record: its fields in the order of PiiMatch (the fingerprint after the
 * confidence, the optional form and note last), whatever the object's own layout is. The lines are
 * then comparable across commits that change how a match is built (class, accessor, plain object).
 */
function canonical(m: PiiMatch, fp: number): Record<string, unknown> {
  const o: Record<string, unknown> = {
    type: m.type,
    masked: m.masked,
    insufficient: m.insufficient,
    start: m.start,
    end: m.end,
    confidence: m.confidence,
    fingerprint: fp,
  };
  if (m.form !== undefined) o.form = m.form;
  if (m.note !== undefined) o.note = m.note;
  return o;
}

/** One line per input: its set, index, and every match with the fingerprint as an ordinal. */
function record(set: string, i: number, found: PiiMatch[], masked?: string): void {
  const out = found.map((m) => {
    let fp = ordinals.get(m.fingerprint);
    if (fp === undefined) ordinals.set(m.fingerprint, (fp = ordinals.size));
    return canonical(m, fp);
  });
  matches += out.length;
  const hash = masked === undefined ? undefined : createHash('sha256').update(masked).digest('hex');
  lines.push(JSON.stringify({ set, i, matches: out, ...(hash ? { maskText: hash } : {}) }));
}

function run(set: string, texts: { text: string; context?: string }[], withMaskText = false): void {
  texts.forEach((t, i) => {
    const opts = t.context === undefined ? { today: TODAY } : { context: t.context, today: TODAY };
    record(set, i, detectPersonalData(t.text, opts), withMaskText ? maskText(t.text) : undefined);
  });
}

const t0 = performance.now();

// 1. The labelled bench corpus, per document (maskText too) and as one string.
const docs = generateCorpus(Number(values.mb) * MB, Number(values.seed));
run('pii-corpus', docs, true);
run('pii-corpus-joined', [{ text: docs.map((d) => d.text).join('\n\n') }]);

// 2. Real government pages (expected to hold nothing; whatever is found must stay the same).
if (existsSync(values.pages)) {
  const pages = readdirSync(values.pages)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((f) => {
      const html = new TextDecoder(/gb2312|gbk/i.test(f) ? 'gb18030' : 'utf-8').decode(
        readFileSync(join(values.pages, f)),
      );
      return { text: visibleText(cheerio.load(html).root().children().toArray()) };
    });
  run('real-pages', pages, true);
}

// 3. A dense XLSX roster as scan reads it: one segment per row under the header, then as one string.
const tmp = mkdtempSync(join(tmpdir(), 'xuncha-pii-eq-'));
try {
  const roster = await extractAttachmentText(denseRosterXlsx(Number(values.rows)), {
    url: 'file:///dense-roster.xlsx',
  });
  run('roster-segments', roster.segments);
  const header = roster.segments[0]?.context ?? '';
  run('roster-joined', [{ text: roster.segments.map((s) => s.text).join('\n'), context: header }]);
  run('roster-joined-no-context', [{ text: [header, ...roster.segments.map((s) => s.text)].join('\n') }]);

  // 4. bench/real's self-made documents (their extracted text; OCR formats are left out).
  if (values.made) {
    const built = await buildDocs(join(tmp, 'made'));
    for (const d of built.docs) {
      if (d.format === 'pdf-scan' || d.format === 'image') continue;
      const text = await extractAttachmentText(readFileSync(d.file), { url: pathToFileURL(d.file).href });
      run(`made/${d.name}`, text.segments, true);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const body = lines.join('\n') + '\n';
writeFileSync(values.out, body);
console.log(
  `${lines.length} inputs, ${matches} matches, ${ordinals.size} distinct fingerprints in ` +
    `${((performance.now() - t0) / 1000).toFixed(1)} s → ${values.out}\n` +
    `sha256 ${createHash('sha256').update(body).digest('hex')}`,
);
// The PDF parser child and the browser would keep the process alive for a while.
process.exit(0);
