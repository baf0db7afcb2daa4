import { describe, expect, it } from 'vitest';
import { serviceGuideElements } from '../../src/checks/service-guide-elements.js';
import { evidence, runCheck, listPage, ORIGIN } from '../helpers/evidence.js';

function guide(title: string, body: string, column = '办事指南'): string {
  return `<html><head><meta charset="utf-8"><title>${title}_示范区民政局</title>
<meta name="ColumnName" content="${column}"><meta name="ArticleTitle" content="${title}"><meta name="PubDate" content="2026-10-10 09:00"></head>
<body><div class="nav"><a href="/">首页</a><a href="/bszn/">${column}</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/bszn/">${column}</a></div>
<h1>${title}</h1><p>发布时间：2026-10-10\u3000来源：示范区民政局</p><div class="content">${body}</div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a></div>
<div class="footer"><p>主办单位：示范区民政局</p><p>网站标识码：3505000023</p></div></body></html>`;
}

const ROWS: [string, string][] = [
  ['事项名称', '临时救助'],
  ['设定依据', '《社会救助暂行办法》第四十七条至第五十条'],
  ['申请条件', '因火灾、交通事故等意外事件导致基本生活暂时出现严重困难的家庭或个人'],
  ['办理材料', '1.临时救助申请书；2.身份证明；3.困难情况证明材料'],
  ['办理地点', '示范区政务服务中心一楼社会救助窗口'],
  ['办理时间', '工作日上午8:00—12:00，下午14:30—17:30'],
  ['联系电话', '0595-22583366'],
  ['办理流程', '申请—受理—审核—审批—发放'],
  ['办理时限', '10个工作日'],
  ['收费标准', '不收费'],
];

const table = (rows: [string, string][]) =>
  `<table class="guide">${rows.map(([k, v]) => `<tr><td>${k}</td><td>${v}</td></tr>`).join('')}</table>`;

const at = (path: string) => `${ORIGIN}${path}`;

