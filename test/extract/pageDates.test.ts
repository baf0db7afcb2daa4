import { describe, expect, it } from 'vitest';
import {
  labelledPubDate,
  labelledWrittenDate,
  singleDates,
  textDates,
  urlPubDate,
} from '../../src/extract/pageDates.js';
import { dateFromUrl } from '../../src/extract/dates.js';
import { parseHtmlPage } from '../../src/extract/htmlPage.js';
import { parseTextPage, splitTextHeader } from '../../src/extract/textPage.js';

describe('labelled publication dates (text rules shared by HTML and plain text)', () => {
  it.each([
    ['发布时间：2024-03-12 09:30  来源：区政府办', '2024-03-12', '发布时间'],
    ['发 布 时 间 ： 2024年03月12日', '2024-03-12', '发布时间'],
    ['【发布日期:2024/3/12】【字号：大 中 小】', '2024-03-12', '发布日期'],
    ['公开日期：2024.03.12', '2024-03-12', '公开日期'],
    ['发布日期：二〇二四年三月十二日', '2024-03-12', '发布日期'],
    ['信息来源：区财政局\u3000时间：2024-03-12 16:02:11', '2024-03-12', '时间'],
    ['作者：  日期：2024-03-12  浏览次数：', '2024-03-12', '日期'],
    ['更新时间：2024-03-12 点击数：18', '2024-03-12', '更新时间'],
    ['录入时间：2024-3-12', '2024-03-12', '录入时间'],
    ['发布日期：\n2024年03月12日', '2024-03-12', '发布日期'],
  ])('%s', (text, date, label) => {
    expect(labelledPubDate(text)).toMatchObject({ date, source: `正文「${label}」` });
  });

  it('prefers 发布日期 to a bare 日期 and to an update time, wherever they stand', () => {
    expect(labelledPubDate('更新时间：2024-04-01\n日期：2024-03-20\n发布日期：2024-03-12')?.date).toBe(
      '2024-03-12',
    );
    expect(labelledPubDate('更新时间：2024-04-01\n时间：2024-03-20')?.date).toBe('2024-03-20');
  });

  it.each([
    ['会议时间：2024年3月12日上午9时'],
    ['截止日期为2025年12月31日'],
    ['办公时间：周一至周五 上午8:30-12:00'],
    ['报名时间：2024年3月1日至2024年3月10日'],
    ['时间：2022年1月1日至2025年12月31日'],
    ['拟发布时间：2024-05-01'],
    ['页面生成时间 2023-10-23 11:23:36'],
    ['成文日期：2024-03-01'],
    ['发文日期:2024-08-28'],
    ['所列数据截止日期为20251231日'],
    ['生成日期：2052-10.8.2.7090'],
    ['发布日期'],
    ['发布时间 关于2024年3月12日会议的通知'],
  ])('takes no publication date from %s', (text) => {
    expect(labelledPubDate(text)).toBeUndefined();
  });

  it('keeps 成文日期, 印发日期 and 发文日期 apart as the written date', () => {
    expect(labelledWrittenDate('成文日期：\n2022年01月27日')).toMatchObject({
      date: '2022-01-27',
      source: '正文「成文日期」',
    });
    expect(labelledWrittenDate('信息类别:综合政务 发文日期:2024-08-28 公开方式:政府网站')).toMatchObject({
      date: '2024-08-28',
      source: '正文「发文日期」',
    });
    expect(labelledWrittenDate('印 发 日 期：二〇二五年三月十二日')?.date).toBe('2025-03-12');
    expect(labelledWrittenDate('发布日期：2024-08-28')).toBeUndefined();
    expect(
      labelledWrittenDate('（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）'),
    ).toBeUndefined();
  });

  it('never reads a range end or Word metadata as a single date', () => {
    expect(singleDates('统计期限自2023年1月1日起至2023年12月31日止').map((d) => d.iso)).toEqual([]);
    expect(singleDates('2022年1月1日至2025年12月31日；2052-10.8.2.7090')).toEqual([]);
  });
});

