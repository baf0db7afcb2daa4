import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { parseHtmlPage } from '../../src/extract/htmlPage.js';
import { decodeHtml } from '../../src/crawl/decodeHtml.js';

const ART = 'http://www.example.gov.cn/zwgk/tzgg/202408/t20240802_1352104.html';
const COL = 'http://www.example.gov.cn/zwgk/tzgg/';

function page(head: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">${head}</head>
<body><div class="top"><a href="/">网站首页</a><a href="/zwgk/">政务公开</a></div>${body}
<div class="footer"><p>主办单位：示范区人民政府办公室\u3000联系电话：0595-22586012</p>
<p>网站标识码：3505000012\u3000闽ICP备05012345号-3</p></div></body></html>`;
}

const ARTICLE_BODY = (info: string, text = '') => `
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/tzgg/">通知公告</a></div>
<div class="article"><h1>示范区关于做好2024年防汛工作的通知</h1>
<div class="info">${info}</div>
<div class="content"><p>各乡镇人民政府、街道办事处，区直各单位：</p>
<p>为切实做好今年防汛工作，确保人民群众生命财产安全，现将有关事项通知如下。各单位要压实责任，加强值班值守，
发现险情及时报告。请各单位于8月10日前将防汛责任人名单报区应急管理局，联系人及电话见附件。${text}</p></div></div>`;

describe('publication date', () => {
  it('reads meta PubDate first and keeps what the page wrote', () => {
    const p = parseHtmlPage(
      page(
        '<title>示范区关于做好2024年防汛工作的通知_示范区人民政府</title><meta name="SiteIDCode" content="3505000012"><meta name="ArticleTitle" content="示范区关于做好2024年防汛工作的通知"><meta name="PubDate" content="2024-08-02 09:53">',
        ARTICLE_BODY('发布时间：2024-08-02\u3000来源：区应急管理局'),
      ),
      ART,
    );
    expect(p.isArticle).toBe(true);
    expect(p.pubDate).toEqual({ date: '2024-08-02', source: 'meta PubDate', raw: '2024-08-02 09:53' });
    expect(p.warnings).toEqual([]);
  });

  it('reads a Chinese-format meta PubDate and an odd firstpublishedtime, with a warning', () => {
    const cn = parseHtmlPage(
      page(
        '<title>通知</title><meta name="SiteIDCode" content="3505000012"><meta name="PubDate" content="2020年08月02日">',
        ARTICLE_BODY('发布日期：2020年08月02日'),
      ),
      ART,
    );
    expect(cn.pubDate).toMatchObject({ date: '2020-08-02', source: 'meta PubDate' });
    expect(cn.warnings).toContain(
      'meta PubDate「2020年08月02日」不是标准格式（应为 YYYY-MM-DD hh:mm），已按 2020-08-02 读取',
    );
    const gov = parseHtmlPage(
      page(
        '<title>决议</title><meta name="firstpublishedtime" content="2007-08-20-23:59:59"><meta name="others" content="页面生成时间 2023-10-23 11:23:36">',
        `<div class="pages_content"><p><strong>全国人民代表大会常务委员会关于批准调整国债余额限额的决议</strong><br>
        （2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）</p><p>会议听取了有关报告。</p></div>`,
      ),
      ART,
    );
    expect(gov.pubDate).toMatchObject({ date: '2007-08-20', source: 'meta firstpublishedtime' });
  });

  it('without meta, takes the labelled date (发布日期 over 成文日期) and treats the page as an article', () => {
    const p = parseHtmlPage(
      page(
        '<title>示范区关于做好2024年防汛工作的通知_示范区人民政府</title>',
        `<table class="xxgk-meta"><tr><td>索引号：</td><td>000014348/2024-35147</td><td>成文日期：</td><td>2024年07月30日</td></tr>
         <tr><td>发布机构：</td><td>示范区应急管理局</td><td>发布日期：</td><td>2024年08月02日</td></tr></table>` +
          ARTICLE_BODY(''),
      ),
      ART,
    );
    expect(p.isArticle).toBe(true);
    expect(p.pubDate).toMatchObject({ date: '2024-08-02', source: '正文「发布日期」' });
  });

  it('falls back to the source line and to a date line under the heading', () => {
    const source = parseHtmlPage(
      page(
        '<title>示范区关于做好2024年防汛工作的通知_振兴网</title>',
        ARTICLE_BODY('2005年08月16日\u3000来源：新华网'),
      ),
      ART,
    );
    expect(source.pubDate).toMatchObject({ date: '2005-08-16', source: '「来源」所在行' });
    const under = parseHtmlPage(
      page(
        '<title>示范区关于做好2024年防汛工作的通知-科普网</title>',
        ARTICLE_BODY('<span>来源：新华社</span><span>作者：</span><div>2023-12-01 14:43</div>'),
      ),
      ART,
    );
    expect(under.pubDate?.date).toBe('2023-12-01');
  });

  it('never takes a policy period or a resolution date in the body for the publication date', () => {
    const period = parseHtmlPage(
      page(
        '<title>示范区关于延续税收优惠政策的通知_示范区人民政府</title>',
        ARTICLE_BODY('', '执行时间为2022年1月1日至2025年12月31日。'),
      ),
      ART,
    );
    // Only the URL's date stands: the article labels none.
    expect(period.pubDate).toMatchObject({ date: '2024-08-02', source: '网址中的日期' });
    const resolution = parseHtmlPage(
      page(
        '<title>全国人民代表大会常务委员会关于批准调整国债余额限额的决议_国务院公报</title>',
        `<h1>全国人民代表大会常务委员会关于批准调整国债余额限额的决议</h1>
         <p>（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）</p>
         <p>第十届全国人民代表大会常务委员会第二十八次会议，听取了财政部部长代表国务院所作的报告，决定批准。</p>`,
      ),
      COL,
    );
    expect(resolution.pubDate).toBeUndefined();
  });

  it('does not take a short list whose rows say 发布时间 for an article', () => {
    const p = parseHtmlPage(
      page(
        '<title>通知公告_示范区人民政府</title>',
        `<ul class="list"><li><a href="./t1.html">关于做好防汛工作的通知</a><span>发布时间：2024-08-02</span></li>
         <li><a href="./t2.html">关于开展安全检查的通知</a><span>发布时间：2024-07-30</span></li></ul>
         <p>本栏目发布示范区人民政府及其部门的通知公告，包括工作部署、会议安排、办事须知等信息。如有疑问请致电区政府办公室。
         本网站所载文字、图片等内容，除注明来源外，均为本网站所有，未经许可不得转载。建议使用1366×768以上分辨率浏览本网站，
         网站由示范区大数据中心负责技术保障，示范区人民政府办公室负责内容保障，欢迎社会各界监督。</p>`,
      ),
      COL,
    );
    expect(p.isArticle).toBe(false);
    expect(p.pubDate).toBeUndefined();
    expect(p.listItems.map((i) => i.date)).toEqual(['2024-08-02', '2024-07-30']);
  });

  it('reports an article without any date', () => {
    const p = parseHtmlPage(
      page('<title>通知</title><meta name="ArticleTitle" content="通知">', ARTICLE_BODY('')),
      'http://www.example.gov.cn/zwgk/tzgg/content_1352104.html',
    );
    expect(p.pubDate).toBeUndefined();
    expect(p.warnings).toContain('未找到发布日期');
  });
});

describe('site identification code', () => {
  it('finds the footer code after a U+3000 space and reports an empty meta SiteIDCode', () => {
    const p = parseHtmlPage(
      `<html><head><title>国务院公报</title><meta name="SiteIDCode" content=""></head><body>
      <div class="footer"><p>网站标识码bm01000001\u3000<a class="banquan" href="https://beian.miit.gov.cn/">京ICP备05070218号</a></p></div></body></html>`,
      ART,
    );
    expect(p.siteIdCode).toBeUndefined();
    expect(p.footerSiteIdCode).toBe('bm01000001');
    expect(p.warnings).toContain('meta SiteIDCode 为空，页脚为 bm01000001');
  });

  it('reports a meta code that differs from the footer and the 纠错 sitecode', () => {
    const p = parseHtmlPage(
      page(
        '<title>首页</title><meta name="SiteIDCode" content="3505000099">',
        `<script id="_jiucuo_" sitecode="3505000012" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>`,
      ),
      COL,
    );
    expect(p.footerSiteIdCode).toBe('3505000012');
    expect(p.jiucuoSiteCode).toBe('3505000012');
    expect(p.warnings).toContain('meta SiteIDCode 3505000099 与页脚网站标识码 3505000012 不一致');
    expect(p.warnings).toContain('纠错代码 sitecode 3505000012 与网站标识码 3505000099 不一致');
  });

  it('does not glue the code to digits that follow it', () => {
    const p = parseHtmlPage(
      page('<title>x</title>', '').replace('网站标识码：3505000012', '网站标识码：1500000001 0471-4825916'),
      COL,
    );
    expect(p.footerSiteIdCode).toBe('1500000001');
  });
});

describe('charset declarations', () => {
  it('decodes a gb2312-labelled page (GBK bytes) before parsing', () => {
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>农机专家访谈_振兴东北</title></head>
<body><p>2005年08月16日\u3000来源：新华网</p><p>網站 · 镕</p><p>网站标识码：2300000001</p></body></html>`;
    const d = decodeHtml(iconv.encode(html, 'gbk'), 'text/html');
    expect(d.charset).toBe('gb18030');
    const p = parseHtmlPage(d.text, ART);
    expect(p.title).toBe('农机专家访谈_振兴东北');
    expect(p.footerSiteIdCode).toBe('2300000001');
  });

  it('keeps a UTF-8 page UTF-8 when pasted Word HTML inside it says gb2312', () => {
    const word = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv=Content-Type content="text/html; charset=gb2312"><meta name=Generator content="Microsoft Word 15"></head><body><p class=MsoNormal>行政处罚决定书</p></body></html>`;
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>行政处罚信息公开表</title><meta name="SiteIDCode" content="bm55000001"><meta name="PubDate" content="2024-07-12 17:33"></head>
<body><div class="content">${word}<p>当事人：项某某，处罚日期：2024年7月8日</p></div><p>网站标识码：bm55000001</p></body></html>`;
    const d = decodeHtml(Buffer.from(html, 'utf8'), 'text/html; charset=utf-8');
    expect(d.charset).toBe('utf-8');
    const p = parseHtmlPage(d.text, ART);
    expect(p.title).toBe('行政处罚信息公开表');
    expect(p.pubDate?.date).toBe('2024-07-12');
    expect(p.text).toContain('行政处罚决定书');
  });
});

