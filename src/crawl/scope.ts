import type { ResourceKind } from '../store/crawlData.js';
import { hostKey, isAttachmentUrl } from './urls.js';

/**
 * Who a URL belongs to. Since 政府网站集约化 most 部门 and 乡镇 are columns of the county portal, so
 * a unit is not a host but a set of (host, path prefix) rules:
 * - a start URL with a path (`http://www.xx.gov.cn/zwgk/bm/mzj/`) claims that directory;
 *   a start URL at the root (`/`, `/index.html`) claims the whole host;
 * - a pinned catalogue or 专栏 page claims exactly its own path;
 * - `hosts:` claims whole hosts, `paths:` more prefixes (a 部门's news column elsewhere on the portal).
 * The longest matching prefix wins, so the portal owns what no column claims. Paths compare case-
 * insensitively: many county CMSs run on IIS, where /ZWGK/ and /zwgk/ are one page.
 */
export interface ScopedUnit {
  id: string;
  startUrls: string[];
  catalogues: { url: string }[];
  disclosure?: Partial<Record<string, string>>;
  hosts: string[];
  paths?: string[];
}

interface Rule {
  unitId: string;
  prefix: string;
  /** A pinned page: matches its own path only. */
  exact: boolean;
}

/** The directory a start URL stands for: /a/b/index.html → /a/b/, /a/b → /a/b/, / → /. */
export function directoryOf(pathname: string): string {
  const path = pathname.toLowerCase();
  if (path.endsWith('/')) return path;
  const last = path.slice(path.lastIndexOf('/') + 1);
  // index.html, default.aspx, list.shtml…: a file; anything without a dot is a directory.
  return last.includes('.') ? path.slice(0, path.lastIndexOf('/') + 1) : `${path}/`;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname.toLowerCase();
  } catch {
    return '/';
  }
}

/**
 * 大汉 (Hanweb) keeps a column's articles outside its folder — /art/2026/12/1/art_1229_5.html
 * belongs to /col/col1229/ — so an article is also matched under its column's path.
 */
const HANWEB_ARTICLE = /\/art_(\d+)_\d+\.html?$/;

function pathsOf(url: string): string[] {
  const path = pathOf(url);
  const column = HANWEB_ARTICLE.exec(path)?.[1];
  return column ? [path, `/col/col${column}/`] : [path];
}

/** A folder prefix holds its own path without the slash too (/zwgk/mzj holds /zwgk/mzj). */
function holds(rule: Rule, path: string): boolean {
  if (rule.exact) return path === rule.prefix;
  return path.startsWith(rule.prefix) || `${path}/` === rule.prefix;
}

export class RunScope {
  private readonly rules = new Map<string, Rule[]>();
  readonly unitIds: string[];

  constructor(units: ScopedUnit[]) {
    this.unitIds = units.map((u) => u.id);
    for (const u of units) {
      for (const url of u.startUrls) this.add(hostKey(url), u.id, directoryOf(pathOf(url)), false);
      for (const c of u.catalogues) this.add(hostKey(c.url), u.id, pathOf(c.url), true);
      for (const url of Object.values(u.disclosure ?? {}))
        if (url) this.add(hostKey(url), u.id, pathOf(url), true);
      for (const h of u.hosts) this.add(h.toLowerCase(), u.id, '/', false);
      for (const p of u.paths ?? []) this.add(hostKey(p), u.id, directoryOf(pathOf(p)), false);
    }
    // Longest first; on a tie the unit listed first in the seed file keeps it.
    for (const list of this.rules.values()) list.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  private add(host: string, unitId: string, prefix: string, exact: boolean): void {
    const list = this.rules.get(host) ?? [];
    if (!list.some((r) => r.prefix === prefix && r.exact === exact)) list.push({ unitId, prefix, exact });
    this.rules.set(host, list);
  }

  /** Hosts some unit has a rule on. */
  get hosts(): string[] {
    return [...this.rules.keys()];
  }

  /** The unit whose longest prefix holds the URL, undefined when no unit claims it. */
  ownerOf(url: string): string | undefined {
    return this.match(url)?.unitId;
  }

  /** The owner, only when it claims the URL by a path (not by owning the host's root). */
  pathOwnerOf(url: string): string | undefined {
    const m = this.match(url);
    return m && m.prefix !== '/' ? m.unitId : undefined;
  }

  /** The unit owning the root of the URL's host (the portal on a 集约化 host), if any. */
  hostOwnerOf(url: string): string | undefined {
    let host: string;
    try {
      host = hostKey(url);
    } catch {
      return undefined;
    }
    return this.rules.get(host)?.find((r) => r.prefix === '/')?.unitId;
  }

  private match(url: string): Rule | undefined {
    let host: string;
    try {
      host = hostKey(url);
    } catch {
      return undefined;
    }
    const list = this.rules.get(host);
    if (!list) return undefined;
    const paths = pathsOf(url);
    return list.find((r) => paths.some((p) => holds(r, p)));
  }

  /** Whether some unit has a rule on the URL's host. */
  private onOurHost(url: string): boolean {
    try {
      return this.rules.has(hostKey(url));
    } catch {
      return false;
    }
  }

  /**
   * Where a link found on a page of `referrer` goes: a page of whichever unit owns it; a page on
   * one of our hosts that no unit claims follows the referring unit (a column's articles often
   * live in a shared folder such as /art/ or /content/); an attachment belongs to the unit whose
   * path holds it, else to the referring unit (CMSs keep every column's files in one upload
   * folder, and a 部门's roster is the 部门's, not the portal's); anything else is an external link
   * of the referring unit, checked but not crawled.
   */
  place(url: string, referrer: string): { unitId: string; kind: ResourceKind } {
    if (isAttachmentUrl(url)) return { unitId: this.pathOwnerOf(url) ?? referrer, kind: 'attachment' };
    const owner = this.ownerOf(url);
    if (owner) return { unitId: owner, kind: 'page' };
    return this.onOurHost(url) ? { unitId: referrer, kind: 'page' } : { unitId: referrer, kind: 'external' };
  }
}

/**
 * Units that must be crawled together because they share a host: one crawler per group fetches
 * each page once and hands it to its owner, and the group's host keeps one politeness budget.
 */
export function hostGroups<U extends ScopedUnit>(units: U[]): U[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const root = find(p);
    parent.set(x, root);
    return root;
  };
  const hostsOf = (u: U) => new RunScope([u]).hosts;
  for (const u of units) {
    const [first, ...rest] = hostsOf(u).map((h) => `h:${h}`);
    if (first) for (const h of rest) parent.set(find(h), find(first));
  }
  const groups = new Map<string, U[]>();
  for (const u of units) {
    const first = hostsOf(u)[0];
    const key = first ? find(`h:${first}`) : `u:${u.id}`;
    groups.set(key, [...(groups.get(key) ?? []), u]);
  }
  return [...groups.values()];
}
