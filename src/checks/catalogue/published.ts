/**
 * The catalogues a unit published, as the checks see them: each parsed catalogue with the rule
 * domain it belongs to (the seed's pin first, then the domain its title names, by the domain's
 * name or one of its aliases), and the domains the unit must publish.
 */
import { domainsForUnit, type Catalogue } from '../../config/catalogues.js';
import type { CatalogueDocument, UnitEvidence } from '../../extract/unitEvidence.js';
import type { PublishedCatalogue } from '../../extract/catalogue/types.js';

export interface UnitCatalogue {
  doc: CatalogueDocument;
  catalogue: PublishedCatalogue;
  /** The rule data of its domain, when the domain is one of rules/catalogues. */
  rule?: Catalogue;
}

/** The rule domain a name (title, heading, sheet name) refers to; the longest name wins. */
export function ruleDomainOf(text: string | undefined, catalogues: Catalogue[]): Catalogue | undefined {
  if (!text) return undefined;
  let best: { c: Catalogue; len: number } | undefined;
  for (const c of catalogues)
    for (const name of [c.domain, ...(c.domainAliases ?? [])])
      if (text.includes(name) && (!best || name.length > best.len)) best = { c, len: name.length };
  return best?.c;
}

export function unitCatalogues(e: UnitEvidence, catalogues: Catalogue[]): UnitCatalogue[] {
  return e.catalogueDocuments.flatMap((doc) =>
    doc.catalogues.map((catalogue) => {
      const pinned = doc.pinnedDomain ? catalogues.find((c) => c.domain === doc.pinnedDomain) : undefined;
      const rule =
        pinned ??
        ruleDomainOf(catalogue.domain, catalogues) ??
        ruleDomainOf(catalogue.title, catalogues) ??
        ruleDomainOf(doc.title, catalogues);
      return { doc, catalogue, ...(rule ? { rule } : {}) };
    }),
  );
}

/** Domains the unit must publish: by its kind and name, plus any its seed names. */
export function requiredDomains(e: UnitEvidence, catalogues: Catalogue[]): Catalogue[] {
  const out = new Set(domainsForUnit(catalogues, e.unit));
  for (const ref of e.unit.catalogues) {
    const c = catalogues.find((x) => x.domain === ref.domain);
    if (c) out.add(c);
  }
  return catalogues.filter((c) => out.has(c));
}

/** The column a catalogue row's link opens (any of its pages), if the crawl grouped one there. */
export function columnAt(e: UnitEvidence, url: string): UnitEvidence['columns'][number] | undefined {
  return e.columns.find((c) => c.pages.includes(url) || c.url === url);
}

export function itemName(i: { first: string; second: string }): string {
  return `${i.first} › ${i.second}`;
}