describe('links', () => {
  it('counts template placeholders and script links but never returns them as links', () => {
    const p = parseHtmlPage(
      page(
        '<title>行政处罚</title><meta name="SiteIDCode" content="3505000012">',
        `<ul class="list">
          <li><a ng-href="/cn/view/pages/ItemDetail.html?docId={{x.docId}}&itemId={{x.itemId}}">{{x.docSubtitle}}</a></li>
          <li><a href="ItemDetail.html?docId={{x.docId}}">{{x.docTitle}}</a></li>
          <li><a href="javascript:void(0);">打印</a></li>
          <li><a href="/cn/view/pages/ItemDetail.html?docId=1211987&amp;itemId=915">处罚决定</a></li>
        </ul><img ng-src="{{x.pic}}">`,
      ),
      COL,
    );
    const urls = p.links.map((l) => l.url);
    expect(urls).toContain(
      'http://www.example.gov.cn/cn/view/pages/ItemDetail.html?docId=1211987&itemId=915',
    );
    expect(urls.some((u) => u.includes('{{') || u.includes('%7B%7B') || u.startsWith('javascript'))).toBe(
      false,
    );
    expect(p.placeholderLinks).toBe(2);
    expect(p.templateLinks).toBe(3);
    expect(p.warnings).toContain('3 个模板占位链接未请求');
  });
});

