/**
 * PII benchmark: precision, recall and F1 per type of detectPersonalData on a generated, labelled
 * corpus (bench/pii/corpus.ts: fake people, traps mixed in); false positives on the real government
 * pages of ../shared/corpus/pages (none of which publishes an ID, mobile, card or home address);
 * then throughput in MB/s (UTF-8 bytes) on both, by wall clock and by this process's CPU time.
 * Figures only: never a test. Nothing printed is an unmasked value.
 *
 * Usage: npx tsx bench/pii/run.ts [--mb 20] [--seed 20261124] [--repeat 3] [--examples 5] [--pages DIR]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as cheerio from 'cheerio';
import { visibleText } from '../../src/extract/visibleText.js';
import { detectPersonalData } from '../../src/pii/detect.js';
import { maskValue } from '../../src/pii/mask.js';
import type { PiiMatch, PiiType } from '../../src/pii/types.js';
import { generateCorpus, type Doc, type Label } from './corpus.js';

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '20' },
    seed: { type: 'string', default: '20261124' },
    repeat: { type: 'string', default: '3' },
    examples: { type: 'string', default: '5' },
    pages: {
      type: 'string',
      default: fileURLToPath(new URL('../../../shared/corpus/pages/', import.meta.url)),
    },
  },
});
const MB = 1024 * 1024;
const TODAY = new Date(2026, 10, 24);
const TYPES: PiiType[] = ['id-card', 'mobile', 'bank-card', 'address'];
const GOAL_F1 = 0.98;
const GOAL_MBPS = 50;

const t0 = performance.now();
const docs = generateCorpus(Number(values.mb) * MB, Number(values.seed));
const bytes = docs.reduce((a, d) => a + Buffer.byteLength(d.text), 0);
const chars = docs.reduce((a, d) => a + d.text.length, 0);
console.log(
  `corpus: ${docs.length} documents, ${(bytes / MB).toFixed(1)} MB UTF-8 (${(chars / 1e6).toFixed(1)} M chars), ` +
    `generated in ${((performance.now() - t0) / 1000).toFixed(1)} s, seed ${values.seed}`,
);

const detect = (d: Doc): PiiMatch[] =>
  detectPersonalData(
    d.text,
    d.context === undefined ? { today: TODAY } : { context: d.context, today: TODAY },
  );

// --- Accuracy ----------------------------------------------------------------------------------

interface Tally {
  tp: number;
  fp: number;
  fn: number;
  /** Labels found with the right insufficient flag. */
  flagOk: number;
}
const tally = Object.fromEntries(TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0, flagOk: 0 }])) as Record<
  PiiType,
  Tally
>;
const byForm = new Map<string, { found: number; total: number }>();
const fpExamples: string[] = [];
const fnExamples: string[] = [];
const maxExamples = Number(values.examples);
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;
const labelled = (d: Doc, l: Label) => maskValue(l.type, d.text.slice(l.start, l.end));

