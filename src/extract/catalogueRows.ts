/**
 * Rows of a 基层政务公开标准目录 read from page TEXT (no HTML): cells either `|`-separated or one
 * per line/paragraph. Merged cells survive only as missing cells, so the parser anchors each row on
 * its 序号 and its 公开时限 cell and carries missing 事项 names down from the row above.
 */
import { looksLikeTimeLimit, parseTimeLimit, type CatalogueTimeLimit } from './catalogueTimeLimit.js';

export type { CatalogueTimeLimit } from './catalogueTimeLimit.js';

export interface CatalogueRow {
  first: string;
  second: string;
  content?: string;
  basis?: string;
  timeLimit?: CatalogueTimeLimit;
  subject?: string;
  line: number;
}

export interface CatalogueParse {
  domain?: string;
  rows: CatalogueRow[];
  problems: string[];
}

/** The 26 pilot domains (国办发〔2019〕54号) plus names the project's catalogues and pages use. */
export const CATALOGUE_DOMAINS: readonly string[] = [
  '重大建设项目', '公共资源交易', '财政预决算', '安全生产', '税收管理', '国有土地上房屋征收',
  '征地补偿', '农村集体土地征收', '公共文化服务', '公共法律服务', '户籍管理', '涉农补贴', '就业',
  '社会保险', '社会救助', '养老服务', '灾害救助', '救灾', '卫生健康', '医疗卫生', '食品药品监管',
  '城乡规划', '城市综合执法', '农村危房改造', '保障性住房', '生态环境', '环境保护', '义务教育',
  '市政服务', '扶贫', '乡村振兴',
]; // prettier-ignore

interface Cell {
  text: string;
  line: number;
}

const ROW_NO = /^\d{1,3}$/;
const HEADER_START = /^序\s*号/;
const DITTO = /^同\s*上[。.]?$/;
const CHANNEL = /[■□☑]/;
const MARK = /^[√✓✔×\s]+$/;
// 公开依据 cells name laws and documents; checked only on the cell just before 公开时限.
const BASIS = /^[《〈]|^\d+[.、．]\s*(【[^】]*】)?\s*《|^同\s*上|规定|条例|法》|办法|意见|通知|细则|决定/;
// Where 事项 names end and 公开内容 begins when no 公开时限 anchors the row.
const CONTENT_START = /^[●○•■□《【]|^\d+[.、．](?!\d)/;
const OUTLINE = /^\d+(?:[.．]\d+)+[.．、]?\s*|^\d+[.．、]\s*/;
const CJK_GAP = /([\u3400-\u9fff、，])\s+(?=[\u3400-\u9fff、，])/g;

/** Splits the text into cells with their 1-based line numbers. */
function toCells(text: string): Cell[] {
  const lines = text.replace(/\u00a0|\u3000/g, ' ').split(/\r?\n/);
  const filled = lines.filter((l) => l.trim() !== '');
  const cells: Cell[] = [];
  const push = (t: string, line: number): void => {
    const s = t.trim();
    if (s !== '') cells.push({ text: s, line });
  };
  if (lines.filter((l) => l.includes('|')).length >= filled.length / 2) {
    lines.forEach((l, i) => l.split('|').forEach((p) => push(p, i + 1)));
    return cells;
  }
  const blank = lines.length - filled.length;
  // Paragraph layout (cells separated by blank lines) keeps a multi-line cell together; dense text
  // without blank lines has one cell per line.
  const paragraphs = blank >= filled.length / 3;
  let buf: string[] = [];
  let start = 0;
  const flush = (): void => {
    if (buf.length === 1 && /^\s*\d{1,3}\s+\S/.test(buf[0] ?? '')) {
      // A row printed on one line with space-separated cells (`1 政策文件 …`).
      for (const p of (buf[0] ?? '').trim().split(/\s+/)) push(p, start);
    } else if (buf.length > 0) push(buf.join('\n'), start);
    buf = [];
  };
  lines.forEach((l, i) => {
    if (l.trim() === '') return flush();
    if (!paragraphs) {
      buf = [l];
      start = i + 1;
      return flush();
    }
    if (buf.length === 0) start = i + 1;
    buf.push(l);
  });
  flush();
  return cells;
}

function cleanName(s: string): string {
  // Names wrapped by the page keep a line break or a space between CJK characters.
  const joined = s
    .replace(/\s*\n\s*/g, '')
    .replace(CJK_GAP, '$1')
    .trim();
  return joined.replace(OUTLINE, '').trim();
}

function cleanSubject(s: string): string {
  return cleanText(s).replace(CJK_GAP, '$1');
}

