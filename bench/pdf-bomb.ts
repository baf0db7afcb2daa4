/**
 * PDF decompression bombs: wall time and peak RSS of `extractAttachmentText` on PDFs whose content
 * stream inflates to 1 and 3 GiB (a few MB on disk), and the cost per ordinary PDF.
 *
 * Each file is extracted in a fresh subprocess (`--measure`), so one bomb can't inflate the next
 * figure; this process samples the RSS of that subprocess and of its descendants (the parser child)
 * from /proc every 20 ms. The subprocess reports its own exact peak (getrusage maxRSS) and the
 * longest event-loop stall it saw during the extraction.
 *
 * Usage: npx tsx bench/pdf-bomb.ts [--sizes 1,3] [--runs 20] [--no-guard]
 *   --sizes     bomb sizes in GiB of inflated content stream (default 1,3; 0 for none)
 *   --runs      extractions per ordinary PDF in one process, to separate the first call from the rest
 *   --no-guard  raise the pre-scan caps out of reach, to see what the parser child alone does with a
 *               bomb the pre-scan can't see (an encrypted one, say)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { extractAttachmentText } from '../src/extract/attachmentText.js';
import { bombPdf, pagesPdf, plainPage } from '../test/extract/pdfBombFiles.js';

const GIB = 1024 ** 3;
const MB = 1024 * 1024;
const SELF = fileURLToPath(import.meta.url);
const CORPUS = new URL('../../shared/corpus/attachments/', import.meta.url);

interface Measured {
  /** ms per extraction: the first, then the median of the rest. */
  firstMs: number;
  medianMs: number;
  /** Longest event-loop stall during the extractions, ms. */
  stallMs: number;
  idleRss: number;
  maxRss: number;
  warnings: string[];
  segments: number;
}

// Caps no bomb here reaches (ignored by code that predates them).
const NO_GUARD = { maxInflatedBytes: 1e15, maxStreamInflatedBytes: 1e15 };

/** Subprocess side: extract one file `runs` times and print what it cost as JSON. */
async function measure(file: string, runs: number, limits: object): Promise<void> {
  const body = readFileSync(file);
  const idleRss = process.memoryUsage().rss;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const times: number[] = [];
  let last = await extractAttachmentText(Buffer.alloc(0), { url: 'warm-up.pdf' });
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await extractAttachmentText(body, { url: file }, limits);
    times.push(performance.now() - t0);
  }
  loop.disable();
  const rest = times.slice(1).sort((a, b) => a - b);
  const out: Measured = {
    firstMs: times[0] ?? 0,
    medianMs: rest.length > 0 ? rest[Math.floor(rest.length / 2)]! : (times[0] ?? 0),
    stallMs: loop.max / 1e6,
    idleRss,
    maxRss: process.resourceUsage().maxRSS * 1024,
    warnings: last.warnings,
    segments: last.segments.length,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function descendants(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const kids = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const k of kids ? kids.split(/\s+/).map(Number) : []) out.push(k, ...descendants(k));
    }
  } catch {
    // The process has just exited.
  }
  return out;
}

interface Sampled extends Measured {
  wallMs: number;
  childPeak: number;
  totalPeak: number;
}

/** Runs `--measure` in a subprocess and samples its RSS and its children's. */
function run(file: string, runs: number, noGuard = false): Promise<Sampled> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const args = [
      '--import',
      'tsx',
      SELF,
      '--measure',
      file,
      String(runs),
      ...(noGuard ? ['--no-guard'] : []),
    ];
    const sub = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    let childPeak = 0;
    let totalPeak = 0;
    const sampler = setInterval(() => {
      if (!sub.pid) return;
      const kids = descendants(sub.pid).reduce((sum, pid) => sum + rssOf(pid), 0);
      childPeak = Math.max(childPeak, kids);
      totalPeak = Math.max(totalPeak, kids + rssOf(sub.pid));
    }, 20);
    sub.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    sub.on('error', reject);
    sub.on('exit', (code) => {
      clearInterval(sampler);
      const wallMs = performance.now() - t0;
      try {
        const m = JSON.parse(stdout.trim().split('\n').pop() ?? '') as Measured;
        resolve({ ...m, wallMs, childPeak, totalPeak: Math.max(totalPeak, m.maxRss) });
      } catch {
        reject(new Error(`measurement of ${basename(file)} failed (exit ${code}): ${stdout}`));
      }
    });
  });
}

const mb = (n: number): string => `${Math.round(n / MB)} MB`;
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const arg = (name: string, fallback: string): string => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
  };
  const sizes = arg('--sizes', '1,3')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const runs = Number(arg('--runs', '20'));
  const noGuard = process.argv.includes('--no-guard');
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-pdf-bomb-'));
  try {
    if (noGuard) console.log('pre-scan caps raised out of reach (--no-guard)');
    console.log(
      'bomb | on disk | wall | in extraction | parent peak RSS | child peak RSS | loop stall | warnings',
    );
    for (const gib of sizes) {
      const file = join(dir, `bomb-${gib}GiB.pdf`);
      const pdf = bombPdf(gib * GIB, ['Text after the bomb']);
      writeFileSync(file, pdf);
      const r = await run(file, 1, noGuard);
      console.log(
        `${gib} GiB | ${(pdf.length / MB).toFixed(1)} MB | ${s(r.wallMs)} | ${s(r.firstMs)} | ${mb(r.maxRss)} ` +
          `| ${mb(r.childPeak)} | ${s(r.stallMs)} | ${r.warnings.join('；') || '(none)'}`,
      );
    }
    const ordinary: string[] = [join(dir, 'ordinary-3-pages.pdf')];
    const lines = (p: number) =>
      Array.from({ length: 30 }, (_, i) => `Page ${p} line ${i + 1} of an ordinary notice`);
    writeFileSync(ordinary[0]!, pagesPdf([1, 2, 3].map((p) => plainPage(lines(p)))));
    if (existsSync(CORPUS))
      for (const f of readdirSync(CORPUS)
        .filter((n) => n.endsWith('.pdf'))
        .sort())
        ordinary.push(fileURLToPath(new URL(f, CORPUS)));
    console.log(
      `\nordinary PDF | size | first call | median of the next ${runs - 1} | parent peak RSS | child peak RSS | segments | warnings`,
    );
    for (const file of ordinary) {
      const r = await run(file, runs);
      const size = readFileSync(file).length;
      console.log(
        `${basename(file)} | ${Math.round(size / 1024)} KB | ${r.firstMs.toFixed(0)} ms | ${r.medianMs.toFixed(1)} ms ` +
          `| ${mb(r.maxRss)} | ${mb(r.childPeak)} | ${r.segments} | ${r.warnings.join('；') || '(none)'}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--measure')
  await measure(
    process.argv[3]!,
    Number(process.argv[4] ?? 1),
    process.argv.includes('--no-guard') ? NO_GUARD : {},
  );
else await main();
