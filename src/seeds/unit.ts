/** A unit under inspection, as declared in a seed file. */
export interface CatalogueRef {
  /** Pilot domain name, e.g. 社会救助 (matches rules/catalogues/<file>.yaml `domain`). */
  domain: string;
  url: string;
}

export interface Unit {
  /**
   * Stable key, unique within a seed file: batches are compared (整改复查) and reviews matched by it.
   * Any text up to 64 characters without / \ : * ? " < > | or control characters, so Chinese ids
   * work and the id is always safe in a file name; generated from the name when the seed file has
   * none (see src/seeds/seedIds.ts).
   */
  id: string;
  name: string;
  /** 区县 / 部门 / 乡镇街道 … free text. */
  level: string;
  /** id of the parent unit, if any (a seed file may name the parent; the reader resolves it). */
  parent?: string;
  startUrls: string[];
  catalogues: CatalogueRef[];
  /** Extra hosts (host or host:port) that belong to the unit besides the start URLs' hosts. */
  hosts: string[];
  /**
   * Extra URL prefixes that belong to the unit (a 部门's news column elsewhere on the county
   * portal), as full http(s) URLs. readSeeds always sets it (often []); optional only because
   * batches in the store do not keep it yet, so units loaded from there lack it.
   */
  paths?: string[];
  contact?: string;
}