function cleanText(s: string): string {
  return s
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** Joins numbered or bulleted list items split into separate cells back into one cell. */
function groupLists(cells: Cell[]): Cell[] {
  const out: Cell[] = [];
  let lastNo = 0;
  for (const c of cells) {
    const m = /^(\d+)[.、．](?!\d)/.exec(c.text);
    const prev = out[out.length - 1];
    const n = m ? Number(m[1]) : 0;
    if (prev && ((lastNo > 0 && n === lastNo + 1) || (/^[●○•]/.test(c.text) && /^[●○•]/.test(prev.text)))) {
      prev.text += '\n' + c.text;
      lastNo = n || lastNo;
      continue;
    }
    out.push({ ...c });
    lastNo = n === 1 ? 1 : 0;
  }
  return out;
}

const isTail = (t: string): boolean => CHANNEL.test(t) || MARK.test(t) || /^注[:：]/.test(t);

/** A numbered segment may hold further rows without 序号 (merged 序号 cell): split after each row's tail. */
function splitUnnumbered(cells: Cell[]): Cell[][] {
  const parts: Cell[][] = [];
  let start = 0;
  for (;;) {
    const rel = cells.slice(start).findIndex((c) => looksLikeTimeLimit(c.text));
    if (rel < 0) break;
    let j = start + rel + 1;
    if (cells[j] && !isTail(cells[j]?.text ?? '')) j++;
    while (j < cells.length && isTail(cells[j]?.text ?? '')) j++;
    if (j >= cells.length || !cells.slice(j).some((c) => looksLikeTimeLimit(c.text))) break;
    parts.push(cells.slice(start, j));
    start = j;
  }
  parts.push(cells.slice(start));
  return parts;
}

interface Pieces {
  names: string[];
  content?: string;
  basis?: string;
  timeLimit?: CatalogueTimeLimit;
  subject?: string;
  onlyNames: boolean;
}

const nameLike = (t: string): boolean => t.length <= 40 && !/[;；。:：●○•\n]/.test(t);

function piecesOf(part: Cell[], levels: number): Pieces {
  const tl = part.findIndex((c) => looksLikeTimeLimit(c.text));
  if (tl < 0) {
    const names: string[] = [];
    let k = 0;
    while (k < part.length && names.length < levels && !CONTENT_START.test(part[k]?.text ?? '')) {
      names.push(part[k]?.text ?? '');
      k++;
    }
    const rest = groupLists(part.slice(k));
    const basis = rest.find((c, i) => i > 0 && BASIS.test(c.text));
    return {
      names,
      content: rest[0] ? cleanText(rest[0].text) : undefined,
      basis: basis ? cleanText(basis.text) : undefined,
      onlyNames: rest.length === 0,
    };
  }
  const pre = groupLists(part.slice(0, tl));
  const last = pre[pre.length - 1];
  const basisAt = last && BASIS.test(last.text) ? pre.length - 1 : pre.length;
  // 公开内容 is the cell before the basis, or earlier when an unnumbered element list was split
  // into cells (`政策依据;` `补贴结果;`): names never carry list punctuation.
  let contentAt = basisAt - 1;
  const firstNonName = pre.findIndex((c) => !nameLike(c.text));
  if (firstNonName >= 0 && firstNonName < contentAt) contentAt = firstNonName;
  // One lone cell before the basis is a name unless it reads like 公开内容.
  const lone = pre[contentAt];
  if (contentAt === 0 && basisAt === 1 && lone && nameLike(lone.text)) contentAt = -1;
  const next = part[tl + 1];
  const contentCells = contentAt >= 0 ? pre.slice(contentAt, basisAt) : [];
  return {
    names: pre.slice(0, contentAt >= 0 ? contentAt : basisAt).map((c) => c.text),
    content: contentCells.length > 0 ? cleanText(contentCells.map((c) => c.text).join('\n')) : undefined,
    basis: basisAt < pre.length ? cleanText(last?.text ?? '') : undefined,
    timeLimit: parseTimeLimit(cleanText(part[tl]?.text ?? '')),
    subject: next && !isTail(next.text) && !ROW_NO.test(next.text) ? cleanSubject(next.text) : undefined,
    onlyNames: false,
  };
}

/** The domain from the title line, else the known domain the text most often calls a 领域. */
function findDomain(text: string, known: readonly string[]): string | undefined {
  const byLength = [...known].sort((a, b) => b.length - a.length);
  for (const line of text.split(/\r?\n/).slice(0, 40)) {
    if (!/标准目录/.test(line)) continue;
    const hit = byLength.find((d) => line.includes(d + '领域')) ?? byLength.find((d) => line.includes(d));
    if (hit) return hit;
    const m = /([\u4e00-\u9fff]{2,10})领域基层政务公开/.exec(line);
    if (m?.[1]) return m[1];
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const d of byLength) {
    const count = text.split(d + '领域').length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

export function parseCatalogueText(text: string, knownDomains: readonly string[] = []): CatalogueParse {
  const problems: string[] = [];
  const domain = findDomain(text, [...CATALOGUE_DOMAINS, ...knownDomains]);
  const cells = toCells(text);
  const headerAt = cells.findIndex((c) => HEADER_START.test(c.text) || /^一级\s*(事项)?$/.test(c.text));
  if (headerAt < 0) {
    problems.push('未找到目录表头（序号/一级事项），无法按表格读取');
    return { domain, rows: [], problems };
  }

  let levels = 2;
  let defaultLimit: CatalogueTimeLimit | undefined;
  let defaultSubject: string | undefined;
  const segments: { no: number; line: number; cells: Cell[] }[] = [];
  let inHeader = true;
  let lastNo = 0;
  for (let i = headerAt; i < cells.length; i++) {
    const c = cells[i] as Cell;
    if (ROW_NO.test(c.text) && Number(c.text) > lastNo) {
      lastNo = Number(c.text);
      segments.push({ no: lastNo, line: c.line, cells: [] });
      inHeader = false;
    } else if (HEADER_START.test(c.text)) {
      // A header block repeated mid-table (page breaks of a converted PDF, long tables).
      inHeader = true;
    } else if (inHeader) {
      if (/三级/.test(c.text)) levels = 3;
      // A merged 时限/主体 cell printed once under the header applies to every row.
      if (segments.length === 0 && looksLikeTimeLimit(c.text)) {
        defaultLimit = parseTimeLimit(cleanText(c.text));
        const next = cells[i + 1];
        if (next && !isTail(next.text) && !ROW_NO.test(next.text)) defaultSubject = cleanSubject(next.text);
      }
    } else segments[segments.length - 1]?.cells.push(c);
  }
  if (segments.length === 0) problems.push('表头之后没有带序号的行');

  const rows: CatalogueRow[] = [];
  let prevLevels: string[] = new Array<string>(levels).fill('');
  let prevOwnFirst = false;
  const parts = segments.flatMap((s) =>
    splitUnnumbered(s.cells).map((p, k) => ({
      line: k === 0 ? s.line : (p[0]?.line ?? s.line),
      no: s.no,
      cells: p,
    })),
  );
  parts.forEach((part, idx) => {
    const prev = rows[rows.length - 1];
    const pc = piecesOf(part.cells, levels);
    let names = pc.names.map(cleanName).filter((n, i, a) => n !== '' && n !== a[i - 1]);
    if (names.length > levels) {
      problems.push(`第${part.no}行事项名称多于${levels}列，取首尾`);
      names = [...names.slice(0, levels - 1), names[names.length - 1] as string];
    }
    const offset = levels - names.length;
    const lv = prevLevels.map((p, i) => {
      const own = i >= offset ? (names[i - offset] as string) : undefined;
      return own === undefined || DITTO.test(own) ? p : own;
    });
    const ownFirst = names.length === levels;
    // A merged 一级 cell whose text the page split over two rows leaves two short fragments
    // (`城镇燃` + `气管理`); real 一级 names are rarely three characters or fewer twice running.
    if (
      ownFirst &&
      prevOwnFirst &&
      prev &&
      lv[0] &&
      prev.first.length <= 3 &&
      lv[0].length <= 3 &&
      lv[0] !== prev.first
    ) {
      const joined = prev.first + lv[0];
      problems.push(`一级事项「${prev.first}」与「${lv[0]}」按跨行拆分拼接为「${joined}」`);
      for (const r of rows) if (r.first === prev.first) r.first = joined;
      lv[0] = joined;
    }
    if (names.length === 0) problems.push(`第${part.no}行没有事项名称（可能被截断）`);
    const isLast = idx === parts.length - 1;
    // A row showing only its name, with more rows below, shares the merged cells of the row above.
    const inherit = pc.onlyNames && !isLast && prev !== undefined;
    const resolve = (v: string | undefined, p: string | undefined): string | undefined =>
      v !== undefined && DITTO.test(v) ? p : v;
    const row: CatalogueRow = {
      first: lv[0] ?? '',
      second: names.length === 0 ? '' : (lv[1] ?? ''),
      line: part.line,
    };
    const content = inherit ? prev?.content : resolve(pc.content, prev?.content);
    const basis = inherit ? prev?.basis : resolve(pc.basis, prev?.basis);
    const limit = inherit ? prev?.timeLimit : (pc.timeLimit ?? defaultLimit);
    const subject = inherit
      ? prev?.subject
      : (resolve(pc.subject, prev?.subject) ?? (pc.timeLimit ? undefined : defaultSubject));
    if (content !== undefined) row.content = content;
    if (basis !== undefined) row.basis = basis;
    if (limit !== undefined) row.timeLimit = limit;
    if (subject !== undefined) row.subject = subject;
    rows.push(row);
    prevLevels = lv;
    prevOwnFirst = ownFirst;
  });
  return { domain, rows, problems };
}
