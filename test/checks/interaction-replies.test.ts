import { describe, expect, it } from 'vitest';
import { addMonths, interactionReplies } from '../../src/checks/interaction-replies.js';
import { evidence, runCheck, ORIGIN } from '../helpers/evidence.js';

// Inspection date of runCheck: 2026-11-24 (a Tuesday).
const NAV =
  '<div class="nav"><a href="/">首页</a><a href="/tzgg/">通知公告</a><a href="/hdjl/ldxx/">领导信箱</a></div>';
const FOOTER = '<div class="footer"><p>主办单位：示范区人民政府</p><p>网站标识码：3505000012</p></div>';

function shell(title: string, crumb: string, body: string, nav = NAV): string {
  const where = crumb ? `<div class="crumb">当前位置：<a href="/">首页</a> &gt; ${crumb}</div>` : '';
  return `<html><head><meta charset="utf-8"><title>${title}_示范区人民政府</title></head><body>${nav}
${where}${body}${FOOTER}</body></html>`;
}

interface Msg {
  title: string;
  asked: string;
  replied?: string;
  unit?: string;
  reply?: string;
  status?: string;
}

/** A 领导信箱 message page with labelled rows; an absent property is a row not shown. */
function detail(m: Msg, column = '领导信箱'): string {
  const row = (label: string, value: string | undefined) =>
    value === undefined ? '' : `<tr><th>${label}</th><td>${value}</td></tr>`;
  return shell(
    m.title,
    `<a href="/hdjl/">互动交流</a> &gt; <a href="./">${column}</a>`,
    `<table class="letter">${row('留言标题', m.title)}${row('留言时间', m.asked)}${row('留言内容', '请问有关事项如何办理？')}${row('答复单位', m.unit)}${row('答复时间', m.replied)}${row('答复内容', m.reply)}${row('办理状态', m.status)}</table>`,
  );
}

/** The column's list: 标题 | 留言时间 | 答复时间 | 状态. */
function list(msgs: (Msg & { href: string })[], column = '领导信箱'): string {
  const rows = msgs
    .map(
      (m) =>
        `<tr><td><a href="${m.href}">${m.title}</a></td><td>${m.asked}</td><td>${m.replied ?? ''}</td><td>${m.status ?? (m.replied ? '已回复' : '未回复')}</td></tr>`,
    )
    .join('');
  return shell(
    column,
    `<a href="/hdjl/">互动交流</a> &gt; <span>${column}</span>`,
    `<table class="list"><tr><th>标题</th><th>留言时间</th><th>答复时间</th><th>状态</th></tr>${rows}</table>`,
  );
}

const HOME = shell(
  '首页',
  '',
  '<div class="box"><a href="/tzgg/a.html">关于开展自查的通知</a><span>2026-11-20</span></div>',
);
const answered = (title: string, asked: string, replied: string): Msg => ({
  title,
  asked,
  replied,
  unit: '示范区住建局',
  reply: '您好！已安排人员现场处理，感谢您的关注。',
  status: '已回复',
});

function unit(msgs: Msg[], extra: Record<string, string> = {}) {
  const pages: Record<string, string> = { '/': HOME, ...extra };
  const withHref = msgs.map((m, i) => ({ ...m, href: `/hdjl/ldxx/t_${i}.html` }));
  pages['/hdjl/ldxx/'] = list(withHref);
  withHref.forEach((m) => (pages[m.href] = detail(m)));
  return evidence({ pages });
}

const at = (path: string) => `${ORIGIN}${path}`;

