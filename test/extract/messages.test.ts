import { describe, expect, it } from 'vitest';
import { parseHtmlPage } from '../../src/extract/htmlPage.js';
import { readLabelled, readMessages } from '../../src/extract/messages.js';

const BASE = 'http://www.example.gov.cn/hdjl/ldxx/';

function page(title: string, body: string, url = `${BASE}t20261002_1.html`) {
  return parseHtmlPage(
    `<html><head><meta charset="utf-8"><title>${title}_领导信箱_示范区人民政府</title></head><body>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/hdjl/">互动交流</a> &gt; <a href="/hdjl/ldxx/">领导信箱</a></div>
${body}
<div class="footer"><p>主办单位：示范区人民政府办公室\u3000联系电话：0595-22580000</p>
<p>网站标识码：3505000012\u3000闽ICP备05012345号</p></div></body></html>`,
    url,
  );
}

describe('readLabelled', () => {
  const labels = new Map([
    ['办理地点', ['place']],
    ['办理时间', ['hours']],
    ['办理地点和时间', ['place', 'hours']],
    ['办理流程', ['process']],
  ]);

  it('reads label：value, label cells and headings with their paragraph', () => {
    const text = '办理地点：东湖路66号\n三、办理流程\n申请人提出申请，街道审核。\n办理时间\t工作日8:00—12:00';
    expect(
      readLabelled(text, labels, { multiline: new Set(['process']) }).map((h) => [h.keys, h.value]),
    ).toEqual([
      [['place'], '东湖路66号'],
      [['process'], '申请人提出申请，街道审核。'],
      [['hours'], '工作日8:00—12:00'],
    ]);
  });

  it('gives an empty value to a label with nothing after it, not the next label', () => {
    const hits = readLabelled('办理地点：\n办理时间：工作日', labels);
    expect(hits.map((h) => [h.label, h.value])).toEqual([
      ['办理地点', ''],
      ['办理时间', '工作日'],
    ]);
  });

  it('stops at the page footer', () => {
    expect(readLabelled('办理地点：\n主办单位：示范区人民政府', labels)[0]!.value).toBe('');
  });

  it('takes a combined label for both elements, and ignores a label inside prose', () => {
    const hits = readLabelled('三、办理地点和时间\n便民服务中心，工作日。\n本指南所称办理流程\n', labels);
    expect(hits.map((h) => [h.keys, h.value])).toEqual([[['place', 'hours'], '便民服务中心，工作日。']]);
  });
});

describe('readMessages', () => {
  it('reads a detail page with labelled rows in a table', () => {
    const p = page(
      '关于小区停车难的咨询',
      `<table class="xx">
<tr><th>留言标题</th><td colspan="3">关于小区停车难的咨询</td></tr>
<tr><th>留言时间</th><td>2026-10-08 09:12</td><th>答复时间</th><td>2026-10-12 16:40</td></tr>
<tr><th>留言内容</th><td colspan="3">小区周边停车位不足，何时增设？</td></tr>
<tr><th>答复单位</th><td colspan="3">示范区住房和城乡建设局</td></tr>
<tr><th>答复内容</th><td colspan="3">您好！我局已将该路段纳入停车设施建设计划，预计明年开工。</td></tr>
</table>`,
    );
    const { detail, rows } = readMessages(p);
    expect(rows).toEqual([]);
    expect(detail).toMatchObject({
      title: '关于小区停车难的咨询',
      source: 'detail',
      askedAt: '2026-10-08',
      repliedAt: '2026-10-12',
      fields: { replyUnit: '示范区住房和城乡建设局' },
    });
    expect(detail!.fields.replyText).toContain('纳入停车设施建设计划');
  });

  it('reads a detail page written as label：value paragraphs, reply below its heading', () => {
    const p = page(
      '咨询低保申请',
      `<div class="msg"><h1>咨询低保申请</h1>
<p><span>留言人：张**</span><span>留言时间：2026年9月1日</span></p>
<p>留言内容：请问低保如何申请？</p>
<h3>回复：</h3><p>尊敬的网友：</p><p>您好！请携带户口簿到街道便民服务中心申请。</p>
<p>回复单位：示范区民政局\u3000回复时间：2026-09-03</p></div>`,
    );
    const { detail } = readMessages(p);
    expect(detail).toMatchObject({ askedAt: '2026-09-01', repliedAt: '2026-09-03' });
    expect(detail!.fields.replyUnit).toBe('示范区民政局');
    // A greeting line "尊敬的网友：" is part of the reply, not a new label.
    expect(detail!.fields.replyText).toContain('街道便民服务中心');
  });

  it('tells a label shown empty from one not shown', () => {
    const p = page(
      '路灯不亮',
      `<p>留言时间：2026-07-01</p><p>答复时间：</p><p>答复内容：</p><p>状态：未回复</p>`,
    );
    const { detail } = readMessages(p);
    expect(detail).toMatchObject({ status: 'pending', statusText: '未回复', askedAt: '2026-07-01' });
    expect(detail!.fields).toEqual({ asked: '2026-07-01', replied: '', replyText: '' });
  });

  it('reads the rows of a list table 标题|留言时间|答复时间|状态', () => {
    const p = page(
      '领导信箱',
      `<table class="list"><tr><th>标题</th><th>留言时间</th><th>答复时间</th><th>状态</th></tr>
<tr><td><a href="./t20261002_1.html">关于小区停车难的咨询</a></td><td>2026-10-08</td><td>2026-10-12</td><td>已回复</td></tr>
<tr><td><a href="./t20260601_2.html">关于路灯维修的建议</a></td><td>2026-06-01</td><td></td><td>办理中</td></tr>
</table>`,
      BASE,
    );
    const { detail, rows } = readMessages(p);
    expect(detail).toBeUndefined();
    expect(rows.map((r) => [r.title, r.url, r.askedAt, r.repliedAt, r.status])).toEqual([
      ['关于小区停车难的咨询', `${BASE}t20261002_1.html`, '2026-10-08', '2026-10-12', 'answered'],
      ['关于路灯维修的建议', `${BASE}t20260601_2.html`, '2026-06-01', undefined, 'pending'],
    ]);
  });

  it('reads list lines: title link then 留言时间 and 答复时间', () => {
    const p = page(
      '网上咨询',
      `<ul class="msg-list">
<li><a href="./a1.html">咨询公积金提取</a><span>留言时间：2026-10-08</span><span>答复时间：2026-10-09</span></li>
<li><a href="./a2.html">咨询社保转移手续</a><span>留言时间：2026-10-10</span><span>状态：待回复</span></li>
</ul>`,
      BASE,
    );
    const { rows } = readMessages(p);
    expect(rows.map((r) => [r.title, r.askedAt, r.repliedAt ?? null, r.status ?? null])).toEqual([
      ['咨询公积金提取', '2026-10-08', '2026-10-09', null],
      ['咨询社保转移手续', '2026-10-10', null, 'pending'],
    ]);
  });

  it('finds no message on an ordinary article', () => {
    const p = page(
      '示范区召开会议',
      '<h1>示范区召开会议</h1><p>发布时间：2026-10-08</p><p>会议要求及时回复群众关切。</p>',
    );
    expect(readMessages(p)).toEqual({ rows: [] });
  });
});
