/**
 * Decide from the raw HTML whether a page builds its content with scripts (avalon, AngularJS, Vue,
 * jQuery ajax, Hanweb jpage without a datastore, TRS document.write lists) and therefore must be
 * rendered in a browser before its links and list items can be read. Pure and regex-only, so it
 * costs well under a millisecond per ordinary page.
 *
 * False positives are expensive (a browser render instead of a plain fetch), so the usual
 * furniture of government templates never counts on its own: the TRS `createPageHTML` pager and
 * other pager scripts, 百度统计/CNZZ/conac/纠错 snippets, jQuery sliders, visit counters without an
 * empty list to fill.
 */

export interface RenderDecision {
  render: boolean;
  /** Short Chinese explanations, one per signal found (empty when render is false). */
  reasons: string[];
}

interface Script {
  attrs: string;
  body: string;
}

/** Comments, scripts, styles and textareas, whichever starts first (so a commented-out script stays a comment). */
const SKIPPED =
  /<!--[\s\S]*?-->|<script\b([^>]*)>([\s\S]*?)<\/script\s*>|<style\b[^>]*>[\s\S]*?<\/style\s*>|<textarea\b[^>]*>[\s\S]*?<\/textarea\s*>/gi;

/** `{{expr}}` as left by AngularJS, Vue, avalon, art-template…: starts like an expression. */
const MUSTACHE = /\{\{\s*[A-Za-z_$:!([][^{}<>]{0,200}?\}\}/g;
/** Mustache inside a link-like attribute value (href, src, ng-href, ms-attr-href…). */
const MUSTACHE_IN_LINK = /\b(?:href|src)\s*=\s*(["'])[^"']*\{\{[^"']*\}\}[^"']*\1/gi;

/** Repeat directives: unambiguous on their own. */
const REPEAT_DIRECTIVES: { re: RegExp; reason: string }[] = [
  { re: /<[a-z][^>]*\s(?:ms-for|:for)\s*=/i, reason: '检测到 avalon 模板（ms-for）' },
  { re: /<[a-z][^>]*\sms-(?:repeat|each)(?:-[\w-]+)?\s*=/i, reason: '检测到 avalon 模板（ms-repeat）' },
  { re: /<[a-z][^>]*\s(?:data-)?ng-repeat\s*=/i, reason: '检测到 AngularJS 模板（ng-repeat）' },
  { re: /<[a-z][^>]*\sv-for\s*=/i, reason: '检测到 Vue 模板（v-for）' },
];

/** Application roots and link bindings: a page only declares them to bind data into the DOM. */
const ROOT_DIRECTIVES: { re: RegExp; reason: string }[] = [
  { re: /<[a-z][^>]*\sms-(?:controller|important)\s*=/i, reason: '检测到 avalon 模板（ms-controller）' },
  {
    re: /<[a-z][^>]*\s(?:ms-attr-href|ms-href|:attr)\s*=/i,
    reason: '检测到 avalon 链接绑定（ms-attr-href）',
  },
  { re: /<[a-z][^>]*\s(?:data-)?ng-(?:app|controller)\b/i, reason: '检测到 AngularJS 应用（ng-app）' },
  { re: /<[a-z][^>]*\s(?:data-)?ng-href\s*=/i, reason: '检测到 AngularJS 链接绑定（ng-href）' },
];

/** Vue conditionals/bindings: only with a framework script, since `:href` or `v-if` alone is ambiguous. */
const WEAK_DIRECTIVES =
  /<[a-z][^>]*\s(?:v-(?:if|show|html|text|bind:[\w-]+|model|cloak)|:(?:href|src|key|class)|ms-(?:if|visible|text|html|attr-\w+))\b/i;

const FRAMEWORK_SRC = /(?:^|[/\\._-])(vue|avalon|angular)(?:[\w.-]*)?\.js\b|\/(vue|avalon|angular)(?:@|\/)/i;
const FRAMEWORK_INLINE =
  /\bnew\s+Vue\s*\(|\bVue\.createApp\s*\(|\bcreateApp\s*\(|\bavalon\.define\s*\(|\bangular\.module\s*\(/;

/** id/class values that name a list container. */
const LIST_NAME =
  /list|(?:^|[\s_-])lb(?:[\s_-]|\d|$)|news|xxgk|zwgk|gkml|wzlb|xwlb|tzgg|datas?(?:[\s_-]|$)|items?(?:[\s_-]|$)|articles?(?:[\s_-]|$)|result|record/i;
const EMPTY_CONTAINER = /<(ul|ol|tbody|div|dl|table|section)\b([^>]*)>(?:\s|&nbsp;|&#160;)*<\/\1\s*>/gi;

/** Inline-script calls that load data or write markup. */
const DATA_CALL =
  /(?:\$|jQuery)\s*\.\s*(?:ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|\bXMLHttpRequest\b|\baxios\b|\.load\s*\(\s*["']/;
const DOCUMENT_WRITE = /\bdocument\s*\.\s*write(?:ln)?\s*\(/;

/** Scripts that never build the page's content: pagers, statistics, badges. */
const BENIGN_SCRIPT =
  /createPageHTML|countPage|currentPage|下一页|上一页|尾页|hm\.baidu\.com|_hmt|cnzz\.com|_czc|conac\.cn|jiucuo|google-analytics|googletagmanager|51\.la|document\.write\s*\(\s*unescape\s*\(/i;
/** `document.write` of a link (quoted markup containing `<a `). */
const WRITES_LINK = /\bdocument\s*\.\s*write(?:ln)?\s*\(\s*["'`][^\n]*?<a\s/i;
const LOOP = /\bfor\s*\(|\bwhile\s*\(|\.each\s*\(|\.forEach\s*\(/;

/** Client-side template scripts (art-template, laytpl, jQuery tmpl, handlebars, Vue x-template). */
const TEMPLATE_TYPE =
  /\btype\s*=\s*["']?text\/(?:html|template|x-template|x-jquery-tmpl|x-handlebars-template|x-tmpl)/i;
const TEMPLATE_SYNTAX = /\{\{|<%|\{#|\$\{|\{@each/;

const HANWEB_JPAGE = /\bjpage\b|dataproxy\.jsp/i;
const HANWEB_DATASTORE = /<datastore\b/i;

/** Containers hidden until filled are side boxes (相关政策, 热点), not the page's main list. */
const HIDDEN = /\bstyle\s*=\s*["'][^"']*display\s*:\s*none|\shidden(?:\s|=|$)/i;
/** Paragraph text (links excluded) above which a page is an article whose own content is static. */
const ARTICLE_PROSE = 400;

const SPA_MOUNT = /^(?:app|root|App|vue-app|main-app)$/;

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a script refers to the element with this id (`#id`, getElementById('id')). */
function refersTo(script: string, id: string): boolean {
  const e = escapeRegExp(id);
  return new RegExp(`["'\`][^"'\`]*#${e}(?![\\w-])|getElementById\\s*\\(\\s*["'\`]${e}["'\`]`).test(script);
}

export function needsRendering(html: string): RenderDecision {
  const scripts: Script[] = [];
  // Markup without comments, scripts, styles and textareas: what a browser would show before scripts
  // run. A container holding only scripts therefore counts as empty.
  const markup = html.replace(SKIPPED, (whole: string, attrs?: string, body?: string) => {
    if (attrs !== undefined) scripts.push({ attrs, body: body ?? '' });
    return ' ';
  });
  const reasons: string[] = [];
  const add = (reason: string) => {
    if (!reasons.includes(reason)) reasons.push(reason);
  };

  const executable = scripts.filter(
    (s) => !TEMPLATE_TYPE.test(s.attrs) && !/\btype\s*=\s*["']?text\/xml/i.test(s.attrs),
  );
  const inline = executable.filter((s) => attr(s.attrs, 'src') === undefined && s.body.trim() !== '');
  const contentScripts = inline.filter((s) => !BENIGN_SCRIPT.test(s.body));
  const frameworkScript =
    executable.some((s) => FRAMEWORK_SRC.test(attr(s.attrs, 'src') ?? '')) ||
    inline.some((s) => FRAMEWORK_INLINE.test(s.body));

  // 1. Framework directives.
  for (const d of REPEAT_DIRECTIVES) if (d.re.test(markup)) add(d.reason);
  for (const d of ROOT_DIRECTIVES) if (d.re.test(markup)) add(d.reason);
  if (frameworkScript && WEAK_DIRECTIVES.test(markup)) add('检测到 Vue/avalon/AngularJS 模板指令（v-if 等）');

  // 2. Unrendered mustache placeholders in text or attributes.
  const placeholders = markup.match(MUSTACHE)?.length ?? 0;
  const linkPlaceholders = markup.match(MUSTACHE_IN_LINK)?.length ?? 0;
  if (linkPlaceholders > 0) add(`链接中有 ${linkPlaceholders} 个未渲染的模板占位符（{{…}}）`);
  else if (placeholders > 0) add(`页面中有 ${placeholders} 个未渲染的模板占位符（{{…}}）`);

  // 3. Empty containers filled by inline scripts.
  const loaders = contentScripts.filter((s) => DATA_CALL.test(s.body));
  const writers = contentScripts.filter((s) => DOCUMENT_WRITE.test(s.body));
  const fillers = [...loaders, ...writers];
  const emptyIds: string[] = [];
  const article = proseLength(markup) >= ARTICLE_PROSE;
  for (const m of markup.matchAll(EMPTY_CONTAINER)) {
    const tag = (m[1] ?? '').toLowerCase();
    const attrs = m[2] ?? '';
    const id = attr(attrs, 'id');
    const name = `${id ?? ''} ${attr(attrs, 'class') ?? ''}`.trim();
    if (id) emptyIds.push(id);
    const referenced = id !== undefined && id !== '' && fillers.some((s) => refersTo(s.body, id));
    if (HIDDEN.test(attrs) || article) {
      // Side boxes of an article or hidden widgets: not worth a browser.
    } else if (referenced) add(`空的列表容器 <${tag} id="${id}"> 由页面脚本填充`);
    else if (name && LIST_NAME.test(name) && fillers.length > 0) {
      const call = loaders.length > 0 ? '异步请求（ajax/fetch）' : 'document.write';
      add(`列表容器 <${tag} ${id ? `id="${id}"` : `class="${name}"`}> 为空，页面脚本用${call}生成内容`);
    }
    if (
      id &&
      SPA_MOUNT.test(id) &&
      (frameworkScript || executable.length > 0) &&
      bodyTextLength(markup) < 200
    )
      add(`页面主体为空（<div id="${id}">），内容由脚本生成`);
  }

  // 4. Hanweb (大汉) jpage lists whose records are fetched by dataproxy.jsp instead of an inline datastore.
  if (
    !HANWEB_DATASTORE.test(html) &&
    scripts.some((s) => HANWEB_JPAGE.test(attr(s.attrs, 'src') ?? '') || HANWEB_JPAGE.test(s.body)) &&
    emptyIds.length > 0
  )
    add('检测到大汉 jpage 列表但页面中没有 datastore 数据，列表由脚本加载');

  // 5. TRS-style lists written item by item with document.write (pagers excluded).
  const linkWriters = contentScripts.filter((s) => WRITES_LINK.test(s.body));
  if (linkWriters.length >= 3 || linkWriters.some((s) => LOOP.test(s.body)))
    add(`列表链接由 document.write 脚本生成（${linkWriters.length} 处）`);

  // 6. Client-side templates waiting for data.
  const templates = scripts.filter((s) => TEMPLATE_TYPE.test(s.attrs) && TEMPLATE_SYNTAX.test(s.body));
  if (templates.length > 0 && (loaders.length > 0 || emptyIds.length > 0))
    add('检测到前端模板脚本（script type="text/html"），内容由脚本渲染');

  return { render: reasons.length > 0, reasons };
}

/** Non-link text in paragraphs of at least 40 characters (footers are short paragraphs). */
function proseLength(markup: string): number {
  let total = 0;
  for (const m of markup.matchAll(/<p\b[^>]*>([\s\S]*?)<\/p\s*>/gi)) {
    const text = (m[1] ?? '')
      .replace(/<a\b[\s\S]*?<\/a\s*>/gi, '')
      .replace(/<[^>]*>/g, '')
      .replace(/&nbsp;|\s+/g, '');
    if (text.length >= 40) total += text.length;
  }
  return total;
}

function bodyTextLength(markup: string): number {
  const body = /<body\b[^>]*>([\s\S]*)/i.exec(markup)?.[1] ?? markup;
  return body
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;|\s+/g, '')
    .trim().length;
}
