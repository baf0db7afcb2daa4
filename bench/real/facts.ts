/**
 * What a checker should find on each real page of ../shared/corpus/pages, transcribed from the
 * "what a checker should find" column of ../shared/corpus/README.md. One entry per file; `readme`
 * quotes the README words each fact comes from. Facts marked `from: 'bench/corpus.ts'` were read
 * from the page itself by whoever wrote bench/corpus.ts (footer codes the README does not spell
 * out, the article pager of a detail page); they are kept so that bench keeps measuring them.
 * Only short values (a date, a code, a count) are kept here: no page content.
 */

/** A fact kind and what is expected; `null` means "the page has none" (README: "no …"). */
export type Fact =
  /** Decoded charset; any of the listed names is right. */
  | { kind: 'charset'; expect: string[] }
  /** Publication date (YYYY-MM-DD); `urlDate`: a date read from the page address is right too, if labelled as such. */
  | { kind: 'pubDate'; expect: string | null; urlDate?: string }
  /** 成文日期 / 发文日期, kept apart from the publication date; 'present' when the README names the label only. */
  | { kind: 'writtenDate'; expect: string | null | 'present' }
  | { kind: 'metaSiteId'; expect: string | null }
  | { kind: 'footerSiteId'; expect: string | null }
  | { kind: 'jiucuoSiteId'; expect: string }
  /** The meta/footer 网站标识码 mismatch is reported. */
  | { kind: 'siteIdMismatch'; expect: boolean }
  | { kind: 'column'; expect: string }
  /** What the README says the page is: a detail page (article) or a column list page. */
  | { kind: 'pageKind'; expect: 'article' | 'list' }
  /** Dated list items on the page (every list), newest and oldest date. */
  | { kind: 'itemCount'; expect: number }
  | { kind: 'newestItem'; expect: string }
  | { kind: 'oldestItem'; expect: string }
  | { kind: 'pagerPages'; expect: number | null }
  /** File names of the column's other pages (index_1.html …), in any order, nothing else. */
  | { kind: 'pagerTargets'; expect: string[] }
  | { kind: 'attachments'; expect: number }
  /** Attachment addresses that must be among the page's attachments. */
  | { kind: 'attachmentTargets'; expect: string[] }
  /** A date that is on the page but is not a publication date of it or of a list item (trap). */
  | { kind: 'notADate'; expect: string }
  /** Unrendered {{…}} hrefs are not followed as links. */
  | { kind: 'templateLinksIgnored'; expect: true }
  /** `xuncha scan` reports no mobile number (landlines, 公安备案号, QQ numbers are not mobiles). */
  | { kind: 'noMobile'; expect: true };

export type FactKind = Fact['kind'];

export interface PageEntry {
  file: string;
  /** The page's address: the README's source URL for the excerpts, bench/disclosure.ts for 邯郸. */
  url?: string;
  /** The README words the facts come from (shortened). */
  readme: string;
  facts: (Fact & { from?: string })[];
}

const UTF8 = ['utf-8'];
const GBK = ['gbk', 'gb18030', 'gb2312'];

