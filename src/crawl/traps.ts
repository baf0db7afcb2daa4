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
  private readonly variants = new Map<string, number>();

  constructor(private readonly limits: TrapLimits = DEFAULT_TRAP_LIMITS) {}

  /** A reason (Chinese) when the URL looks like a trap, undefined when it may be crawled. */
  check(url: string): string | undefined {
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
    const n = (this.variants.get(key) ?? 0) + 1;
    this.variants.set(key, n);
    if (n > this.limits.maxQueryVariantsPerPath)
      return `同一路径的查询参数组合超过 ${this.limits.maxQueryVariantsPerPath} 个，疑似无限日历或检索页`;
    return undefined;
  }
}
