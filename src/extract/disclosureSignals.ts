/**
 * What names and addresses say about the 政府信息公开专栏: which part of it a link text, a page
 * title or a URL points to. Pure functions of strings; disclosureColumn.ts combines them per unit.
 */

import { DISCLOSURE_PINS, type DisclosurePin } from '../seeds/unit.js';

/** The parts a seed may pin, and the 标准目录 (pinned with `catalogues`, one part per domain). */
export type DisclosurePartId = DisclosurePin | 'catalogue';

/** How a part was found, strongest first: a seed pinned it, the page names itself, a link names it, its URL. */
export type DisclosureSignal = 'pinned' | 'title' | 'link-text' | 'url-pattern';

export const PART_ORDER: readonly DisclosurePartId[] = [...DISCLOSURE_PINS, 'catalogue'];

export const PART_TITLES: Record<DisclosurePartId, string> = {
  column: '政府信息公开专栏',
  guide: '政府信息公开指南',
  rules: '政府信息公开制度',
  mandatory: '法定主动公开内容',
  'annual-report': '政府信息公开年报',
  request: '依申请公开',
  interpretation: '政策解读',
  catalogue: '基层政务公开标准目录',
};

export const SIGNAL_TITLES: Record<DisclosureSignal, string> = {
  pinned: '种子指定',
  title: '页面标题',
  'link-text': '链接文字',
  'url-pattern': '网址特征',
};

export const SIGNAL_RANK: Record<DisclosureSignal, number> = {
  pinned: 4,
  title: 3,
  'link-text': 2,
  'url-pattern': 1,
};

export interface PartMatch {
  part: DisclosurePartId;
  /** 标准目录 of one pilot domain (rules/catalogues `domain`); absent for the 标准目录 zone itself. */
  domain?: string;
}

/** Longer texts are sentences or document titles, not the name of a column. */
const MAX_NAME = 40;

/** Link texts carry spaces ("政府信息 公开指南" on two lines) and brackets; names don't. */
export function normaliseName(text: string): string {
  return text
    .replace(/[\s\u00a0\u3000]+/g, '')
    .replace(/^[【[（(<《«»>·•|｜]+/, '')
    .replace(/[】\]）)>》»«<|｜:：]+$/, '');
}

/** A document about a part ("关于更新政府信息公开指南的通知") is not the part itself. */
const ABOUT_A_PART =
  /^关于|的(?:通知|通报|意见|批复|函|决定|报告)$|工作要点|培训|会议|考核|检查|测评|评估|自查|整改/;

// A place or body, then its 信息公开: "邯郸市政府信息公开", "吉林省政府信息公开专栏", "市发展改革委信息公开".
const BODY = '.{1,12}?(?:省|市|区|县|州|盟|旗|镇|乡|街道|局|委|办|厅|署)(?:人民政府|政府)?';
const COLUMN = new RegExp(
  `^(?:(?:政府)?信息公开(?:专栏|专题|专区|平台|基础平台|网)?|(?:基层)?政务公开(?:专栏|专区|平台)?|政务信息公开专栏|${BODY}信息公开(?:专栏|平台|网)?)$`,
);

const TEXT_RULES: readonly [DisclosurePartId, RegExp][] = [
  ['column', COLUMN],
  ['guide', /公开指南/],
  ['rules', /公开(?:工作)?(?:制度|规定)/],
  [
    'mandatory',
    /法定主动公开|^主动公开(?:内容|信息)?$|主动公开(?:事项|政府信息)?目录|(?:信息|政务)公开目录$|^公开目录$/,
  ],
  ['annual-report', /公开(?:工作)?(?:年度)?(?:年报|报告)|^年报$|^年度报告$/],
  ['request', /依申请|^(?:政府)?信息公开(?:在线)?申请|^申请公开/],
  ['interpretation', /政策(?:文件)?解读|解读回应|图解政策|政策图解|^解读$/],
];

/** A rule's own title: 规程, 办法, 细则, 条例 … */
const RULES_DOCUMENT = /(?:规程|办法|细则|规则|制度|规定|条例)(?:（[^）]*）)?$/;

/** The 标准目录 zone: 基层政务公开标准化规范化, 标准目录, 26个试点领域. */
const ZONE = /标准化规范化|标准目录|试点领域|\d+个(?:重点|试点)?领域/;
const DOMAIN_CONTEXT = /标准目录|领域|标准化|规范化/;
/** "卫生健康局主动公开事项目录" names an organ, not the 卫生健康 domain. */
const ORGAN_AFTER = /^(?:局|委|厅|办|部门|中心|站|所)/;

/**
 * Parts a link text or a page title names. `domains` are the pilot domains known to the rules;
 * `inZone` says the text is on a 标准目录 zone page, where a bare domain name ("社会救助") is
 * that domain's catalogue.
 */
