import { describe, expect, it } from 'vitest';
import { needsRendering } from '../../src/crawl/needsRendering.js';

const page = (head: string, body: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>测试县人民政府</title>${head}</head><body>${body}</body></html>`;

const HEADER = '<div class="header"><a href="/">首页</a> <a href="/zwgk/">政务公开</a></div>';
const FOOTER =
  '<div class="footer"><p>主办：测试县人民政府办公室 地址：测试县人民路1号 电话：0591-12345678</p>' +
  '<p>网站标识码：3505000099 闽ICP备05012345号</p></div>';
const BAIDU =
  '<script>var _hmt = _hmt || [];(function() {var hm = document.createElement("script");' +
  'hm.src = "https://hm.baidu.com/hm.js?0123456789abcdef";var s = document.getElementsByTagName("script")[0];' +
  's.parentNode.insertBefore(hm, s);})();</script>';

describe('needsRendering', () => {
  it('renders an avalon list page', () => {
    const html = page(
      '<script src="/js/avalon.min.js"></script>',
      `${HEADER}<div ms-controller="list"><ul class="list">
        <li ms-for="el in @items"><a ms-attr-href="el.url" href="javascript:;">{{el.title}}</a><span>{{el.date}}</span></li>
      </ul></div>
      <script>var vm = avalon.define({ $id: 'list', items: [] });
      $.getJSON('/api/list.json', function (d) { vm.items = d.items; });</script>${FOOTER}`,
    );
    const r = needsRendering(html);
    expect(r.render).toBe(true);
    expect(r.reasons).toContain('检测到 avalon 模板（ms-for）');
    expect(r.reasons.join()).toMatch(/ms-controller/);
  });

  it('renders an AngularJS page with {{x.title}}', () => {
    const html = page(
      '<script src="/js/angular.min.js"></script>',
      `${HEADER}<div ng-app="app" ng-controller="listCtrl"><ul>
        <li ng-repeat="x in list"><a href="/art/{{x.id}}.html">{{x.title}}</a> {{x.date | date:'yyyy-MM-dd'}}</li>
      </ul></div>${FOOTER}`,
    );
    const r = needsRendering(html);
    expect(r.render).toBe(true);
    expect(r.reasons).toContain('检测到 AngularJS 模板（ng-repeat）');
    expect(r.reasons.some((x) => x.includes('未渲染的模板占位符'))).toBe(true);
  });

  it('renders an empty <ul id="list"> filled by $.ajax', () => {
    const html = page(
      '<script src="/js/jquery-1.12.4.min.js"></script>',
      `${HEADER}<div class="main"><h2>通知公告</h2><ul id="list"></ul><div class="page"></div></div>
      <script>
        $(function () {
          $.ajax({ url: '/api/notice', dataType: 'json', success: function (res) {
            var html = '';
            $.each(res.data, function (i, x) { html += '<li><a href="' + x.url + '">' + x.title + '</a></li>'; });
            $('#list').html(html);
          } });
        });
      </script>${FOOTER}`,
    );
    const r = needsRendering(html);
    expect(r.render).toBe(true);
    expect(r.reasons).toEqual(['空的列表容器 <ul id="list"> 由页面脚本填充']);
  });

  it('renders an empty list-like container when an inline script fetches data', () => {
    const html = page(
      '',
      `${HEADER}<table><tbody class="datalist"></tbody></table>
      <script>fetch('/api/xxgk.json').then(function (r) { return r.json(); }).then(render);</script>${FOOTER}`,
    );
    expect(needsRendering(html).render).toBe(true);
  });

  it('renders a Hanweb jpage column without a datastore', () => {
    const html = page(
      '<script src="/module/jslib/jquery/jquery.js"></script><script src="/module/web/jpage/jpage.js"></script>',
      `${HEADER}<div id="4567704"></div>
      <script>$('#4567704').jpage({ proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 15, webid: 3185 });</script>${FOOTER}`,
    );
    const r = needsRendering(html);
    expect(r.render).toBe(true);
    expect(r.reasons.join()).toMatch(/jpage/);
  });

  it('does not render a Hanweb jpage column that carries its datastore', () => {
    const html = page(
      '<script src="/module/web/jpage/jpage.js"></script>',
      `${HEADER}<div id="4567704"><script type="text/xml"><datastore><recordset>
        <record><![CDATA[<li><a href="/art/2026/3/1/art_1229_1.html">关于2026年预算公开的通知</a><span>2026-03-01</span></li>]]></record>
      </recordset></datastore></script></div>${FOOTER}`,
    );
    expect(needsRendering(html)).toEqual({ render: false, reasons: [] });
  });

  it('does not render a plain TRS list page with createPageHTML', () => {
    const items = Array.from(
      { length: 20 },
      (_, i) =>
        `<li><a href="./202603/t20260301_${100 + i}.html" target="_blank">关于第${i + 1}批政务公开事项的通知</a><span>2026-03-01</span></li>`,
    ).join('\n');
    const html = page(
      '<script src="/js/jquery.min.js"></script>',
      `${HEADER}<div class="list"><ul class="xxgk_list">${items}</ul>
      <div class="page"><script>
        var currentPage = 0; var countPage = 3;
        function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
          if (_nCurrIndex < _nPageCount - 1) document.write("<a href=\\"" + _sPageName + "_" + (_nCurrIndex + 1) + "." + _sPageExt + "\\">下一页</a>");
          for (var i = 0; i < _nPageCount; i++) document.write("<a href=\\"index_" + i + ".html\\">" + (i + 1) + "</a>");
        }
        createPageHTML(countPage, currentPage, "index", "html");
      </script></div></div>
      <ul class="news-list"></ul>${FOOTER}${BAIDU}`,
    );
    expect(needsRendering(html)).toEqual({ render: false, reasons: [] });
  });

  it('does not render a page with a jQuery slider and 百度统计 only', () => {
    const html = page(
      '<script src="/js/jquery-1.8.3.min.js"></script><script src="/js/jquery.SuperSlide.2.1.1.js"></script>',
      `${HEADER}<div class="slideBox"><div class="hd"><ul></ul></div><div class="bd"><ul>
        <li><a href="/tpxw/202603/t20260301_1.html"><img src="/img/1.jpg" alt="县长调研春耕生产"></a></li>
        <li><a href="/tpxw/202603/t20260302_2.html"><img src="/img/2.jpg" alt="全县安全生产会议召开"></a></li>
      </ul></div></div>
      <script>jQuery(".slideBox").slide({ mainCell: ".bd ul", autoPlay: true, titCell: ".hd ul", autoPage: true });</script>
      <ul class="news"><li><a href="/xwzx/202603/t20260301_3.html">县政府召开常务会议</a><span>2026-03-01</span></li></ul>
      ${FOOTER}${BAIDU}
      <script>document.write(unescape("%3Cspan id='cnzz_stat_icon_1'%3E%3C/span%3E%3Cscript src='https://s9.cnzz.com/z_stat.php%3Fid%3D1' type='text/javascript'%3E%3C/script%3E"));</script>`,
    );
    expect(needsRendering(html)).toEqual({ render: false, reasons: [] });
  });

  it('does not render an article page with ajax side boxes and a document.write date', () => {
    const prose = '为进一步做好政务公开工作，提升政府网站信息发布质量，现将有关事项通知如下。'.repeat(8);
    const html = page(
      '<meta name="ArticleTitle" content="关于做好政务公开工作的通知"><script src="/js/jquery.min.js"></script>',
      `${HEADER}<div class="article"><h1>关于做好政务公开工作的通知</h1>
      <div class="info">发布日期：<script>var d = '2026-03-01 09:00'; document.write(d.substring(0, 10));</script></div>
      <div class="TRS_Editor"><p>${prose}</p><p>${prose}</p></div>
      <div class="fj"><a href="./P020260301123.pdf">附件：2026年政务公开要点.pdf</a></div></div>
      <div class="related"><h3>相关政策</h3><ul class="xgzc-list"></ul></div>
      <script>$.ajax({ url: '/api/related', success: function (r) { $('.xgzc-list').append(r); } });
      $.get('/visit/count?id=123');</script>${FOOTER}${BAIDU}`,
    );
    expect(needsRendering(html)).toEqual({ render: false, reasons: [] });
  });

  it('renders the nfra shape: AngularJS left {{x.docId}} in hrefs', () => {
    const html = page(
      '<style>[ng-cloak]{display:none !important;}</style>',
      `<div class="main ng-scope" ng-app="myApp"><div ng-controller="itemDetailCtrl" class="ng-scope">
      <!-- <a ng-href="/cn/view/pages/ItemDetail.html?docId={{x.docId}}">commented out</a> -->
      <li ng-repeat="x in newsList"><a ng-if="x.isgtyear" ng-href="/cn/view/pages/zhengwuxinxi/zhengfuxinxi.html?signIndex=3&year={{x.year}}&docId={{x.docId}}">{{x.docSubtitle|trimHtml}}</a></li>
      </div></div>
      <script src="/cn/js/common/angular.1.2.32.min.js"></script>`,
    );
    const r = needsRendering(html);
    expect(r.render).toBe(true);
    expect(r.reasons).toContain('链接中有 1 个未渲染的模板占位符（{{…}}）');
  });

  it('renders a Vue page only when v-if comes with a Vue script', () => {
    const body = `${HEADER}<div id="app"><p v-if="loading">加载中</p><a :href="item.url">详情</a></div>${FOOTER}`;
    expect(needsRendering(page('', body)).render).toBe(false);
    const withVue = needsRendering(page('<script src="/js/vue.min.js"></script>', body));
    expect(withVue.render).toBe(true);
    expect(
      needsRendering(page('', `<div id="app"><div v-for="x in list">{{ x.title }}</div></div>`)).render,
    ).toBe(true);
  });

  it('renders a list written item by item with document.write', () => {
    const items = Array.from(
      { length: 4 },
      (_, i) =>
        `<li><script>var t${i} = "关于第${i + 1}批事项的公示"; document.write("<a href='./202603/t2026030${i}_1.html'>" + t${i} + "</a>");</script></li>`,
    ).join('');
    const r = needsRendering(page('', `${HEADER}<ul class="list">${items}</ul>${FOOTER}`));
    expect(r.render).toBe(true);
  });

  it('is fast on a large page', () => {
    const rows = Array.from(
      { length: 3000 },
      (_, i) => `<li class="item"><a href="/a/${i}.html">第${i}条信息</a><span>2026-01-01</span></li>`,
    ).join('\n');
    const html = page('', `<ul class="list">${rows}</ul>${FOOTER}`);
    const t = performance.now();
    expect(needsRendering(html).render).toBe(false);
    expect(performance.now() - t).toBeLessThan(200);
  });
});