describe('dates in URLs, as a last resort', () => {
  it.each([
    ['http://x.gov.cn/xxgk/202503/t20250312_123.html', '2025-03-12', 'day'],
    ['https://www.x.gov.cn/art/2024/1/23/art_1229114055_88348.html', '2024-01-23', 'day'],
    ['http://x.gov.cn/news/20240312/abc.html', '2024-03-12', 'day'],
    ['http://www.x.gov.cn/html/HCS/202601/0176938436489438.html', '2026-01-01', 'month'],
    ['http://x.gov.cn/zwgk/2025-06/1234.htm', '2025-06-01', 'month'],
  ])('%s', (url, iso, precision) => {
    expect(dateFromUrl(url)).toMatchObject({ iso, precision });
  });

  it.each([
    'http://x.gov.cn/col/col77388/index.html',
    'http://luozhuang.gov.cn/info/5349/59093.htm',
    'https://dongning.gov.cn/index.php/cms/item-view-id-64542.shtml',
    'http://x.gov.cn/xxgk/t20251332_1.html',
    'http://x.gov.cn/zwgk/201399/1.html',
  ])('finds none in %s', (url) => {
    expect(dateFromUrl(url)).toBeUndefined();
  });

  it('labels a URL date as such, with its precision', () => {
    expect(urlPubDate('http://www.x.gov.cn/html/HCS/202601/01769.html')).toEqual({
      date: '2026-01-01',
      source: '网址中的日期',
      raw: '/202601/',
      precision: 'month',
    });
  });
});

const DETAIL = 'http://xxgk.x.gov.cn/xzzf/ndbg/202601/t20260115_763295.html';

function html(body: string, head = ''): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>金厂镇2025年政府信息公开工作年度报告_东昌区人民政府</title>${head}</head>
<body><div class="header"><a href="/">首页</a><a href="/xxgk/">信息公开</a></div>${body}
<div class="footer">网站标识码：2205020001</div></body></html>`;
}

const REPORT_TEXT = `<p>根据《中华人民共和国政府信息公开条例》规定，现将我镇2025年度政府信息公开工作情况报告如下。
本报告所列数据的统计期限自2025年1月1日起至2025年12月31日止。年主动公开各类信息23条，所有信息均在20个工作日内公开，
公开率、及时率均达100%。年依法受理政府信息公开申请0件。如对本报告有疑问，请与镇党政办公室联系。</p>`;

describe('publication date on any page kind (HTML)', () => {
  it('reads a labelled date from a TRS detail page before the URL date, and says where', () => {
    const p = parseHtmlPage(
      html(`<div class="detail"><h1>2025年金厂镇政府信息公开工作年度报告</h1>
        <div class="info"><span>发布日期:2026-01-12</span><span>点击数:</span></div>${REPORT_TEXT}</div>`),
      DETAIL,
    );
    expect(p.pubDate).toMatchObject({ date: '2026-01-12', source: '正文「发布日期」' });
    expect(p.warnings.join()).not.toMatch(/网址中的日期/);
  });

  it('reads a labelled date on a page not classified as an article (a short guide page)', () => {
    const p = parseHtmlPage(
      html(`<div class="zw"><div class="xx">发 布 时 间 ： 2024年08月28日 信息来源：田庄乡</div>
        <p>乡政府信息公开指南，详见附件。</p></div>`),
      'http://ahjw.x.gov.cn/488/554/content_1546375.html',
    );
    expect(p.isArticle).toBe(false);
    expect(p.pubDate).toMatchObject({ date: '2024-08-28', source: '正文「发布时间」' });
  });

  it('keeps 发文日期 apart from 发布时间 in a 信息公开 metadata block (gkmlpt / 拓尔思 style)', () => {
    const p = parseHtmlPage(
      html(`<table class="xxgk_table"><tr><td>索 引 号：</td><td>006494558/2024-1546375</td><td>发文日期：</td><td>2024-08-20</td></tr>
        <tr><td>信息类别：</td><td>综合政务</td><td>发布时间：</td><td>2024-08-28</td></tr></table>
        <h1>田庄乡人民政府2024年信息公开指南</h1>${REPORT_TEXT}`),
      'http://ahjw.x.gov.cn/488/554/content_1546375.html',
    );
    expect(p.pubDate).toMatchObject({ date: '2024-08-28', source: '正文「发布时间」' });
    expect(p.writtenDate).toMatchObject({ date: '2024-08-20', source: '正文「发文日期」' });
  });

  it('takes the URL date only when the page labels none, says so, and never on a list page', () => {
    const p = parseHtmlPage(
      html(`<div class="detail"><h1>龙游县横山镇2023年政府信息公开工作年度报告</h1>${REPORT_TEXT}</div>`),
      'https://www.x.gov.cn/art/2024/1/23/art_1229114055_88348.html',
    );
    expect(p.pubDate).toEqual({
      date: '2024-01-23',
      source: '网址中的日期',
      raw: '/2024/1/23/',
    });
    expect(p.warnings).toContain('页面未标注发布日期，按网址中的日期 /2024/1/23/ 读取为 2024-01-23');
    const list = parseHtmlPage(
      html(
        `<ul>${[12, 11, 10, 9]
          .map(
            (d) =>
              `<li><a href="./t202403${d}_${d}.html">关于第${d}项工作的通知</a><span>2024-03-${d}</span></li>`,
          )
          .join('')}</ul>`,
      ),
      'http://x.gov.cn/xxgk/202403/index.html',
    );
    expect(list.pubDate).toBeUndefined();
    expect(list.listItems).toHaveLength(4);
  });

  it('does not take a list row’s labelled date for the page’s own, on a one-row 信息公开 table', () => {
    const p = parseHtmlPage(
      html(`<table><tr><td>名称</td><td>索引号</td><td>发布机构</td><td>发布日期</td></tr>
        <tr><td><a href="./202008/t20200805_1.html">关于公布2020年招生计划的通知</a></td><td>000014348/2020-35428</td>
        <td>市教育局</td><td>发布日期：2020-08-05</td></tr></table>`),
      'http://x.gov.cn/xxgk/jqxxgk/index.jsp',
    );
    expect(p.pubDate).toBeUndefined();
    expect(p.listItems).toEqual([
      {
        title: '关于公布2020年招生计划的通知',
        url: 'http://x.gov.cn/xxgk/jqxxgk/202008/t20200805_1.html',
        date: '2020-08-05',
      },
    ]);
  });
});

describe('plain-text pages', () => {
  const EXCERPT = `# source: http://xxgk.x.gov.cn/xzzf6/ndbg/202601/t20260115_763295.html
