import { DeadlineError, errorText, SCANNED_WARNING, type Limits } from './limits.js';
import type { Parsed, TextSegment } from './types.js';
import {
  openXmlPackage,
  resolvePartName,
  xmlAttr,
  xmlContentText,
  xmlElements,
  xmlElementText,
  type XmlPackage,
} from './xmlPackage.js';
import { foldCjkRadicals } from '../cjkRadicals.js';

// OFD (GB/T 33190): OFD.xml → DocBody/DocRoot (Document.xml) → Pages/Page@BaseLoc (Content.xml),
// where text sits in TextObject/TextCode elements placed by coordinates (millimetres, y downwards).

/** Consecutive TextCodes of one TextObject on one baseline, in page coordinates. */
interface Run {
  y: number;
  x: number;
  /** Where the text ends: the Boundary's right edge, or before it when DeltaX tells. */
  right: number;
  size: number;
  text: string;
}

// 五号字 (10.5 pt) in mm: the size when a TextObject does not give one.
const DEFAULT_SIZE = 3.7;
// Baselines closer than this many font sizes are one line (sub- and superscripts stay on it).
const SAME_LINE = 0.3;
// Objects closer than this many font sizes touch: converters split words, even ID numbers, into
// several objects. A word space is wider, so neighbouring table cells are not glued into one number.
const TOUCHING = 0.15;

/** A TextObject being read: where its object space sits on the page, and where its runs start. */
interface OfdTextObject {
  /** Boundary origin and right edge (Infinity when the writer gave no width), page mm. */
  bx: number;
  by: number;
  right: number;
  /** CTM a b c d e f: object space → Boundary space. TextCode X, Y, DeltaX and Size are in object space. */
  ctm: [number, number, number, number, number, number];
  size: number;
  firstRun: number;
}

function numberList(value: string | undefined): number[] {
  return (value ?? '').trim().split(/\s+/).map(Number);
}

function textObject(attrs: string, firstRun: number): OfdTextObject {
  const [bx = 0, by = 0, bw = 0] = numberList(xmlAttr(attrs, 'Boundary')).map((n) =>
    Number.isFinite(n) ? n : 0,
  );
  const m = numberList(xmlAttr(attrs, 'CTM'));
  const ctm: OfdTextObject['ctm'] = [1, 0, 0, 1, 0, 0];
  if (m.length === 6 && m.every(Number.isFinite)) m.forEach((v, i) => (ctm[i] = v));
  const size = Number(xmlAttr(attrs, 'Size'));
  return {
    bx,
    by,
    right: bw > 0 ? bx + bw : Infinity,
    ctm,
    size: size > 0 ? size : DEFAULT_SIZE,
    firstRun,
  };
}

function onPage(obj: OfdTextObject, x: number, y: number): { x: number; y: number } {
  const [a, b, c, d, e, f] = obj.ctm;
  return { x: obj.bx + a * x + c * y + e, y: obj.by + b * x + d * y + f };
}

/** Sum of the first n glyph offsets of a DeltaX ("g N d" stands for N offsets of d); undefined if fewer. */
function deltaXSum(value: string | undefined, n: number): number | undefined {
  const tokens = (value ?? '').split(/\s+/).filter((t) => t !== '');
  let sum = 0;
  let left = n;
  for (let i = 0; i < tokens.length && left > 0; i++) {
    const group = tokens[i] === 'g';
    const repeat = group ? Math.min(Number(tokens[i + 1]), left) : 1;
    const offset = Number(tokens[group ? i + 2 : i]);
    if (!(repeat >= 0) || !Number.isFinite(offset)) return undefined;
    sum += repeat * offset;
    left -= repeat;
    if (group) i += 2;
  }
  return left === 0 ? sum : undefined;
}

interface OfdTextCode {
  /** Where the text starts in the part. */
  at: number;
  x: number;
  y: number;
  deltaX?: string;
}

/**
 * Right end of the text in object space: the last glyph's origin (from DeltaX) plus its advance,
 * taken as a full em for CJK and half an em otherwise. Some writers draw Boundary far wider than
 * the text, so the box alone would glue neighbouring cells together.
 */
function textEnd(code: OfdTextCode, text: string, size: number): number | undefined {
  const chars = [...text];
  const offsets = deltaXSum(code.deltaX, chars.length - 1);
  if (offsets === undefined) return undefined;
  return code.x + offsets + ((chars.at(-1)?.charCodeAt(0) ?? 0) < 0x80 ? 0.5 : 1) * size;
}

function coordinate(attrs: string, name: string, fallback: number): number {
  const n = Number(xmlAttr(attrs, name) ?? NaN);
  return Number.isFinite(n) ? n : fallback;
}

const TEXT_TAG = /<(\/?)(?:[A-Za-z_][\w.-]*:)?(TextObject|TextCode)(?=[\s/>])([^<>]*?)(\/?)>/g;