describe('list items', () => {
  it('reads the 发布日期 column of a table list, not the 成文日期 or the 索引号', () => {
    const p = parseHtmlPage(
      page(
        '<title>近期信息公开</title><meta name="ColumnName" content="邯郸市政府信息公开">',
        `<div class="sx-more1"><a href="/" class="CurrChnlCls">首页</a>-&gt;<a href="/zfwj/" class="CurrChnlCls">政府文件</a>-&gt;<a href="/zfwj/jqxxgk/" class="CurrChnlCls">近期信息公开</a></div>
        <div class="search"><a href="/gjjs/">高级搜索</a></div>
        <table><tbody>
          <tr><th>名称</th><th>索引号</th><th>成文日期</th><th>发布日期</th></tr>
          <tr><td><a href="/gszbm/202008/t20200805_1353179.html" title="关于印发学校安全工作考核办法的通知">关于印发学校安全工作考核办法的通知</a></td>
              <td>000014348/2020-35428</td><td>2020-07-30</td><td>2020-08-05</td></tr>
          <tr><td><a href="/gszbm/202008/t20200803_1352200.html">关于开展暑期安全检查的通知</a></td>
              <td>000014348/2020-35400</td><td>2020-07-28</td><td>2020-08-03</td></tr>
        </tbody></table>`,
      ),
      COL,
    );
    expect(p.listItems.map((i) => [i.title, i.date])).toEqual([
      ['关于印发学校安全工作考核办法的通知', '2020-08-05'],
      ['关于开展暑期安全检查的通知', '2020-08-03'],
    ]);
    expect(p.breadcrumb).toEqual(['首页', '政府文件', '近期信息公开']);
    expect(p.columnName).toBe('近期信息公开');
    expect(p.columnSource).toBe('面包屑');
  });

  it('reads a date in its own cell and ignores years inside titles', () => {
    const p = parseHtmlPage(
      page(
        '<title>信息公开年报</title>',
        `<table class="gl_list"><tbody>
          <tr><td><img src="ico.jpg"></td><td><a href="./202009/t20200903_1.html">2019年政府信息公开工作年度报告</a></td><td>2020-09-03</td></tr>
          <tr><td><img src="ico.jpg"></td><td><a href="./201905/t20190530_2.html">2018年政府信息公开年度报告</a></td><td>2019-05-30</td></tr>
          <tr><td><img src="ico.jpg"></td><td><a href="./201802/t20180205_3.html">2025年工作要点</a></td><td></td></tr>
        </tbody></table>`,
      ),
      COL,
    );
    expect(p.listItems.map((i) => i.date)).toEqual(['2020-09-03', '2019-05-30', undefined]);
  });

  it('counts every dated row of a portal page, across its lists', () => {
    const list = (n: number, day: number) =>
      `<ul class="news">${Array.from({ length: n }, (_, i) => `<li><a href="/a/${day}_${i}.html">第${i + 1}条动态信息</a><span>2020-07-${String(day - i).padStart(2, '0')}</span></li>`).join('')}</ul>`;
    const p = parseHtmlPage(page('<title>政府信息公开</title>', list(5, 28) + list(3, 20)), COL);
    expect(p.datedItems).toHaveLength(8);
    expect(p.listItems).toHaveLength(5);
  });

  it('turns the CDATA records of a Hanweb datastore into list items and links', () => {
    const p = parseHtmlPage(
      page(
        '<title>通知公告</title><meta name="ColumnName" content="通知公告">',
        `<div id="56789"><script type="text/xml"><datastore>
          <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3185&path=/&columnid=1229&unitid=56789&permissiontype=0"></a>]]></nextgroup>
          <totalrecord>60</totalrecord><totalpage>4</totalpage><recordset>
          <record><![CDATA[<li><a href="/art/2024/8/2/art_1229_5001.html" title="关于做好防汛工作的通知">关于做好防汛工作的通知</a><span>2024-08-02</span></li>]]></record>
          <record><![CDATA[<li><a href="/art/2024/7/30/art_1229_5000.html" title="关于开展安全检查的通知">关于开展安全检查的通知</a><span>2024-07-30</span></li>]]></record>
          </recordset></datastore></script></div>`,
      ),
      'http://www.example.gov.cn/col/col1229/index.html',
    );
    expect(p.listItems).toEqual([
      {
        title: '关于做好防汛工作的通知',
        url: 'http://www.example.gov.cn/art/2024/8/2/art_1229_5001.html',
        date: '2024-08-02',
      },
      {
        title: '关于开展安全检查的通知',
        url: 'http://www.example.gov.cn/art/2024/7/30/art_1229_5000.html',
        date: '2024-07-30',
      },
    ]);
    expect(p.links.map((l) => l.url)).toContain('http://www.example.gov.cn/art/2024/8/2/art_1229_5001.html');
    expect(p.pager).toMatchObject({ kind: 'hanweb', pageCount: 4, totalRecords: 60 });
    // Records 3–47 and 48–60 come from the data proxy, one group of 3 pages × 15 at a time.
    expect(p.pager!.urls.map((u) => new URL(u).searchParams.get('startrecord'))).toEqual(['3', '48']);
  });

  it('reads a bare data-proxy response as a list page', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>60</totalrecord><totalpage>4</totalpage><recordset>
      <record><![CDATA[<li><a href="/art/2024/6/1/art_1229_4001.html" title="六月通知">六月通知</a><span>2024-06-01</span></li>]]></record>
      </recordset></datastore>`;
    const p = parseHtmlPage(
      xml,
      'http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=60&perpage=15',
    );
    expect(p.listItems).toEqual([
      {
        title: '六月通知',
        url: 'http://www.example.gov.cn/art/2024/6/1/art_1229_4001.html',
        date: '2024-06-01',
      },
    ]);
  });

  it('does not take a menu of links for a breadcrumb', () => {
    const p = parseHtmlPage(
      page(
        '<title>工作动态</title><meta name="ColumnName" content="工作动态">',
        `<div class="menu2"><a href="/">首页</a><a href="/a/">政务公开</a><a href="/b/">办事服务</a></div>
         <div class="crumb">当前位置：首页 &gt; 工作动态</div>
         <ul class="list"><li><a href="./1.html">东湖街道召开会议</a><span>2026-11-20</span></li></ul>`,
      ),
      COL,
    );
    expect(p.breadcrumb).toEqual(['首页', '工作动态']);
    expect(p.columnName).toBe('工作动态');
    expect(p.columnSource).toBe('meta ColumnName');
  });
});

describe('list pages whose items are fragments', () => {
  const LIST = 'http://www.example.gov.cn/xxgk/tzgg/index.shtml';
  const titles = ['关于做好春耕生产工作的通知', '关于开展安全生产大检查的通知', '2024年政务公开工作要点'];

  it.each([
    [
      'a bare <ul> of links with dates in spans (no list class, no surrounding page)',
      `<ul>${titles.map((t, i) => `<li><a href="./t2024031${2 - i}_${i}.html">${t}</a><span>2024-03-1${2 - i}</span></li>`).join('')}</ul>`,
    ],
    [
      'links separated by <br> with the date after each (one cell, no rows)',
      `<td>${titles.map((t, i) => `<a href="/a/${i}.html">${t}</a> 2024-03-1${2 - i}<br>`).join('')}</td>`,
    ],
    [
      'dates written inside the links, each link in its own wrapper',
      titles.map((t, i) => `<div><a href="/a/${i}.html">${t}（2024/03/1${2 - i}）</a></div>`).join(''),
    ],
    [
      'a <dl> of <dt> links and <dd> dates (博达 VSB style)',
      `<dl>${titles.map((t, i) => `<dt><a href="../info/5349/${i}.htm">${t}</a></dt><dd>2024年03月1${2 - i}日</dd>`).join('')}</dl>`,
    ],
  ])('%s', (_, fragment) => {
    const p = parseHtmlPage(fragment, LIST);
    expect(p.isArticle).toBe(false);
    expect(p.pubDate).toBeUndefined();
    expect(p.listItems.map((i) => [i.title, i.date])).toEqual(titles.map((t, i) => [t, `2024-03-1${2 - i}`]));
    expect(p.datedItems).toHaveLength(3);
  });

  it('reads the rows of a 信息公开 table (名称/索引号/发布机构/发布日期), not the 索引号', () => {
    const p = parseHtmlPage(
      `<table><tr><td>名称</td><td>索引号</td><td>发布机构</td><td>发布日期</td></tr>
       <tr><td><a href="/a/1.html">关于公布2024年度行政许可事项的通知</a></td><td>000014348/2024-35428</td><td>市教育局</td><td>2024-03-05</td></tr>
       <tr><td><a href="/a/2.html">关于调整收费标准的公告</a></td><td>000014348/2024-35427</td><td>市财政局</td><td>2024-03-01</td></tr></table>`,
      LIST,
    );
    expect(p.listItems.map((i) => i.date)).toEqual(['2024-03-05', '2024-03-01']);
  });

  it('takes no date for a link whose brackets say something else, nor for a title with a year', () => {
    const p = parseHtmlPage(
      `<p>依据<a href="/a/1.html">《中华人民共和国政府信息公开条例》</a>（2019年4月3日修订）和
       <a href="/a/2.html">《湖南省政府信息公开办法》</a>（2020年1月1日起施行）办理。</p>
       <ul><li><a href="/a/3.html">关于2024年3月12日停电的通知</a></li><li><a href="/a/4.html">其他通知</a></li></ul>`,
      LIST,
    );
    expect(p.datedItems).toEqual([]);
  });
});