# via: a saved text copy
2025年金厂镇政府信息公开工作年度报告

发布日期:2026-01-12    点击数:

根据《中华人民共和国政府信息公开条例》规定，现将我镇2025年度政府信息公开工作情况报告如下。所列数据截止日期为20251231日。`;

  it('reads the # source: header, the labelled date before the URL date, and the title', () => {
    expect(splitTextHeader(EXCERPT).source).toBe(
      'http://xxgk.x.gov.cn/xzzf6/ndbg/202601/t20260115_763295.html',
    );
    const p = parseTextPage(EXCERPT, splitTextHeader(EXCERPT).source!);
    expect(p.title).toBe('2025年金厂镇政府信息公开工作年度报告');
    expect(p.pubDate).toMatchObject({ date: '2026-01-12', source: '正文「发布日期」' });
    expect(p.text).not.toMatch(/^#/);
  });

  it('falls back to the 来源 line, then to the URL, labelled as such', () => {
    expect(
      textDates('江岸区卫生健康局主动公开事项目录\n字号 : |\n2025-06-23 09:01:42 来源: 江岸区卫生健康局')
        .pubDate,
    ).toMatchObject({ date: '2025-06-23', source: '「来源」所在行' });
    expect(
      textDates(
        '横山镇2023年政府信息公开工作年度报告\n本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。',
        'https://www.x.gov.cn/art/2024/1/23/art_1229_88348.html',
      ).pubDate,
    ).toMatchObject({ date: '2024-01-23', source: '网址中的日期' });
    expect(
      textDates(
        '乡镇政务信息公开指南\n网上留存的期限为1年；1月31日前；6月底前',
        'http://x.gov.cn/info/5349/59093.htm',
      ),
    ).toEqual({});
  });

  it('reads the breadcrumb that follows its label on the next line', () => {
    const p = parseTextPage(
      '您现在所在的位置 :\n首页 > 海丰县人民政府门户网站 > 政务公开 > 政府信息公开年报\n分享到:\n联安镇2025年度政府信息公开工作年度报告',
      'http://www.x.gov.cn/zwgk/gknb/content/post_1221498.html',
    );
    expect(p.columnName).toBe('政府信息公开年报');
    expect(p.title).toBe('联安镇2025年度政府信息公开工作年度报告');
    expect(p.pubDate).toBeUndefined();
  });
});
