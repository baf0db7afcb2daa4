/**
 * Dense-roster throughput of detectPersonalData alone, as bench/real's section 3 measures it (a
 * 20,000-row XLSX roster read by extractAttachmentText, one call per row segment with the header as
 * context, then the rows as one string), with repeats and CPU time beside wall time: a quick loop for
 * detector work without the rest of bench/real. Figures only.
 *
 * Usage: npx tsx bench/pii/roster.ts [--rows 20000] [--repeat 5] [--warmup 3]
 *
 * `--warmup` runs of each kind go first and are not counted: the figures are of optimised code (the
 * first pass over 20,000 rows is mostly the interpreter and compiler, whose threads count as CPU).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { extractAttachmentText } from '../../src/extract/attachmentText.js';
import { detectPersonalData } from '../../src/pii/detect.js';
import { denseRosterXlsx } from '../real/made.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '20000' },
    repeat: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '3' },
  },
});
const rows = Number(values.rows);
const text = await extractAttachmentText(denseRosterXlsx(rows), { url: 'file:///dense-roster.xlsx' });
const segments = text.segments;
const mb = segments.reduce((a, s) => a + Buffer.byteLength(s.text), 0) / 1048576;
const whole = segments.map((s) => s.text).join('\n');
const header = segments[0]?.context ?? segments[0]?.text ?? '';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Median MB/s by wall clock and by this process's CPU time (and CPU µs per row) over `repeat` runs. */
function measure(run: () => number): { wall: number; cpu: number; us: number; found: number } {
  const walls: number[] = [];
  const cpus: number[] = [];
  let found = 0;
  for (let r = 0; r < Number(values.warmup); r++) run();
  for (let r = 0; r < Math.max(1, Number(values.repeat)); r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    found = run();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  const cpu = median(cpus);
  return { wall: mb / (median(walls) / 1000), cpu: mb / (cpu / 1000), us: (cpu * 1000) / rows, found };
}

const perSegment = measure(() =>
  segments.reduce(
    (a, s) => a + detectPersonalData(s.text, s.context ? { context: s.context } : {}).length,
    0,
  ),
);
const oneString = measure(() => detectPersonalData(whole, { context: header }).length);
console.log(
  `dense roster (XLSX, ${rows} rows, ${segments.length} segments, ${mb.toFixed(2)} MB), ` +
    `median of ${values.repeat} after ${values.warmup} warm-up runs:\n` +
    `  per segment:   wall ${perSegment.wall.toFixed(1)} MB/s, CPU ${perSegment.cpu.toFixed(1)} MB/s, ` +
    `${perSegment.us.toFixed(2)} µs/row (${perSegment.found} matches)\n` +
    `  one string:    wall ${oneString.wall.toFixed(1)} MB/s, CPU ${oneString.cpu.toFixed(1)} MB/s, ` +
    `${oneString.us.toFixed(2)} µs/row (${oneString.found} matches)\n` +
    `  load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
);
