/**
 * Memory and CPU of a process tree from /proc (Linux): bench/province.ts samples each queue
 * worker this way. A worker is one node process; its children (the PDF parser, Chromium when
 * rendering; tsx's esbuild compiler is left out, as bench/county does) are counted in the tree.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** A number field of /proc/<pid>/status (kB for Vm*, a count for Threads); 0 once the process is gone. */
export function statusNumber(pid: number, field: 'VmHWM' | 'VmRSS' | 'Threads'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on every Linux we run on). */
const USER_HZ = 100;

/** User + system CPU seconds of one process so far (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state(0) ppid(1) … utime(11) stime(12).
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return 0;
  }
}

/** Every process below `root` (children, grandchildren), with its command name. */
export function descendants(root: number): { pid: number; name: string }[] {
  const parent = new Map<number, { ppid: number; name: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      parent.set(Number(entry), { ppid, name });
    } catch {
      // gone meanwhile
    }
  }
  const out: { pid: number; name: string }[] = [];
  const below = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of parent)
      if (!below.has(pid) && below.has(p.ppid)) {
        below.add(pid);
        out.push({ pid, name: p.name });
        grew = true;
      }
  }
  return out;
}

/**
 * Peak memory of one process tree, sampled: the root's VmHWM (the kernel's own peak), the highest
 * root VmRSS seen, and the highest sum of VmRSS over the tree at one sample. The tree's members
 * are looked up again every `refreshEvery` samples (a /proc scan costs more than reading a few
 * status files).
 */
export class TreeSampler {
  hwmKb = 0;
  rssPeakKb = 0;
  treePeakKb = 0;
  /** Most threads of the root process at once (V8's, libuv's, and worker threads). */
  threadsMax = 0;
  cpuS = 0;
  children = new Set<string>();
  private members: number[] = [];
  private samples = 0;

  constructor(
    readonly pid: number,
    private readonly refreshEvery = 10,
  ) {}

  sample(): void {
    if (this.samples++ % this.refreshEvery === 0) {
      const below = descendants(this.pid).filter((p) => p.name !== 'esbuild');
      for (const p of below) this.children.add(p.name);
      this.members = below.map((p) => p.pid);
    }
    const rss = statusNumber(this.pid, 'VmRSS');
    if (!rss) return; // gone: keep the last readings
    this.hwmKb = Math.max(this.hwmKb, statusNumber(this.pid, 'VmHWM'));
    this.rssPeakKb = Math.max(this.rssPeakKb, rss);
    this.threadsMax = Math.max(this.threadsMax, statusNumber(this.pid, 'Threads'));
    this.treePeakKb = Math.max(
      this.treePeakKb,
      this.members.reduce((a, p) => a + statusNumber(p, 'VmRSS'), rss),
    );
    this.cpuS = Math.max(this.cpuS, cpuSeconds(this.pid));
  }
}
