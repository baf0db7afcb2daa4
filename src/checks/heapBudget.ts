import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Keeps the check stage's heap near what it keeps alive. Parsing a page leaves a few hundred KB of
 * garbage that lives long enough to reach V8's old generation, and V8 lets the old generation grow
 * to up to 4× the live data before collecting it: on a 21,000-page unit the stage kept ~70 MB and
 * peaked at 450 MB (bench/check-memory.ts). Collecting whenever the heap has grown by `slack` past
 * the last collection bounds the peak to live data + slack, at the cost of more full collections.
 * (--optimize-for-size bounds the growth too, but also stops V8 optimising large functions: the
 * parser ran ~40 % slower.)
 */
export class HeapBudget {
  private floor = 0;
  private count = 0;
  private readonly gc: (() => void) | undefined;

  constructor(
    /** Growth allowed past the live data of the last collection: the larger of this and a quarter of it. */
    private readonly slackBytes = 32 * 1024 * 1024,
    /** Pages between two looks at the heap (each costs microseconds). */
    private readonly every = 20,
  ) {
    this.gc = exposedGc();
    this.floor = getHeapStatistics().used_heap_size;
  }

  /** Called after each row or page is read: looks at the heap every `every` calls. */
  tick(): void {
    if (++this.count % this.every === 0) this.check();
  }

  /** Collect now if the heap has outgrown its budget (after a step that builds much at once). */
  check(): void {
    if (!this.gc) return;
    const used = getHeapStatistics().used_heap_size;
    if (used - this.floor < Math.max(this.slackBytes, this.floor / 4)) return;
    this.collect();
  }

  /** Collect whatever the heap holds now (between two phases: what the first kept is known). */
  settle(): void {
    if (this.gc) this.collect();
  }

  private collect(): void {
    this.gc!();
    this.floor = getHeapStatistics().used_heap_size;
  }
}

/**
 * V8's own full collection. Node exposes it only under --expose-gc; a context created after the
 * flag is set has it as a global, whatever flags the process started with.
 */
function exposedGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}