export function partsOfText(raw: string, domains: readonly string[], inZone = false): PartMatch[] {
  const text = normaliseName(raw);
  if (!text || text.length > MAX_NAME || ABOUT_A_PART.test(text)) return [];
  let out: PartMatch[] = TEXT_RULES.filter(([, re]) => re.test(text)).map(([part]) => ({ part }));
  // "…依申请公开工作规程" is one of the 制度, not the channel for requests.
  if (RULES_DOCUMENT.test(text) && /公开/.test(text)) {
    out = out.filter((m) => m.part !== 'request' && m.part !== 'rules');
    out.push({ part: 'rules' });
  }
  const domain = domains.find(
    (d) => text.includes(d) && !ORGAN_AFTER.test(text.slice(text.indexOf(d) + d.length)),
  );
  if (domain && (DOMAIN_CONTEXT.test(text) || (inZone && text.length <= domain.length + 4)))
    out.push({ part: 'catalogue', domain });
  else if (ZONE.test(text)) out.push({ part: 'catalogue' });
  return out;
}

// ---------------------------------------------------------------- URLs

/** Directory names the common platforms give each part (TRS, 大汉, 集约化 templates, gkmlpt). */
const SEGMENT_RULES: readonly [DisclosurePartId, RegExp][] = [
  ['column', /^(?:zfxx|xx|zw|zf)gk(?:zl|pt|zq|w)?$|^(?:openness|gkmlpt)$/],
  ['guide', /^(?:zfxx|xx|zw|zf)?gkzn$/],
  ['rules', /^(?:zfxx|xx|zw|zf)?gk(?:zd|gd|zdgd|zdwj)$/],
  ['mandatory', /^(?:fd)?zdgk(?:nr|ml)?$|^fdgknr$|^(?:zfxx|xx|zw|zfxxzd|zd)?gkml$|^gkmlpt$/],
  ['annual-report', /^(?:zfxx|xx|zw|zf)?gk(?:nb|ndbg)$|^ndbg$/],
  ['request', /^ysq(?:gk|gklm|gkpt|pt)?$/],
  ['interpretation', /^zcjd/],
  ['catalogue', /jczw|bzml|bzhgfh|sdly|^\d+g?z?d?ly$/],
];

/** Short names that mean a part only inside a 专栏 directory: /xxgk/zn/, /gkmlpt/guide. */
const SHORT_CODES: Record<string, DisclosurePartId> = {
  zn: 'guide',
  guide: 'guide',
  zd: 'rules',
  gd: 'rules',
  ml: 'mandatory',
  nb: 'annual-report',
  ndbg: 'annual-report',
  ysq: 'request',
  zcjd: 'interpretation',
};

const DOCUMENT_DIRS = new Set([
  'content',
  'detail',
  'details',
  'info',
  'art',
  'article',
  'articles',
  'html',
  'show',
  'view',
  'post',
  'single',
  'public',
]);
/** A column's first page; index_1.html and on are its pager pages, not another entry. */
const INDEX_FILE = /^(?:index|default|list|main)\.\w+$/i;

interface UrlShape {
  /** Directory names, lower case, trailing date and number directories dropped. */
  dirs: string[];
  /** The URL names a directory (a column page) rather than a document in it. */
  isIndex: boolean;
  firstHostLabel: string;
  path: string;
}

function shapeOf(url: string): UrlShape | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const parts = u.pathname.toLowerCase().split('/').filter(Boolean);
  const last = parts[parts.length - 1] ?? '';
  // "/gkmlpt/guide": a name without extension is a directory-like page.
  const isFile = /\.\w+$/.test(last);
  const isIndex = !isFile || INDEX_FILE.test(last) || u.pathname.endsWith('/');
  const dirs = isFile ? parts.slice(0, -1) : parts;
  // Date, id and generic document directories say nothing about the column: /gknb/content/post_1.html.
  while (dirs.length && (/^\d+$/.test(dirs[dirs.length - 1]!) || DOCUMENT_DIRS.has(dirs[dirs.length - 1]!)))
    dirs.pop();
  return { dirs, isIndex, firstHostLabel: u.hostname.split('.')[0] ?? '', path: u.pathname.toLowerCase() };
}

/** A column page's address (a directory or its index file), not a document's. */
export function isColumnUrl(url: string): boolean {
  return shapeOf(url)?.isIndex ?? false;
}

function segmentParts(seg: string, parent: string | undefined): DisclosurePartId[] {
  const out = SEGMENT_RULES.filter(([, re]) => re.test(seg)).map(([p]) => p);
  const short = SHORT_CODES[seg];
  if (!out.length && short && parent && SEGMENT_RULES[0]![1].test(parent)) out.push(short);
  return out;
}

/**
 * Parts a URL's address points to. Only column pages count (a directory or its index file);
 * `documents: true` also reads the directory a document sits in (what one page *is*, for
 * `xuncha extract`). 大汉 `/module/xxgk/` is the platform's 信息公开 module whatever the file.
 */
export function partsOfUrl(url: string, documents = false): DisclosurePartId[] {
  const shape = shapeOf(url);
  if (!shape) return [];
  const out = new Set<DisclosurePartId>();
  if (/\/module\/xxgk\//.test(shape.path)) out.add('column');
  if (/^ysq/.test(shape.firstHostLabel)) out.add('request');
  if (shape.isIndex || documents) {
    const { dirs } = shape;
    const seg = dirs[dirs.length - 1];
    if (seg) for (const p of segmentParts(seg, dirs[dirs.length - 2])) out.add(p);
    // A platform on its own host: http://xxgk.example.gov.cn/ or hdzfxxgk.hd.gov.cn.
    else if (shape.isIndex && /(?:xx|zw)gk/.test(shape.firstHostLabel)) out.add('column');
  }
  return [...out];
}
