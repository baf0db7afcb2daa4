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
  /**
   * 政府信息公开专栏 parts the seed pins (part → full URL), when the crawler would not find them
   * by itself (an entry behind an image or a script menu). Pinned pages belong to the unit.
   */
  disclosure?: Partial<Record<DisclosurePin, string>>;
  contact?: string;
}

/** The 专栏 parts a seed may pin (标准目录 pages are pinned with `catalogues`). */
export const DISCLOSURE_PINS = [
  'column',
  'guide',
  'rules',
  'mandatory',
  'annual-report',
  'request',
  'interpretation',
] as const;
export type DisclosurePin = (typeof DISCLOSURE_PINS)[number];

/** A unit's pinned 专栏 pages as a list. */
export function disclosurePins(unit: Pick<Unit, 'disclosure'>): { part: DisclosurePin; url: string }[] {
  return Object.entries(unit.disclosure ?? {}).map(([part, url]) => ({
    part: part as DisclosurePin,
    url: url!,
  }));
}
