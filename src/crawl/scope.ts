import type { Unit } from '../seeds/unit.js';
import type { ResourceKind } from '../store/crawlData.js';
import { hostKey, isAttachmentUrl, isPrivateHost } from './urls.js';

/** Which URLs belong to a unit (crawled), which are attachments (fetched anywhere) and which are only checked. */
export class UnitScope {
  readonly hosts: Set<string>;
  /** Private/loopback targets are allowed only when the unit's own seed lives there. */
  readonly allowPrivate: boolean;

  constructor(unit: Unit) {
    const seedUrls = [...unit.startUrls, ...unit.catalogues.map((c) => c.url)];
    this.hosts = new Set([...seedUrls.map(hostKey), ...unit.hosts.map((h) => h.toLowerCase())]);
    this.allowPrivate = seedUrls.some(isPrivateHost);
  }

  inScope(url: string): boolean {
    return this.hosts.has(hostKey(url));
  }

  kindOf(url: string): ResourceKind {
    if (isAttachmentUrl(url)) return 'attachment';
    return this.inScope(url) ? 'page' : 'external';
  }

  mayRequest(url: string): boolean {
    return this.allowPrivate || !isPrivateHost(url);
  }
}
