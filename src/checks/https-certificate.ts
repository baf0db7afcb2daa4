import { z } from 'zod';
import { defineCheck, type CheckFinding } from './defineCheck.js';
import type { ResourceRecord } from '../store/crawlData.js';

const options = z
  .object({
    /** Example URLs shown per host. */
    maxExamples: z.number().int().min(1).default(3),
  })
  .strict();

/** Set by the crawler when it read a page whose certificate did not validate. */
const TLS_HEADER = 'x-xuncha-tls-error';

function byHost(resources: ResourceRecord[]): Map<string, ResourceRecord[]> {
  const out = new Map<string, ResourceRecord[]>();
  for (const r of resources) {
    if (r.kind === 'external' || !r.headers[TLS_HEADER]) continue;
    const host = new URL(r.url).host;
    out.set(host, [...(out.get(host) ?? []), r]);
  }
  return out;
}

/**
 * A unit's own hosts serving HTTPS with a certificate browsers reject (expired, self-signed, for
 * another name, incomplete chain). Visitors get a security warning instead of the page; the
 * crawler still read the pages so every other check could run.
 */
export const httpsCertificate = defineCheck({
  id: 'https-certificate',
  title: 'HTTPS 证书有效性',
  failureTitle: '网站 HTTPS 证书无效',
  category: 'site',
  options,
  run(e, { options: o }) {
    const findings: CheckFinding[] = [];
    for (const [host, affected] of byHost(e.resources)) {
      const problems = [...new Set(affected.map((r) => r.headers[TLS_HEADER]!))];
      const examples = affected.slice(0, o.maxExamples).map((r) => r.url);
      findings.push({
        outcome: 'fail',
        kind: 'invalid-certificate',
        message: `网站 ${host} 的 HTTPS 证书无效，访问者会看到安全警告`,
        url: affected[0]!.url,
        location: `共 ${affected.length} 个网址受影响`,
        evidence: `${problems.join('；')}；例：${examples.join('、')}`,
      });
    }
    return findings;
  },
});