describe('service-guide-elements', () => {
  it('passes a guide showing every element with content', () => {
    const ev = evidence({ pages: { '/bszn/art_1.html': guide('临时救助办事指南', table(ROWS)) } });
    expect(runCheck(serviceGuideElements, ev)).toEqual([]);
  });

  it('counts a label with nothing after it (办理地点：) as missing', () => {
    const body = ROWS.map(([k, v]) => `<p>${k}：${k === '办理地点' ? '' : v}</p>`).join('');
    const ev = evidence({ pages: { '/bszn/art_1.html': guide('临时救助办事指南', body) } });
    expect(runCheck(serviceGuideElements, ev)).toEqual([
      {
        outcome: 'fail',
        kind: 'missing-elements',
        message: '办事指南「临时救助办事指南」缺少 1 项要素：办理地点',
        url: at('/bszn/art_1.html'),
        location: '栏目「办事指南」',
        evidence: '有标题无内容：办理地点；已有 9/10 项',
      },
    ]);
  });

  it('counts an empty table cell and a placeholder "/" as missing', () => {
    const rows = ROWS.map(([k, v]): [string, string] => [
      k,
      k === '收费标准' ? '' : k === '设定依据' ? '/' : v,
    ]);
    const ev = evidence({ pages: { '/bszn/art_1.html': guide('临时救助办事指南', table(rows)) } });
    expect(runCheck(serviceGuideElements, ev).map((f) => [f.message, f.evidence])).toEqual([
      [
        '办事指南「临时救助办事指南」缺少 2 项要素：设定依据、收费标准',
        '有标题无内容：设定依据、收费标准；已有 8/10 项',
      ],
    ]);
  });

  it('reads numbered headings with their paragraphs and synonyms (申请材料, 咨询电话, 办理地点和时间)', () => {
    const body = `<p><strong>一、申请条件</strong></p><p>具有本区户籍，家庭人均收入低于当地低保标准。</p>
<p><strong>二、申请材料</strong></p><p>1.最低生活保障申请书；2.家庭成员身份证明材料。</p>
<p><strong>三、办理地点和时间</strong></p><p>东湖街道便民服务中心，工作日上午8:00—12:00。咨询电话：0595-22579108。</p>`;
    const ev = evidence({ pages: { '/bszn/art_2.html': guide('东湖街道最低生活保障办事指南', body) } });
    const found = runCheck(serviceGuideElements, ev);
    expect(found.map((f) => f.message)).toEqual([
      '办事指南「东湖街道最低生活保障办事指南」缺少 4 项要素：设定依据、办理流程、办理时限、收费标准',
    ]);
    expect(found[0]!.evidence).toBe('未列出：设定依据、办理流程、办理时限、收费标准；已有 6/10 项');
  });

  it('finds a guide by its elements when neither title nor column says 办事指南', () => {
    const rows = ROWS.filter(([k]) => !['设定依据', '收费标准'].includes(k));
    const ev = evidence({
      pages: { '/fw/art_3.html': guide('临时救助', table(rows), '便民服务') },
    });
    expect(runCheck(serviceGuideElements, ev).map((f) => f.message)).toEqual([
      '办事指南「临时救助」缺少 2 项要素：设定依据、收费标准',
    ]);
  });

  it('reads a guide held in the attachment its page links to ("详见附件")', () => {
    const body =
      '<p>临时救助办事指南详见附件。</p><p>附件：<a href="/attach/lszz_zn.docx">临时救助办事指南.docx</a></p>';
    const segments = (rows: [string, string][]) =>
      rows.map(([k, v], i) => ({ location: `第 ${i + 1} 段`, text: `${k}：${v}` }));
    const ev = (rows: [string, string][]) =>
      evidence({
        pages: { '/bszn/art_1.html': guide('临时救助办事指南', body) },
        attachments: [
          { path: '/attach/lszz_zn.docx', format: 'docx', segments: segments(rows), warnings: [] },
        ],
      });
    expect(runCheck(serviceGuideElements, ev(ROWS))).toEqual([]);
    const found = runCheck(serviceGuideElements, ev(ROWS.filter(([k]) => k !== '办理时限')));
    expect(found.map((f) => [f.message, f.location])).toEqual([
      ['办事指南「临时救助办事指南」缺少 1 项要素：办理时限', '栏目「办事指南」（含附件 1 个）'],
    ]);
  });

  it('leaves alone the list of guides, the 政府信息公开指南 and ordinary articles', () => {
    const ev = evidence({
      pages: {
        '/bszn/': listPage('办事指南', [
          { title: '临时救助办事指南', date: '2026-10-10', href: './art_1.html' },
        ]),
        '/xxgk/zn/': guide(
          '示范区民政局政府信息公开指南',
          '<p>一、主动公开</p><p>公开的范围和方式。</p>',
          '政府信息公开指南',
        ),
        '/gzdt/art_9.html': guide('示范区民政局召开会议', '<p>会议要求，办理时限要压缩。</p>', '工作动态'),
      },
    });
    expect(runCheck(serviceGuideElements, ev)).toEqual([]);
  });
});

describe('service-guide-elements: a portal without 办事服务 (veto V6 a)', () => {
  const news = { '/': listPage('示范区人民政府', [{ title: '区政府召开常务会议', date: '2026-11-20' }]) };

  it('fails a 区县政府 portal with no guide and no service entry', () => {
    const ev = evidence({ unit: { level: '区县政府' }, pages: news });
    expect(runCheck(serviceGuideElements, ev)).toMatchObject([
      {
        outcome: 'fail',
        kind: 'no-service',
        message: '门户网站未提供办事服务：未找到办事指南，也没有办事服务入口',
      },
    ]);
  });

  it('passes a portal whose 政务服务 entry leads to the provincial platform, and never asks a department', () => {
    const linked = evidence({
      unit: { level: '区县政府' },
      pages: news,
      links: [{ from: '/', to: '/zwfw/', anchor: '政务服务' }],
    });
    expect(runCheck(serviceGuideElements, linked)).toEqual([]);
    // A news headline that mentions 政务服务 is no entry to it.
    const headline = evidence({
      unit: { level: '区县政府' },
      pages: news,
      links: [{ from: '/', to: '/a.html', anchor: '示范区政务服务中心推出“一件事一次办”集成服务' }],
    });
    expect(runCheck(serviceGuideElements, headline).map((f) => f.kind)).toEqual(['no-service']);
    expect(runCheck(serviceGuideElements, evidence({ unit: { level: '部门' }, pages: news }))).toEqual([]);
  });
});
