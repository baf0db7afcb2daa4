import type { PageFacts } from '../extract/htmlPage.js';
import type { PageStep, PageVisitor } from '../extract/unitEvidence.js';
import type { Check, CheckContext } from './defineCheck.js';

/**
 * The `page` steps of a unit's checks, run on each page as the evidence streams it past: each
 * check's notes by page URL, and the first error a step threw (that check then reports the error
 * for the unit instead of running, as if `run` had thrown).
 */
export class PageSteps {
  private readonly notes = new Map<string, Map<string, unknown>>();
  private readonly errors = new Map<string, unknown>();

  constructor(private readonly steps: { check: Check; ctx: CheckContext<unknown> }[]) {
    for (const { check } of steps) if (check.page) this.notes.set(check.id, new Map());
  }

  readonly visit: PageVisitor = (page: PageFacts, step: PageStep) => {
    for (const { check, ctx } of this.steps) {
      if (!check.page || this.errors.has(check.id)) continue;
      try {
        const note = check.page(page, ctx, step);
        if (note !== undefined) this.notes.get(check.id)!.set(page.url, note);
      } catch (err) {
        this.errors.set(check.id, err);
      }
    }
  };

  /** The notes for a check's `run` (undefined for a check without a page step). */
  notesOf(checkId: string): ReadonlyMap<string, unknown> | undefined {
    return this.notes.get(checkId);
  }

  /** What the check's page step threw, if it did. */
  errorOf(checkId: string): unknown {
    return this.errors.get(checkId);
  }

  hasError(checkId: string): boolean {
    return this.errors.has(checkId);
  }
}
