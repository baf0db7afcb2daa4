/** A unit under inspection, as declared in a seed file. */
export interface CatalogueRef {
  /** Pilot domain name, e.g. 社会救助 (matches rules/catalogues/<file>.yaml `domain`). */
  domain: string;
  url: string;
}

export interface Unit {
  /** Stable key, unique within a seed file (ASCII, used in file names and the store). */
  id: string;
  name: string;
  /** 区县 / 部门 / 乡镇街道 … free text. */
  level: string;
  /** id of the parent unit, if any. */
  parent?: string;
  startUrls: string[];
  catalogues: CatalogueRef[];
  /** Extra hosts (host or host:port) that belong to the unit besides the start URLs' hosts. */
  hosts: string[];
  contact?: string;
}