/** Runs in document order; a TextCode without X or Y takes the previous one's. */
function textRuns(xml: string): Run[] {
  const runs: Run[] = [];
  let obj: OfdTextObject | undefined;
  let code: OfdTextCode | undefined;
  let last = { x: 0, y: 0 };
  for (const m of xml.matchAll(TEXT_TAG)) {
    const [tag, close, name, attrs = '', selfClosing] = m;
    if (name === 'TextObject') {
      obj = close || selfClosing ? undefined : textObject(attrs, runs.length);
      last = { x: 0, y: 0 };
    } else if (obj && !close && !selfClosing) {
      last = { x: coordinate(attrs, 'X', last.x), y: coordinate(attrs, 'Y', last.y) };
      code = { at: m.index + tag.length, ...last, deltaX: xmlAttr(attrs, 'DeltaX') };
    } else if (obj && close && code) {
      addRun(runs, obj, code, xmlContentText(xml.slice(code.at, m.index)));
      code = undefined;
    }
  }
  return runs;
}

function addRun(runs: Run[], obj: OfdTextObject, code: OfdTextCode, text: string): void {
  if (text === '') return;
  const start = onPage(obj, code.x, code.y);
  const end = textEnd(code, text, obj.size);
  const estimated = end === undefined ? Infinity : onPage(obj, end, code.y).x;
  const right = Math.min(obj.right, estimated);
  const prev = runs.length > obj.firstRun ? runs[runs.length - 1] : undefined;
  // TextCodes of one object on one baseline are one run of text, whatever their X says.
  if (prev && Math.abs(prev.y - start.y) < 0.01) {
    prev.text += text;
    if (Number.isFinite(right)) prev.right = right;
    return;
  }
  const size = obj.size * (Math.hypot(obj.ctm[2], obj.ctm[3]) || 1);
  runs.push({ y: start.y, x: start.x, right: Number.isFinite(right) ? right : start.x, size, text });
}

/** Lines top to bottom, each left to right; drawing order is not reading order in every writer. */
function runsText(runs: Run[]): string {
  const lines: Run[][] = [];
  for (const run of [...runs].sort((a, b) => a.y - b.y)) {
    const line = lines.at(-1);
    const head = line?.[0];
    if (line && head && Math.abs(head.y - run.y) <= SAME_LINE * Math.min(head.size, run.size)) line.push(run);
    else lines.push([run]);
  }
  return lines.map(lineText).join('\n');
}

function lineText(line: Run[]): string {
  const runs = [...line].sort((a, b) => a.x - b.x);
  let text = '';
  runs.forEach((run, i) => {
    const prev = runs[i - 1];
    const touches = prev && run.x - prev.right <= TOUCHING * Math.min(prev.size, run.size);
    text += (prev && !touches ? '\t' : '') + run.text;
  });
  return text;
}

/** Text of a page, a template or an annotation's appearance; PDF-converted OFDs may carry radicals. */
function contentText(xml: string): string {
  return foldCjkRadicals(runsText(textRuns(xml))).trim();
}

const hasImage = (xml: string): boolean => /<(?:[A-Za-z_][\w.-]*:)?ImageObject(?=[\s/>])/.test(xml);

interface OfdPage {
  id: string;
  part: string;
}

interface OfdDocument {
  /** '' for the only document, 第K个文档 when the package holds several. */
  prefix: string;
  pages: OfdPage[];
  templates: string[];
  annotations?: string;
  attachments?: string;
}

function readDocument(pkg: XmlPackage, part: string, prefix: string): OfdDocument {
  const xml = pkg.read(part);
  const locate = (loc: string): string => resolveLoc(pkg, part, loc);
  const pageList = xmlElements(xml, 'Pages')[0]?.inner ?? '';
  const pages = xmlElements(pageList, 'Page').map((p) => ({
    id: xmlAttr(p.attrs, 'ID') ?? '',
    // BaseLoc is an attribute; a few writers put it in a child element.
    part: locate(xmlAttr(p.attrs, 'BaseLoc') ?? xmlElementText(p.inner, 'BaseLoc') ?? ''),
  }));
  const templates = xmlElements(xml, 'TemplatePage').map((t) => locate(xmlAttr(t.attrs, 'BaseLoc') ?? ''));
  const annotations = xmlElementText(xml, 'Annotations');
  const attachments = xmlElementText(xml, 'Attachments');
  return {
    prefix,
    pages,
    templates,
    annotations: annotations ? locate(annotations) : undefined,
    attachments: attachments ? locate(attachments) : undefined,
  };
}

/** ST_Loc is relative to the referring part; some writers give it from the package root instead. */
function resolveLoc(pkg: XmlPackage, from: string, loc: string): string {
  const relative = resolvePartName(from, loc);
  if (pkg.find(relative) !== undefined) return relative;
  const fromRoot = resolvePartName('', loc);
  return pkg.find(fromRoot) !== undefined ? fromRoot : relative;
}

