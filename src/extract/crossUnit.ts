import type { RunScope } from '../crawl/scope.js';
import type { LinkRecord, ResourceRecord } from '../store/crawlData.js';
import type { UnitRow } from '../store/runs.js';

/**
 * What the other units of a run mean for one unit. On a 集约化 portal a 部门's column shares the
 * portal's header, footer and 互动 channels: those are the portal's to answer for, once.
 */
export interface CrossUnit {
  /** The unit owning the root of this unit's host, when that is another unit (the portal). */
  hostOwner?: string;
  /** The portal whose 互动 channels serve this unit (the host owner, else the parent), if any. */
  portal?: { unitId: string; name: string; hasChannel: boolean };
  /** Failed link targets the host owner's own pages link to as well: template links, the portal's. */
  templateLinks: Set<string>;
  /** This unit's failed pages that only other units' pages link to: those links are theirs. */
  linkedElsewhereOnly: Set<string>;
}

/** What the check stage knows about the whole run, built once and shared by every unit's evidence. */
export interface RunFacts {
  scope: RunScope;
  units: Map<string, UnitRow>;
  /** Failed URL → units whose pages link to it (crawlData.failedLinkers). */
  linkers: Map<string, Set<string>>;
  /** Units checked so far → whether they offer a working 互动 channel (portals are checked first). */
  channels: Map<string, boolean>;
}

export const NO_CROSS_UNIT: CrossUnit = { templateLinks: new Set(), linkedElsewhereOnly: new Set() };

export function crossUnitFacts(
  unit: UnitRow,
  resources: ResourceRecord[],
  links: Iterable<LinkRecord>,
  run: RunFacts | undefined,
): CrossUnit {
  if (!run) return NO_CROSS_UNIT;
  const start = unit.startUrls[0];
  const owner = start ? run.scope.hostOwnerOf(start) : undefined;
  const hostOwner = owner && owner !== unit.id ? owner : undefined;
  const portalId = hostOwner ?? (unit.parent && run.units.has(unit.parent) ? unit.parent : undefined);
  const portal = portalId
    ? {
        unitId: portalId,
        name: run.units.get(portalId)?.name ?? portalId,
        hasChannel: run.channels.get(portalId) ?? false,
      }
    : undefined;
  const templateLinks = new Set<string>();
  if (hostOwner)
    for (const l of links) if (run.linkers.get(l.toUrl)?.has(hostOwner)) templateLinks.add(l.toUrl);
  const linkedElsewhereOnly = new Set<string>();
  for (const r of resources) {
    const by = run.linkers.get(r.url);
    if (by && !by.has(unit.id)) linkedElsewhereOnly.add(r.url);
  }
  return {
    ...(hostOwner ? { hostOwner } : {}),
    ...(portal ? { portal } : {}),
    templateLinks,
    linkedElsewhereOnly,
  };
}
