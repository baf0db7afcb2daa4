import type { Unit } from '../seeds/unit.js';
import type { ResourceKind } from '../store/crawlData.js';
import { hostKey, isAttachmentUrl, privateNetwork } from './urls.js';

/** Which URLs belong to a unit (crawled), which are attachments (fetched anywhere) and which are only checked. */
export class UnitScope {
  readonly hosts: Set<string>;
  /** Private networks the unit's own seeds live in: only those may be requested. */
  readonly allowedPrivate: Set<string>;

  constructor(unit: Unit) {
    const seedUrls = [...unit.startUrls, ...unit.catalogues.map((c) => c.url)];
    this.hosts = new Set([...seedUrls.map(hostKey), ...unit.hosts.map((h) => h.toLowerCase())]);
    this.allowedPrivate = new Set(seedUrls.map(privateNetwork).filter((n): n is string => n !== undefined));
  }

  inScope(url: string): boolean {
    return this.hosts.has(hostKey(url));
  }

  kindOf(url: string): ResourceKind {
    if (isAttachmentUrl(url)) return 'attachment';
    return this.inScope(url) ? 'page' : 'external';
  }

  mayRequest(url: string): boolean {
    const network = privateNetwork(url);
    return network === undefined || this.allowedPrivate.has(network);
  }
}