function readDocuments(pkg: XmlPackage): OfdDocument[] {
  const roots = xmlElements(pkg.read('OFD.xml'), 'DocRoot').map((r) => xmlContentText(r.inner).trim());
  if (roots.length === 0) throw new Error('OFD.xml 中找不到文档入口（DocRoot）');
  return roots.map((root, k) =>
    readDocument(pkg, resolveLoc(pkg, 'OFD.xml', root), roots.length > 1 ? `第${k + 1}个文档` : ''),
  );
}

interface PageTally {
  total: number;
  read: number;
  /** Pages (with their document prefix) holding only images: scans. */
  scanned: string[];
}

function readPages(pkg: XmlPackage, doc: OfdDocument, limits: Limits, tally: PageTally, out: Parsed): void {
  for (const [i, page] of doc.pages.entries()) {
    if (tally.read >= limits.maxPages || Date.now() >= limits.deadline) return;
    tally.read += 1;
    const location = `${doc.prefix}第${i + 1}页`;
    let xml: string;
    try {
      xml = pkg.read(page.part);
    } catch (err) {
      out.warnings.push(`${location}（${page.part}）未能读取：${errorText(err)}，需人工复核`);
      continue;
    }
    const text = contentText(xml);
    if (text !== '') out.segments.push({ location, text });
    else if (hasImage(xml)) tally.scanned.push(location);
  }
}

/** Template pages (letterheads drawn under every page using them), each once. */
function readTemplates(pkg: XmlPackage, doc: OfdDocument, out: Parsed): void {
  for (const part of new Set(doc.templates)) {
    try {
      const text = contentText(pkg.read(part));
      if (text !== '') out.segments.push({ location: `${doc.prefix}模板页`, text });
    } catch (err) {
      out.warnings.push(`${doc.prefix}模板页（${part}）未能读取：${errorText(err)}，需人工复核`);
    }
  }
}

/** One segment per annotation (注释): its remark and the text of its appearance. */
function annotationSegments(xml: string, location: string): TextSegment[] {
  return xmlElements(xml, 'Annot')
    .map((a) =>
      [xmlElementText(a.inner, 'Remark') ?? '', contentText(a.inner)].filter((t) => t !== '').join('\n'),
    )
    .filter((text) => text !== '')
    .map((text) => ({ location, text }));
}

function readAnnotations(pkg: XmlPackage, doc: OfdDocument, out: Parsed): void {
  if (!doc.annotations) return;
  const index = doc.annotations;
  const pageNumber = new Map(doc.pages.map((p, i) => [p.id, i + 1]));
  try {
    for (const page of xmlElements(pkg.read(index), 'Page')) {
      const n = pageNumber.get(xmlAttr(page.attrs, 'PageID') ?? '');
      const location = n ? `${doc.prefix}第${n}页注释` : `${doc.prefix}注释`;
      const part = resolveLoc(pkg, index, xmlElementText(page.inner, 'FileLoc') ?? '');
      try {
        out.segments.push(...annotationSegments(pkg.read(part), location));
      } catch (err) {
        out.warnings.push(`${location}（${part}）未能读取：${errorText(err)}，需人工复核`);
      }
    }
  } catch (err) {
    out.warnings.push(`${doc.prefix}注释（${index}）未能读取：${errorText(err)}，需人工复核`);
  }
}

/** Files embedded in the OFD are not opened; say so rather than pass them silently. */
function attachmentWarning(pkg: XmlPackage, doc: OfdDocument): string[] {
  if (!doc.attachments) return [];
  let count: number;
  try {
    count = xmlElements(pkg.read(doc.attachments), 'Attachment').length;
  } catch {
    count = 1;
  }
  return count > 0 ? [`${doc.prefix}OFD 内嵌的附件文件未检查，需人工复核`] : [];
}

function coverageWarnings(tally: PageTally, found: number): string[] {
  const warnings: string[] = [];
  if (tally.read > 0 && tally.scanned.length === tally.read) warnings.push(SCANNED_WARNING);
  else if (tally.scanned.length > 0)
    warnings.push(`${tally.scanned.join('、')}无文字、仅有图片（可能为扫描页），需人工复核`);
  else if (found === 0) warnings.push('文档无文字内容，需人工复核');
  if (tally.read < tally.total)
    warnings.push(`OFD 共 ${tally.total} 页，仅检查了前 ${tally.read} 页，其余需人工复核`);
  return warnings;
}

export function extractOfd(body: Buffer, limits: Limits): Parsed {
  const pkg = openXmlPackage(body);
  const docs = readDocuments(pkg);
  const out: Parsed = { segments: [], warnings: [] };
  const tally: PageTally = { total: 0, read: 0, scanned: [] };
  for (const doc of docs) {
    tally.total += doc.pages.length;
    readPages(pkg, doc, limits, tally, out);
    readTemplates(pkg, doc, out);
    readAnnotations(pkg, doc, out);
    out.warnings.push(...attachmentWarning(pkg, doc));
  }
  if (tally.read === 0 && tally.total > 0 && Date.now() >= limits.deadline)
    throw new DeadlineError('timeout');
  out.warnings.unshift(...coverageWarnings(tally, out.segments.length));
  return out;
}