for (const d of docs) {
  const found = detect(d);
  const used = new Set<number>();
  for (const l of d.labels) {
    const key = `${l.type}/${l.form}`;
    const f = byForm.get(key) ?? { found: 0, total: 0 };
    f.total++;
    const i = found.findIndex((m, j) => !used.has(j) && m.type === l.type && overlaps(m, l));
    if (i >= 0) {
      used.add(i);
      tally[l.type].tp++;
      if (found[i]!.insufficient === l.insufficient) tally[l.type].flagOk++;
      f.found++;
    } else {
      tally[l.type].fn++;
      if (fnExamples.length < maxExamples) fnExamples.push(`${d.kind} ${key} ${labelled(d, l)}`);
    }
    byForm.set(key, f);
  }
  found.forEach((m, j) => {
    if (used.has(j)) return;
    tally[m.type].fp++;
    if (fpExamples.length < maxExamples) {
      const other = d.labels.find((l) => overlaps(m, l));
      fpExamples.push(`${d.kind} ${m.type} ${m.masked}${other ? ` (labelled ${other.type})` : ''}`);
    }
  });
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
console.log('\ntype        labels    TP    FP    FN  precision  recall     F1  flag-ok  goal F1≥0.98');
const f1s: Record<string, number> = {};
for (const t of TYPES) {
  const { tp, fp, fn, flagOk } = tally[t];
  const p = ratio(tp, tp + fp);
  const r = ratio(tp, tp + fn);
  const f1 = p + r === 0 ? 0 : (2 * p * r) / (p + r);
  f1s[t] = f1;
  console.log(
    `${t.padEnd(10)} ${String(tp + fn).padStart(7)} ${String(tp).padStart(5)} ${String(fp).padStart(5)} ` +
      `${String(fn).padStart(5)} ${p.toFixed(4).padStart(10)} ${r.toFixed(4).padStart(7)} ${f1.toFixed(4).padStart(6)} ` +
      `${ratio(flagOk, tp).toFixed(3).padStart(8)}  ${f1 >= GOAL_F1 ? 'MET' : 'NOT MET'}`,
  );
}
console.log('\nrecall per form:');
for (const [key, f] of [...byForm].sort())
  console.log(
    `  ${key.padEnd(34)} ${String(f.found).padStart(6)}/${String(f.total).padEnd(6)} ${ratio(f.found, f.total).toFixed(4)}`,
  );
if (fpExamples.length)
  console.log(`\nfalse positives (first ${maxExamples}, masked):\n  ${fpExamples.join('\n  ')}`);
if (fnExamples.length) console.log(`\nmissed (first ${maxExamples}, masked):\n  ${fnExamples.join('\n  ')}`);

// --- Real pages --------------------------------------------------------------------------------

/** Visible text of each real page (GB2312 pages decoded as GB18030), as the crawler's checks see it. */
function realPages(dir: string): { name: string; text: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((f) => {
      const bytes = readFileSync(join(dir, f));
      const html = new TextDecoder(/gb2312|gbk/i.test(f) ? 'gb18030' : 'utf-8').decode(bytes);
      return { name: f, text: visibleText(cheerio.load(html).root().children().toArray()) };
    });
}

const pages = realPages(values.pages);
if (pages.length === 0) console.log(`\nreal pages: ${values.pages} not found, skipped`);
else {
  const hits = pages.flatMap((p) =>
    detectPersonalData(p.text, { today: TODAY }).map((m) => `${p.name} ${m.type} ${m.masked}`),
  );
  const kb = pages.reduce((a, p) => a + Buffer.byteLength(p.text), 0) / 1024;
  console.log(
    `\nreal pages: ${pages.length} government pages (${kb.toFixed(0)} KB visible text), expected findings 0, ` +
      `reported ${hits.length}${hits.length ? `:\n  ${hits.join('\n  ')}` : ''}`,
  );
}

// --- Throughput --------------------------------------------------------------------------------

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

interface Timing {
  wallMbps: number;
  cpuMbps: number;
  ms: number;
}

/** Median of `repeat` runs of `run` over `bytes` bytes: MB/s by wall clock and by CPU time. */
function measure(bytes: number, run: () => number): Timing {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < Math.max(1, Number(values.repeat)); r++) {
    const c0 = process.cpuUsage();
    const t = performance.now();
    sink += run();
    walls.push(performance.now() - t);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  const mbps = (ms: number) => bytes / MB / (ms / 1000);
  return { wallMbps: mbps(median(walls)), cpuMbps: mbps(median(cpus)), ms: median(walls) };
}

let sink = 0;
const rows: [string, number, Timing][] = [];
rows.push([
  `labelled corpus, ${docs.length} calls`,
  bytes,
  measure(bytes, () => docs.reduce((a, d) => a + detect(d).length, 0)),
]);
const joined = docs.map((d) => d.text).join('\n\n');
const joinedBytes = Buffer.byteLength(joined);
rows.push([
  'labelled corpus as one string',
  joinedBytes,
  measure(joinedBytes, () => detectPersonalData(joined, { today: TODAY }).length),
]);
if (pages.length) {
  // The real pages again and again until the same volume: what a crawl of ordinary pages costs.
  const list: string[] = [];
  let total = 0;
  while (total < bytes)
    for (const p of pages) {
      list.push(p.text);
      total += Buffer.byteLength(p.text);
    }
  rows.push([
    `real pages ×${Math.round(list.length / pages.length)}, ${list.length} calls`,
    total,
    measure(total, () => list.reduce((a, t) => a + detectPersonalData(t, { today: TODAY }).length, 0)),
  ]);
}
console.log(`\nthroughput (median of ${values.repeat}; ${sink} matches counted)`);
console.log('text                                        MB      wall MB/s   CPU MB/s   goal ≥50');
for (const [name, b, t] of rows)
  console.log(
    `${name.padEnd(40)} ${(b / MB).toFixed(1).padStart(6)} ${t.wallMbps.toFixed(1).padStart(12)} ${t.cpuMbps
      .toFixed(1)
      .padStart(10)}   ${t.wallMbps >= GOAL_MBPS ? 'MET' : 'NOT MET'}`,
  );
const failing = TYPES.filter((t) => (f1s[t] ?? 0) < GOAL_F1);
console.log(`\ngoal F1 ≥ ${GOAL_F1} per type: ${failing.length ? `NOT MET (${failing.join(', ')})` : 'MET'}`);
