/**
 * What a table header cell says about the addresses under it (can it hold one, is it an office's or
 * a person's column), remembered per cell: every row of a roster asks about the same few cells.
 */
import type { Compiled } from './addressCompile.js';
import { columnAnswer, splitHeaderCells } from './context.js';

const KNOWN = 1;
export const HOLDS = 2;
export const OFFICE = 4;
export const PERSONAL = 8;

/** Header cell `k`: KNOWN, HOLDS when it can hold an address (an empty cell can), its columnKind. */
export function columnFacts(k: number, c: Compiled): number {
  let v = columnAnswer(c.factsByColumn, k);
  if (v === 0) {
    const cell = splitHeaderCells()[k]!;
    const kind = columnKind(cell, c);
    v = KNOWN | (cell === '' || columnHoldsAddress(cell, c) ? HOLDS : 0);
    v |= kind === 'office' ? OFFICE : kind === 'personal' ? PERSONAL : 0;
    c.factsByColumn.columns[k] = v;
  }
  return v;
}

/** A header cell that can hold an address (家庭住址, 所在村组 …: rules `addressColumns`). */
export function columnHoldsAddress(cell: string, c: Compiled): boolean {
  if (c.rules.addressColumns.length === 0) return true;
  let hit = c.addressCells.get(cell);
  if (hit === undefined) {
    hit = c.addressColumn.test(cell);
    if (c.addressCells.size < 4096) c.addressCells.set(cell, hit);
  }
  return hit;
}

/** What a header cell says about the addresses under it (remembered: cells repeat on every row). */
export function columnKind(column: string, c: Compiled): 'office' | 'personal' | 'none' {
  if (column === '') return 'none';
  let kind = c.columnKinds.get(column);
  if (kind === undefined) {
    kind = c.office.test(column) ? 'office' : c.personalHeader.test(column) ? 'personal' : 'none';
    if (c.columnKinds.size < 4096) c.columnKinds.set(column, kind);
  }
  return kind;
}
