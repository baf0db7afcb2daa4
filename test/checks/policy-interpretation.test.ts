import { describe, expect, it } from 'vitest';
import { policyInterpretation } from '../../src/checks/policy-interpretation.js';
import { evidence, runCheck } from '../helpers/evidence.js';

function article(opts: {
  title: string;
  date: string;
  number?: string;
  column?: string;
  body?: string;
}): string {
  return `<html><head><meta charset="utf-8"><title>${opts.title}</title>
<meta name="ArticleTitle" content="${opts.title}"><meta name="PubDate" content="${opts.date} 09:00">
<meta name="ColumnName" content="${opts.column ?? '政策文件'}"></head><body>
<div class="crumb">当前位置：首页 &gt; ${opts.column ?? '政策文件'}</div>
<h1>${opts.title}</h1>${opts.number ? `<p>${opts.number}</p>` : ''}
<div class="content"><p>各乡镇人民政府、街道办事处，区直有关单位：现将有关事项通知如下。</p>${opts.body ?? ''}</div></body></html>`;
}

const doc = (date: string, body = '') =>
  article({ title: '示范区最低生活保障审核确认办法', date, number: '示政规〔2026〕3号', body });
const interp = (date: string, body = '') =>
  article({ title: '《示范区最低生活保障审核确认办法》政策解读', date, column: '政策解读', body });

describe('policy-interpretation', () => {
  it('passes a 解读 published within 3 working days and linked both ways', () => {
    const ev = evidence({
      pages: {
        '/zcwj/a.html': doc('2026-11-02', '<a href="/zcjd/b.html">政策解读</a>'),
        '/zcjd/b.html': interp('2026-11-05', '<a href="/zcwj/a.html">原文件</a>'),
      },
    });
    expect(runCheck(policyInterpretation, ev)).toEqual([]);
  });

  it('reports a late 解读 in working days, across a weekend', () => {
    const ev = evidence({
      pages: {
        '/zcwj/a.html': doc('2026-11-05', '<a href="/zcjd/b.html">政策解读</a>'),
        // Thu Nov 5 → Wed Nov 11: the 4th working day.
        '/zcjd/b.html': interp('2026-11-11', '<a href="/zcwj/a.html">原文件</a>'),
      },
    });
    const found = runCheck(policyInterpretation, ev);
    expect(found.map((f) => [f.outcome, f.kind, f.message])).toEqual([
      ['fail', 'late', '政策解读在文件发布后第 4 个工作日才发布（应在 3 个工作日内）'],
    ]);
  });

  it('reports a 解读 and document that do not link each other, found by the quoted title', () => {
    const ev = evidence({
      pages: { '/zcwj/a.html': doc('2026-11-02'), '/zcjd/b.html': interp('2026-11-03') },
    });
    const found = runCheck(policyInterpretation, ev);
    expect(found.map((f) => [f.kind, f.message])).toEqual([
      ['unlinked', '政策解读与文件未相互关联：解读页面未链接被解读文件，文件页面未链接解读'],
    ]);
  });

  it('lists a 解读 with no document and a 规范性文件 with no 解读', () => {
    const ev = evidence({
      pages: {
        '/zcwj/a.html': doc('2026-11-02'),
        '/zcjd/c.html': article({
          title: '《示范区殡葬管理办法》解读',
          date: '2026-11-03',
          column: '政策解读',
        }),
      },
    });
    const found = runCheck(policyInterpretation, ev);
    expect(found.map((f) => [f.outcome, f.kind, f.url])).toEqual([
      ['warn', 'no-document', 'http://127.0.0.1:9/zcjd/c.html'],
      ['fail', 'missing', 'http://127.0.0.1:9/zcwj/a.html'],
    ]);
    expect(found[1]!.evidence).toContain('示政规〔2026〕3号');
  });

  it('does not ask for a 解读 of an ordinary notice, nor of a document linking one elsewhere', () => {
    const ev = evidence({
      pages: {
        '/zcwj/n.html': article({
          title: '关于召开会议的通知',
          date: '2026-11-02',
          number: '示政办〔2026〕8号',
        }),
        '/zcwj/a.html': doc('2026-11-02', '<a href="http://127.0.0.1:8/zcjd/x.html">图解</a>'),
      },
    });
    expect(runCheck(policyInterpretation, ev)).toEqual([]);
  });
});
