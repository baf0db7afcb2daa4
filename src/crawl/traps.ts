/**
 * Guards against crawler traps that depth and page caps alone catch too late: endless calendars
 * (?date=2026-11-25, ?date=2026-11-26 …), repeated path segments (/a/b/a/b/a/b/ from relative
 * links on a misconfigured server) and absurdly long URLs.
 */
export interface TrapLimits {
  maxUrlLength: number;
  /** A path segment may occur at most this many times in one URL. */
  maxSegmentRepeats: number;
  /** Distinct query strings allowed per path (calendars, search facets, session-like ids). */
  maxQueryVariantsPerPath: number;
}

export const DEFAULT_TRAP_LIMITS: TrapLimits = {
  maxUrlLength: 2048,
  maxSegmentRepeats: 3,
  maxQueryVariantsPerPath: 100,
};

export class TrapGuard {
  /** The query strings admitted per path: a link seen again on the next page is no new variant. */
  private readonly variants = new Map<string, Set<string>>();
  /** Distinct URLs refused, so the statistics count URLs, not the links that repeat them. */
  private readonly refused = new Set<string>();

  constructor(private readonly limits: TrapLimits = DEFAULT_TRAP_LIMITS) {}

  /** Distinct URLs refused so far. */
  get trapped(): number {
    return this.refused.size;
  }

  /** A reason (Chinese) when the URL looks like a trap, undefined when it may be crawled. */
  check(url: string): string | undefined {
    const reason = this.reason(url);
    if (reason) this.refused.add(url);
    return reason;
  }

  private reason(url: string): string | undefined {
    if (url.length > this.limits.maxUrlLength) return `网址过长（${url.length} 字符）`;
    const u = new URL(url);
    const counts = new Map<string, number>();
    for (const seg of u.pathname.split('/').filter(Boolean)) {
      const n = (counts.get(seg) ?? 0) + 1;
      if (n > this.limits.maxSegmentRepeats) return `路径段「${seg}」重复 ${n} 次，疑似循环链接`;
      counts.set(seg, n);
    }
    if (!u.search) return undefined;
    const key = `${u.host}${u.pathname}`;
    let seen = this.variants.get(key);
    if (!seen) this.variants.set(key, (seen = new Set()));
    if (seen.has(u.search)) return undefined;
    if (seen.size >= this.limits.maxQueryVariantsPerPath)
      return `同一路径的查询参数组合超过 ${this.limits.maxQueryVariantsPerPath} 个，疑似无限日历或检索页`;
    seen.add(u.search);
    return undefined;
  }
}
