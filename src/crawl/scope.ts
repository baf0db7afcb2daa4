import type { Unit } from '../seeds/unit.js';
import type { ResourceKind } from '../store/crawlData.js';
import { hostKey, isAttachmentUrl } from './urls.js';

/** Which URLs belong to a unit (crawled), which are attachments (fetched anywhere) and which are only checked. What may be requested at all is the RequestGuard's to say. */
export class UnitScope {
  readonly hosts: Set<string>;

  constructor(unit: Unit) {
    const seedUrls = [...unit.startUrls, ...unit.catalogues.map((c) => c.url)];
    this.hosts = new Set([...seedUrls.map(hostKey), ...unit.hosts.map((h) => h.toLowerCase())]);
  }

  inScope(url: string): boolean {
    return this.hosts.has(hostKey(url));
  }

  kindOf(url: string): ResourceKind {
    if (isAttachmentUrl(url)) return 'attachment';
    return this.inScope(url) ? 'page' : 'external';
  }
}