describe('interaction-replies', () => {
  it('passes a channel whose messages show all four items and were answered within 5 working days', () => {
    const ev = unit([
      answered('咨询小区停车', '2026-11-04', '2026-11-11'), // 5th working day, across a weekend
      answered('咨询国庆期间办事', '2026-09-30', '2026-10-12'), // 12 days, 4 working days (10-10 调休)
    ]);
    expect(runCheck(interactionReplies, ev)).toEqual([]);
  });

  it('warns of a reply on the 6th working day', () => {
    const found = runCheck(interactionReplies, unit([answered('咨询小区停车', '2026-11-04', '2026-11-12')]));
    expect(found).toEqual([
      {
        outcome: 'warn',
        kind: 'late',
        message: '留言答复用时 6 个工作日（超过 5 个工作日）',
        url: at('/hdjl/ldxx/t_0.html'),
        location: '栏目「领导信箱」留言「咨询小区停车」',
        evidence: '留言时间 2026-11-04，答复时间 2026-11-12（6 个工作日）',
      },
    ]);
  });

  it('vetoes a message answered only after 4 months', () => {
    const found = runCheck(interactionReplies, unit([answered('反映路灯损坏', '2026-03-02', '2026-07-06')]));
    expect(found).toEqual([
      expect.objectContaining({
        outcome: 'fail',
        kind: 'unanswered',
        message: '留言超过 3 个月才答复',
        evidence: expect.stringContaining('留言时间 2026-03-02，答复时间 2026-07-06'),
      }),
    ]);
  });

  it('vetoes a message unanswered for more than 3 months, but not one asked 2 weeks ago', () => {
    const found = runCheck(
      interactionReplies,
      unit([
        { title: '反映噪音扰民', asked: '2026-07-01', status: '未回复' },
        { title: '咨询社保转移', asked: '2026-11-10', status: '未回复' },
        { title: '咨询公积金提取', asked: '2026-11-20', status: '未回复' },
      ]),
    );
    expect(found.map((f) => [f.outcome, f.kind, f.message, f.url])).toEqual([
      ['fail', 'unanswered', '留言超过 3 个月未答复', at('/hdjl/ldxx/t_0.html')],
      ['warn', 'late', '留言已 10 个工作日未答复（超过 5 个工作日）', at('/hdjl/ldxx/t_1.html')],
    ]);
    expect(found[0]!.evidence).toBe(
      '留言时间 2026-07-01，至检查日 2026-11-24 未见答复（100 个工作日），状态「未回复」',
    );
  });

  it('says so when the holiday data does not cover the year it counts in', () => {
    const ev = unit([answered('咨询开学事宜', '2027-03-01', '2027-03-10')]);
    expect(runCheck(interactionReplies, ev, '2027-03-15')).toEqual([
      expect.objectContaining({
        kind: 'late',
        evidence:
          '留言时间 2027-03-01，答复时间 2027-03-10（7 个工作日）（2027 年节假日数据缺失，按周末推算）',
      }),
    ]);
  });

  it('looks at the 12 months before the inspection date only', () => {
    const found = runCheck(
      interactionReplies,
      unit([{ title: '旧留言', asked: '2025-06-01', status: '未回复' }]),
    );
    expect(found).toEqual([]);
  });

  it('reports answered messages that do not show all four items, once per column and gap', () => {
    const noUnit = (title: string, asked: string): Msg => {
      const { unit: _, ...m } = answered(title, asked, '2026-11-18');
      return m;
    };
    const found = runCheck(
      interactionReplies,
      unit([noUnit('咨询一', '2026-11-16'), noUnit('咨询二', '2026-11-17'), noUnit('咨询三', '2026-11-17')]),
    );
    expect(found).toEqual([
      {
        outcome: 'fail',
        kind: 'missing-field',
        message: '栏目「领导信箱」3 条留言未完整公开：缺少答复单位',
        url: at('/hdjl/ldxx/t_0.html'),
        location: '栏目「领导信箱」',
        evidence: `答复单位未显示；例：「咨询一」${at('/hdjl/ldxx/t_0.html')}；「咨询二」${at('/hdjl/ldxx/t_1.html')}；「咨询三」${at('/hdjl/ldxx/t_2.html')}`,
      },
    ]);
  });

  it('counts a reply label shown empty as missing', () => {
    const m = { ...answered('咨询一', '2026-11-16', '2026-11-18'), reply: '' };
    const found = runCheck(interactionReplies, unit([m]));
    expect(found.map((f) => [f.kind, f.message])).toEqual([
      ['missing-field', '栏目「领导信箱」1 条留言未完整公开：缺少答复内容'],
    ]);
    expect(found[0]!.evidence).toContain('答复内容为空');
  });

  it('reports a site without any consultation channel (V5a)', () => {
    const ev = evidence({ pages: { '/': HOME.replace('<a href="/hdjl/ldxx/">领导信箱</a>', '') } });
    expect(runCheck(interactionReplies, ev)).toEqual([
      expect.objectContaining({
        outcome: 'fail',
        kind: 'no-channel',
        message: '未找到政务咨询类互动渠道（领导信箱、网上咨询、留言板等）',
        url: at('/'),
      }),
    ]);
  });

  it('does not count 网上信访 or 纪检举报 as a consultation channel', () => {
    const nav =
      '<div class="nav"><a href="/">首页</a><a href="/xf/">网上信访</a><a href="/jb/">纪检举报</a></div>';
    const xf = shell(
      '网上信访',
      '<span>网上信访</span>',
      '<table class="list"><tr><th>标题</th><th>留言时间</th><th>答复时间</th><th>状态</th></tr><tr><td><a href="/xf/1.html">反映问题</a></td><td>2026-01-05</td><td></td><td>未回复</td></tr></table>',
      nav,
    );
    const ev = evidence({ pages: { '/': shell('首页', '', '', nav), '/xf/': xf } });
    expect(runCheck(interactionReplies, ev).map((f) => f.kind)).toEqual(['no-channel']);
  });

  it('lets a 部门 or 乡镇 on a portal with a working channel rely on it (V5 by level)', () => {
    const nav = '<div class="nav"><a href="/">首页</a></div>';
    const page = { '/': shell('首页', '', '', nav) };
    const portal = (hasChannel: boolean) => ({ portal: { unitId: 'qzf', name: '县政府', hasChannel } });
    const kinds = (level: string, hasChannel: boolean) =>
      runCheck(interactionReplies, evidence({ unit: { level }, pages: page, cross: portal(hasChannel) })).map(
        (f) => f.kind,
      );
    expect(kinds('部门', true)).toEqual([]);
    expect(kinds('乡镇街道', true)).toEqual([]);
    // The portal itself, or a level that must run its own channel, is not excused.
    expect(kinds('区县政府', true)).toEqual(['no-channel']);
    // A portal without a working channel excuses nobody.
    expect(kinds('部门', false)).toEqual(['no-channel']);
    expect(runCheck(interactionReplies, evidence({ pages: page })).map((f) => f.kind)).toEqual([
      'no-channel',
    ]);
  });

  it('fails a channel whose entry is dead, and asks for review of one on another platform', () => {
    const dead = evidence({
      pages: { '/': HOME },
      resources: [{ path: '/hdjl/ldxx/', status: 404 }],
    });
    expect(runCheck(interactionReplies, dead)).toEqual([
      expect.objectContaining({
        outcome: 'fail',
        kind: 'no-channel',
        message: '政务咨询类互动渠道无法访问',
        evidence: `「领导信箱」${at('/hdjl/ldxx/')}（HTTP 404）`,
      }),
    ]);
    const elsewhere = evidence({
      pages: { '/': HOME.replace('href="/hdjl/ldxx/"', 'href="http://12345.sfq.gov.cn/ldxx"') },
    });
    expect(runCheck(interactionReplies, elsewhere)).toEqual([
      expect.objectContaining({
        outcome: 'needs-review',
        kind: 'not-checked',
        url: 'http://12345.sfq.gov.cn/ldxx',
      }),
    ]);
  });

  it('judges list rows whose message pages were not fetched by the list dates', () => {
    const rows = [
      { title: '反映噪音扰民', asked: '2026-06-01', status: '办理中', href: '/hdjl/ldxx/t_9.html' },
    ];
    const ev = evidence({ pages: { '/': HOME, '/hdjl/ldxx/': list(rows) } });
    expect(runCheck(interactionReplies, ev).map((f) => [f.kind, f.url])).toEqual([
      ['unanswered', at('/hdjl/ldxx/t_9.html')],
    ]);
  });
});

describe('addMonths', () => {
  it('clamps to the end of a shorter month', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-11-24', -12)).toBe('2025-11-24');
  });
});
