import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

/**
 * What a request may carry and where it may lead: form values as plain strings, redirects that stay
 * on this site, files that stay inside their folder. Shared by the server and the pages (which must
 * not import the server: it imports them).
 */

/** A next= target that stays on this site: a path, never `//host` or a scheme. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
    return '/';
  if (/[\x00-\x1f\\]/.test(next) || next.length > 2000) return '/';
  return next;
}

export function firstString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function stringRecord(obj: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (obj && typeof obj === 'object')
    for (const [k, v] of Object.entries(obj)) {
      const s = firstString(v);
      if (s !== undefined) out[k] = s;
    }
  return out;
}

/** Is `file` (after resolving symbolic links) inside `root`? Missing files are not. */
export function insideDir(root: string, file: string): string | undefined {
  try {
    const realRoot = realpathSync(root);
    const real = realpathSync(file);
    const rel = relative(realRoot, real);
    if (!rel || rel.startsWith('..') || isAbsolute(rel)) return undefined;
    return statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}
