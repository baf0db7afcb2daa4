/**
 * Which catalogue item a document belongs to, and so which 公开时限 applies to it: a row of a
 * published catalogue links to a column (or a page); the documents listed in that column are that
 * item's content. The row's own time limit wins, then its domain's default from the rule data.
 */
import type { Catalogue } from '../../config/catalogues.js';
import type { CatalogueTimeLimit, PublishedCatalogueRow } from '../../extract/catalogue/types.js';
import type { UnitEvidence } from '../../extract/unitEvidence.js';
import { columnAt, unitCatalogues } from './published.js';

export interface ItemLimit {
  row: PublishedCatalogueRow;
  limit: CatalogueTimeLimit;
  /** The catalogue the row is in (for evidence). */
  catalogueUrl: string;
}

export function itemLimitsByPage(e: UnitEvidence, catalogues: Catalogue[]): Map<string, ItemLimit> {
  const out = new Map<string, ItemLimit>();
  for (const c of unitCatalogues(e, catalogues)) {
    for (const row of c.catalogue.rows) {
      const limit =
        row.timeLimit?.kind === 'other' ? c.rule?.timeLimit : (row.timeLimit ?? c.rule?.timeLimit);
      if (!limit) continue;
      for (const link of row.links) {
        const entry = { row, limit, catalogueUrl: c.doc.url };
        const col = columnAt(e, link.url);
        const targets = col ? col.items.flatMap((i) => (i.url ? [i.url] : [])) : [link.url];
        // The first catalogue row naming a document decides; a later, vaguer one does not override.
        for (const url of targets) if (!out.has(url)) out.set(url, entry);
      }
    }
  }
  return out;
}