export const PAGES: PageEntry[] = [
  {
    file: 'zj-fgw-hanweb-detail-2016.html',
    readme:
      'meta `PubDate`=2016-11-22 09:53, body `发布日期：2016-11-22`; meta `Maketime` 2019-03-22; meta `SiteIDCode` is **empty** but the footer reads `网站标识码：3300000020`, a mismatch the checker should report; `ColumnName`=投资运行; no attachments',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'pageKind', expect: 'article' },
      { kind: 'pubDate', expect: '2016-11-22' },
      { kind: 'notADate', expect: '2019-03-22' },
      { kind: 'metaSiteId', expect: null },
      { kind: 'footerSiteId', expect: '3300000020' },
      { kind: 'siteIdMismatch', expect: true },
      { kind: 'column', expect: '投资运行' },
      { kind: 'attachments', expect: 0 },
    ],
  },
  {
    file: 'shanxi-gov-detail-2019.html',
    readme:
      '`SiteIDCode`=1400000045, `PubDate` and `时间：` 2019-09-18 06:23, `ColumnName`=山西要闻; the string `createPageHTML` occurs (article pager script)',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'pageKind', expect: 'article' },
      { kind: 'pubDate', expect: '2019-09-18' },
      { kind: 'metaSiteId', expect: '1400000045' },
      { kind: 'footerSiteId', expect: '1400000045', from: 'bench/corpus.ts' },
      { kind: 'column', expect: '山西要闻' },
      { kind: 'pagerPages', expect: 1, from: 'bench/corpus.ts' },
    ],
  },
  {
    file: 'gov-cn-gongbao-detail-2007.html',
    readme:
      '`网站标识码bm01000001` (note the U+3000 space); meta `firstpublishedtime`="2007-08-20-23:59:59", an odd date format; `页面生成时间 2023-10-23 11:23:36`; the body date 2007-06-29 is the resolution date, not the publication date; no SiteIDCode/PubDate meta',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'pageKind', expect: 'article' },
      { kind: 'pubDate', expect: '2007-08-20' },
      { kind: 'notADate', expect: '2023-10-23' },
      { kind: 'metaSiteId', expect: null },
      { kind: 'footerSiteId', expect: 'bm01000001' },
    ],
  },
  {
    file: 'cmse-gov-detail.html',
    readme:
      '`发布日期: 2012-06-24`; `ZJEG_RSS.content.begin/end` markers; no SiteIDCode meta; a very stale page (2012)',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'pageKind', expect: 'article' },
      { kind: 'pubDate', expect: '2012-06-24' },
      { kind: 'metaSiteId', expect: null },
    ],
  },
  {
    file: 'kepu-gov-detail-2023.html',
    readme:
      'date `2023-12-01 14:43`, `网站标识码：bm06000004`, landline `010-58884104` (must not be flagged as a mobile number)',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'pageKind', expect: 'article' },
      { kind: 'pubDate', expect: '2023-12-01' },
      { kind: 'footerSiteId', expect: 'bm06000004' },
      { kind: 'noMobile', expect: true },
    ],
  },
  {
    file: 'nmg-gov-detail-2022.html',
    readme:
      '`SiteIDCode`=1500000001, `PubDate`=2022-02-11 08:52:25, `发布日期：2022-02-11 08:52`; **freshness trap**: the body contains the future date "2022年1月1日至2025年12月31日" (policy period), which is not a publication date; landline 0471-4825916',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'pageKind', expect: 'article' },
      { kind: 'pubDate', expect: '2022-02-11' },
      { kind: 'metaSiteId', expect: '1500000001' },
      { kind: 'footerSiteId', expect: '1500000001', from: 'bench/corpus.ts' },
      { kind: 'notADate', expect: '2025-12-31' },
      { kind: 'noMobile', expect: true },
    ],
  },
  {
    file: 'bynr-gov-detail-2022.html',
    readme:
      '`SiteIDCode`=1508000002, `PubDate`=2022-02-11 09:52; **PII false-positive trap**: the footer `公安机关备案号：15081599004-00001` holds `15081599004`, which matches a naive mobile regex but is not a phone number; expected real PII = 0; landline 0478-8655532; `政府网站标识码：1508000002`',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'pageKind', expect: 'article' },
      { kind: 'pubDate', expect: '2022-02-11' },
      { kind: 'metaSiteId', expect: '1508000002' },
      { kind: 'footerSiteId', expect: '1508000002' },
      { kind: 'noMobile', expect: true },
    ],
  },
  {
    file: 'jl-xxgk-detail-tonggao.html',
    readme:
      '`SiteIDCode`=2200000019, `PubDate`=2022-01-28 00:00:00, `ColumnName`=政府信息公开基础平台; 成文日期/发布日期 labels; **2 attachment links**: http://xxgk.jl.gov.cn/PDFfile/202201/8389416.pdf and the matching `.doc`',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'pageKind', expect: 'article' },
      { kind: 'pubDate', expect: '2022-01-28' },
      { kind: 'writtenDate', expect: 'present' },
      { kind: 'metaSiteId', expect: '2200000019' },
      { kind: 'column', expect: '政府信息公开基础平台' },
      { kind: 'attachments', expect: 2 },
      {
        kind: 'attachmentTargets',
        expect: [
          'http://xxgk.jl.gov.cn/PDFfile/202201/8389416.pdf',
          'http://xxgk.jl.gov.cn/PDFfile/202201/8389416.doc',
        ],
      },
    ],
  },
  {
    file: 'chinaneast-gov-detail-gb2312.html',
    readme:
      '**GB2312** bytes: must decode via GBK/GB18030; date `2005年08月16日`; no SiteIDCode/PubDate meta; a very stale page',
    facts: [
      { kind: 'charset', expect: GBK },
      { kind: 'pageKind', expect: 'article' },
      { kind: 'pubDate', expect: '2005-08-16' },
      { kind: 'metaSiteId', expect: null },
    ],
  },
  {
    file: 'nfra-xzcf-detail-2024-rendered.html',
    readme:
      '`SiteIDCode`=bm55000001, `PubDate`=2024-07-12 17:33, decision date 2024年7月8日; **traps**: Word metadata `2052-10.8.2.7090` looks like a date 2052-10-08; 136 unrendered AngularJS `{{…}}` placeholders, including hrefs that are not real dead links',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'pageKind', expect: 'article' },
      { kind: 'pubDate', expect: '2024-07-12' },
      { kind: 'metaSiteId', expect: 'bm55000001' },
      { kind: 'footerSiteId', expect: 'bm55000001', from: 'bench/corpus.ts' },
      { kind: 'notADate', expect: '2052-10-08' },
      { kind: 'templateLinksIgnored', expect: true },
    ],
  },
  {
    file: 'nfra-xzcf-detail-2025-rendered.html',
    readme:
      '`PubDate`=2025-06-03 11:18; 1 named individual (陈首伟, with job title); the same `{{…}}` and 2052 traps',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'pageKind', expect: 'article' },
      { kind: 'pubDate', expect: '2025-06-03' },
      { kind: 'metaSiteId', expect: 'bm55000001', from: 'bench/corpus.ts' },
      { kind: 'footerSiteId', expect: 'bm55000001', from: 'bench/corpus.ts' },
      { kind: 'notADate', expect: '2052-10-08' },
      { kind: 'templateLinksIgnored', expect: true },
    ],
  },
  {
    file: 'ordos-engebei-xxgk-nianbao-list-trs.html',
    readme:
      '**10 items**, newest 2020-09-03, oldest 2017-01-07; **inline TRS pager** … so 2 pages: index.html and index_1.html; rendered pager "共计 2 页"; `网站标识码：1506000140`, jiucuo `sitecode="1506000140"`',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'pageKind', expect: 'list' },
      { kind: 'pubDate', expect: null, from: 'bench/corpus.ts' },
      { kind: 'metaSiteId', expect: null, from: 'bench/corpus.ts' },
      { kind: 'footerSiteId', expect: '1506000140' },
      { kind: 'jiucuoSiteId', expect: '1506000140' },
      { kind: 'column', expect: '信息公开年报' },
      { kind: 'itemCount', expect: 10 },
      { kind: 'newestItem', expect: '2020-09-03' },
      { kind: 'oldestItem', expect: '2017-01-07' },
      { kind: 'pagerPages', expect: 2 },
      { kind: 'pagerTargets', expect: ['index_1.html'] },
    ],
  },
  {
    file: 'handan-xxgk-platform-home.jsp.html',
    url: 'http://hdzfxxgk.hd.gov.cn/',
    readme:
      '`SiteIDCode`=1304000009; **catalogue columns present** …; 61 dated items, newest 2020-08-02, oldest 2013-10-30',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'metaSiteId', expect: '1304000009' },
      { kind: 'footerSiteId', expect: '1304000009', from: 'bench/corpus.ts' },
      { kind: 'itemCount', expect: 61 },
      { kind: 'newestItem', expect: '2020-08-02' },
      { kind: 'oldestItem', expect: '2013-10-30' },
    ],
  },
  {
    file: 'handan-xxgk-zhinan.jsp.html',
    url: 'http://hdzfxxgk.hd.gov.cn/zfxxgkzn/',
    readme:
      '`ColumnName`=政府信息公开指南; … **the guide body is missing** in this copy (0 dates, no guide text)',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'metaSiteId', expect: '1304000009', from: 'bench/corpus.ts' },
      { kind: 'column', expect: '政府信息公开指南' },
      { kind: 'itemCount', expect: 0 },
    ],
  },
  {
    file: 'handan-xxgk-list-trs.jsp.html',
    url: 'http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/',
    readme:
      '近期信息公开 list page; only **1 row** in the copy (2020-08-05, 索引号 000014348/2020-35428); inline TRS pager `var countnum= 6348; … var countPage=56`, so 56 pages: index.html, index_1.html … index_55.html',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'pageKind', expect: 'list' },
      { kind: 'metaSiteId', expect: '1304000009', from: 'bench/corpus.ts' },
      { kind: 'column', expect: '近期信息公开' },
      { kind: 'itemCount', expect: 1 },
      { kind: 'newestItem', expect: '2020-08-05' },
      { kind: 'oldestItem', expect: '2020-08-05' },
      { kind: 'pagerPages', expect: 56 },
      { kind: 'pagerTargets', expect: Array.from({ length: 55 }, (_, i) => `index_${i + 1}.html`) },
    ],
  },
  {
    file: 'handan-xxgk-detail.jsp.html',
    url: 'http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352104.html',
    readme:
      '索引号 000014348/2020-35147, 发布机构 邯郸市教育局, 成文日期 and 发布日期 `2020年08月02日`; **meta `PubDate` is in Chinese format** ("2020年08月02日"), not ISO',
    facts: [
      { kind: 'charset', expect: UTF8 },
      { kind: 'pageKind', expect: 'article' },
      { kind: 'pubDate', expect: '2020-08-02' },
      // The README names a 成文日期, but in the saved HTML its line is commented out
      // (`<!--<p><strong>成文日期</strong>：2020年08月02日</p>-->`): a reader sees none.
      { kind: 'writtenDate', expect: null },
      { kind: 'metaSiteId', expect: '1304000009', from: 'bench/corpus.ts' },
    ],
  },
  // Text excerpts (rows marked P): no <meta>, no links; the text as a page (one paragraph per line).
  {
    file: 'zj-longyou-hanweb-art-town-nianbao-2023.txt',
    url: 'https://www.longyou.gov.cn/art/2024/1/23/art_1229114055_88348.html',
    readme:
      'no date label in the text (URL date 2024-01-23); 统计期限 2023-01-01…12-31; landline 0570-7043307, fax 0570-7041202 (no mobiles); SiteIDCode, pager, attachments: none in the text',
    facts: [
      { kind: 'pubDate', expect: null, urlDate: '2024-01-23' },
      { kind: 'notADate', expect: '2023-12-31' },
      { kind: 'pagerPages', expect: null },
      { kind: 'attachments', expect: 0 },
      { kind: 'noMobile', expect: true },
    ],
  },
  {
    file: 'hebei-qianan-single-town-nianbao-2020.txt',
    url: 'http://www.qianan.gov.cn/single/29/71869.html',
    readme: 'label `发布日期: 2021-01-29`, `来源:大五里镇`',
    facts: [{ kind: 'pubDate', expect: '2021-01-29' }],
  },
  {
    file: 'gd-ruyuan-gkmlpt-town-guide.txt',
    url: 'http://www.ruyuan.gov.cn/sgryrcz/gkmlpt/guide',
    readme: 'nav `政府信息公开 规章库`; no date',
    facts: [{ kind: 'pubDate', expect: null }],
  },
  {
    file: 'hunan-anhua-township-guide-2024.txt',
    url: 'http://ahjw.anhua.gov.cn/488/554/2674/content_1546375.html',
    readme:
      'metadata 索引号 `006494558/2024-1546375`, 责任部门 田庄乡, `发文日期:2024-08-28`, `发布时间:2024-08-28`',
    facts: [
      { kind: 'pubDate', expect: '2024-08-28' },
      { kind: 'writtenDate', expect: '2024-08-28' },
    ],
  },
  {
    file: 'heilongjiang-dongning-phpcms-town-guide.txt',
    url: 'https://dongning.gov.cn/index.php/cms/item-view-id-64542.shtml',
    readme: 'text starts at the body: no title, no date; landline 0453-3761037, `daduchuan@163.com`',
    facts: [
      { kind: 'pubDate', expect: null },
      { kind: 'noMobile', expect: true },
    ],
  },
  {
    file: 'hubei-jiangan-dept-fdzdgk-mulu-2025.txt',
    url: 'https://www.jiangan.gov.cn/jaxxw/zfxxgk/fdzdgk/zfxxzdgkml/202506/t20250623_2598799.shtml',
    readme:
      'unlabelled date `2025-06-23 09:01:42`, `来源: 江岸区卫生健康局`; **`每年131日前`, `每年331日前`**: 1月31日 / 3月31日 with 月 lost',
    facts: [{ kind: 'pubDate', expect: '2025-06-23' }],
  },
  {
    file: 'anhui-bengshan-public-dept-nianbao-2017.txt',
    url: 'https://www.bengshan.gov.cn/zfxxgk/public/23651/35558991.html',
    readme: '`发布时间:2018-01-08 08:58`, `来源:` empty',
    facts: [{ kind: 'pubDate', expect: '2018-01-08' }],
  },
  {
    file: 'hunan-ziyang-dept-guide-2025-with-doc.txt',
    url: 'http://www.hnziyang.gov.cn/18534/18525/18506/18745/18754/32513/index.htm',
    readme:
      'no date label; **1 attachment** link text `资阳区财政局政府信息公开申请表.doc`; phone = fax `0737-4323620`; office mailbox `3290986929@qq.com`',
    facts: [
      { kind: 'pubDate', expect: null },
      { kind: 'attachments', expect: 1 },
      { kind: 'noMobile', expect: true },
    ],
  },
  {
    file: 'shandong-luozhuang-vsb-dept-mulu-6level.txt',
    url: 'http://luozhuang.gov.cn/info/5349/59093.htm',
    readme: 'no title/date in the text',
    facts: [{ kind: 'pubDate', expect: null }],
  },
  {
    file: 'shandong-wendeng-col-jiyuehua-dept-budget-list.txt',
    url: 'http://www.wendeng.gov.cn/col/col77388/index.html',
    readme: 'the whole stored text is the column title: **0 list items** without running the page’s script',
    facts: [
      { kind: 'itemCount', expect: 0 },
      { kind: 'pubDate', expect: null },
    ],
  },
  {
    file: 'jilin-dongchang-trs-town-nianbao-2025.txt',
    url: 'http://xxgk.dc.gov.cn/xzzf6/jcrm/ndbg/202601/t20260115_763295.html',
    readme:
      '`发布日期:2026-01-12` vs URL **2026-01-15**; `截止日期为20251231日` (年/月 lost); landline 0435-3461301; 主动公开 23 条',
    facts: [
      { kind: 'pubDate', expect: '2026-01-12' },
      { kind: 'noMobile', expect: true },
    ],
  },
  {
    file: 'liaoning-haicheng-html-town-nianbao-2025.txt',
    url: 'http://www.haicheng.gov.cn/html/HCS/202601/0176938436489438.html',
    readme: 'label `时间:2026-01-26 09:42`, `来源:海城市西四镇`',
    facts: [{ kind: 'pubDate', expect: '2026-01-26' }],
  },
  {
    file: 'guangdong-haifeng-town-nianbao-2025-tables-empty.txt',
    url: 'http://www.gdhf.gov.cn/gdhf/zwgk/gknb/content/post_1221498.html',
    readme: 'no date in the text; sections 二、三、四 are **headings with no table content**',
    facts: [{ kind: 'pubDate', expect: null }],
  },
];
