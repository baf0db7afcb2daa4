/** The 26-domain name of a catalogue, from its title, headings or sheet name. */
import { CATALOGUE_DOMAINS } from '../catalogueRows.js';

const squash = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, '');

/**
 * The first text (in the order given: table title, heading, page title, sheet name) that names a
 * known domain, longest name first so 农村危房改造 wins over a shorter name inside it; a text
 * saying `XX领域` names XX even when XX is not a known domain.
 */
export function matchDomain(
  texts: (string | undefined)[],
  known: readonly string[] = [],
): string | undefined {
  const names = [...new Set([...CATALOGUE_DOMAINS, ...known])].sort((a, b) => b.length - a.length);
  for (const raw of texts) {
    if (!raw) continue;
    const t = squash(raw);
    const hit = names.find((d) => t.includes(d + '领域')) ?? names.find((d) => t.includes(d));
    if (hit) return hit;
    const m = /([\u4e00-\u9fff]{2,10})领域(?:基层)?政务公开/.exec(t);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/** A catalogue title among candidate texts: the first naming 目录 or 标准, else the first non-empty. */
export function pickTitle(texts: (string | undefined)[]): string | undefined {
  const clean = texts
    .map((t) => (t ?? '').replace(/\s+/g, ' ').trim())
    .filter((t) => t !== '' && t.length <= 120);
  return clean.find((t) => /目录|标准|清单/.test(t)) ?? clean[0];
}
