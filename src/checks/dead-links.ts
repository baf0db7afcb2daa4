import { z } from 'zod';
import { defineCheck, type CheckFinding } from './defineCheck.js';
import type { UnitEvidence } from '../extract/unitEvidence.js';
import type { ResourceRecord } from '../store/crawlData.js';

const options = z
  .object({
    /** Fetch outcomes that are not dead links (policy decisions, not failures of the site). */
    ignoreKinds: z.array(z.string()).default(['robots', 'out-of-scope', 'too-large']),
    /** 401/403/429/999 answers: anti-bot or rate limits, reported as warnings. */
    blockedAsWarning: z.boolean().default(true),
    maxReferrersShown: z.number().int().min(1).default(3),
  })
  .strict();

export type DeadLinkOptions = z.output<typeof options>;

/**
 * Fetch outcomes that do not count as dead links: the check's own exclusions, plus anti-bot
 * refusals when those are warnings. The report's 死链率 uses the same list.
 */
export function notDeadKinds(o: DeadLinkOptions): string[] {
  return [...o.ignoreKinds, ...(o.blockedAsWarning ? ['blocked'] : [])];
}

const ERROR_TEXT: Record<string, string> = {
  timeout: '请求超时',
  dns: '域名无法解析',
  refused: '连接被拒绝',
  tls: '证书错误',
  network: '网络错误',
  'redirect-loop': '重定向循环',
  blocked: '访问被拒绝或限流',
  'soft-404': '软404：页面不存在但返回200',
};

function reasonOf(r: ResourceRecord): string {
  if (r.errorKind === 'soft-404') return `${ERROR_TEXT['soft-404']}（${r.error ?? ''}）`;
  if (r.status >= 400) return `HTTP ${r.status}`;
  return ERROR_TEXT[r.errorKind ?? ''] ?? r.error ?? '无法访问';
}

function kindOf(r: ResourceRecord, e: UnitEvidence, referrers: string[]): string {
  if (e.homeUrls.has(r.url)) return 'home-page';
  if (r.kind === 'attachment') return 'attachment';
  if (r.kind === 'external') return 'external';
  return referrers.some((u) => e.homeUrls.has(u)) ? 'home-page' : 'inner-page';
}

const KIND_TITLES: Record<string, string> = {
  'home-page': '首页链接',
  'inner-page': '页面链接',
  attachment: '附件链接',
  external: '外部链接',
};

export const deadLinks = defineCheck({
  id: 'dead-links',
  title: '链接可用性',
  failureTitle: '存在无法访问的链接（死链）',
  category: 'links',
  options,
  run(e, { options: o }) {
    const findings: CheckFinding[] = [];
    // A dead link is the dead link of the page it is on: this unit's own failed resources, and
    // the failed pages of other units (a portal page) that this unit's pages link to.
    // The portal's header and footer links appear on every column page: charged to the portal once.
    const failed = [...e.resources, ...e.foreignResources].filter(
      (r) => r.errorKind && !o.ignoreKinds.includes(r.errorKind) && !e.cross.templateLinks.has(r.url),
    );
    const linksTo = e.links.linksToAny(failed.map((r) => r.url));
    for (const r of failed) {
      const refs = linksTo.get(r.url)!;
      // Only another unit's pages link here (the portal's home page linking into this column).
      if (!refs.length && !e.homeUrls.has(r.url) && e.cross.linkedElsewhereOnly.has(r.url)) continue;
      const kind = kindOf(
        r,
        e,
        refs.map((l) => l.fromUrl),
      );
      const isStart = e.homeUrls.has(r.url);
      const shown = refs
        .slice(0, o.maxReferrersShown)
        .map((l) => `${l.fromUrl}（链接文字「${l.anchor || '无'}」）`);
      const more = refs.length > shown.length ? ` 等 ${refs.length} 处` : '';
      findings.push({
        outcome: r.errorKind === 'blocked' && o.blockedAsWarning ? 'warn' : 'fail',
        kind,
        message: isStart
          ? `首页无法访问（${reasonOf(r)}）`
          : `${KIND_TITLES[kind]}无法访问（${reasonOf(r)}）`,
        url: r.url,
        location: isStart
          ? '起始网址'
          : shown.length
            ? `所在页面：${shown.join('；')}${more}`
            : '由分页脚本生成的地址',
        evidence: `${reasonOf(r)}，检测时间 ${r.fetchedAt.slice(0, 19).replace('T', ' ')}`,
      });
    }
    return findings;
  },
});
