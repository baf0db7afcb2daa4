import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Lets a long stage share its process. The check stage reads a unit's pages through synchronous
 * SQLite calls and parses them on the main thread: awaited promises alone never let the event loop
 * turn, so a console serving pages (or a worker renewing its queue lock) in the same process would
 * wait for a whole unit. `maybeYield()` gives the loop one turn once `sliceMs` has passed since the
 * last, which bounds that wait to about one slice plus one page.
 */
export class LoopShare {
  private last = performance.now();

  constructor(private readonly sliceMs = 25) {}

  /** Resolves at once within the slice; after it, on the event loop's next turn. */
  async maybeYield(): Promise<void> {
    const now = performance.now();
    if (now - this.last < this.sliceMs) return;
    await nextTurn();
    this.last = performance.now();
  }
}
