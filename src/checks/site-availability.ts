import { z } from 'zod';
import { defineCheck } from './defineCheck.js';

const options = z
  .object({
    windowDays: z.number().int().positive().default(7),
    /** The indicator's sampling: at least this many visits a day over the window. */
    minProbesPerDay: z.number().int().positive().default(20),
    vetoShare: z.number().min(0).max(1).default(0.05),
    warnShare: z.number().min(0).max(1).default(0.03),
    maxFailuresListed: z.number().int().positive().default(10),
  })
  .strict();

const beijing = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

export const siteAvailability = defineCheck({
  id: 'site-availability',
  title: '站点可用性',
  failureTitle: '站点无法访问',
  category: 'site',
  options,
  run(e, { options: o, inspectionDate }) {
    const end = Date.parse(`${inspectionDate}T24:00:00+08:00`);
    const start = end - o.windowDays * 86_400_000;
    const probes = e.probes.filter((p) => Date.parse(p.at) >= start && Date.parse(p.at) < end);
    const url = e.unit.startUrls[0] ?? '';
    const required = o.windowDays * o.minProbesPerDay;
    if (!probes.length)
      return [
        {
          outcome: 'needs-review',
          kind: 'no-data',
          message: '检查期内未进行可用性监测（请用 xuncha probe 按计划监测）',
          url,
          location: `检查日前 ${o.windowDays} 天`,
          evidence: '无监测记录',
        },
      ];
    const failed = probes.filter((p) => p.errorKind);
    const share = failed.length / probes.length;
    const sample = `监测 ${probes.length} 次${probes.length < required ? `（少于指标要求的 ${required} 次）` : ''}，失败 ${failed.length} 次（${(share * 100).toFixed(1)}%）`;
    if (share < o.warnShare) return [];
    const times = failed.slice(0, o.maxFailuresListed).map((p) => `${beijing(p.at)} ${p.errorKind}`);
    const percent = `${(share * 100).toFixed(1)}%`;
    // A veto decides the grade: it stands only on the sample the indicator prescribes. A thinner
    // sample past the line is a warning that asks for the monitoring to be completed.
    const veto = share >= o.vetoShare;
    const kind = !veto ? 'early-warning' : probes.length >= required ? 'unavailable' : 'unconfirmed';
    return [
      {
        outcome: kind === 'unavailable' ? 'fail' : 'warn',
        kind,
        message:
          kind === 'unavailable'
            ? `首页无法访问的比例达 ${percent}（否决线 ${o.vetoShare * 100}%）`
            : kind === 'unconfirmed'
              ? `首页无法访问的比例达 ${percent}，但仅监测 ${probes.length} 次（指标要求 ${required} 次），不据此单项否决，请补足监测后复核`
              : `首页无法访问的比例达 ${percent}，接近否决线`,
        url,
        location: sample,
        evidence: `失败时间：${times.join('；')}${failed.length > times.length ? ` 等 ${failed.length} 次` : ''}`,
      },
    ];
  },
});
