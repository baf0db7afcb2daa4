import { DeadlineError, errorText, type Limits } from './limits.js';
import type { Parsed } from './types.js';
import {
  decodeXmlText,
  openXmlPackage,
  resolvePartName,
  withoutElements,
  xmlAttr,
  xmlElements,
  type XmlPackage,
} from './xmlPackage.js';

// PPTX (PresentationML): slides in the order of ppt/presentation.xml's slide list, the slide number
// a viewer shows; speaker notes through each slide's relationships, since notesSlideN.xml is
// numbered by when its notes were written, not by its slide.

const DRAWING_TEXT = /<a:t(?:\s[^<>]*)?>([^<]*)<\/a:t>|<a:br\b[^<>]*\/>|<\/a:p>|<\/a:tc>|<\/a:tr>/g;

/** Text of a slide or notes part: runs joined, paragraphs as lines, table cells apart, a row a line. */
function drawingText(xml: string): string {
  // mc:Fallback repeats its mc:Choice; fields (a:fld) are slide numbers and dates the viewer fills in.
  const clean = withoutElements(withoutElements(xml, 'mc:Fallback'), 'a:fld');
  let text = '';
  for (const m of clean.matchAll(DRAWING_TEXT)) {
    if (m[1] !== undefined) text += decodeXmlText(m[1]);
    else text += m[0] === '</a:tc>' ? '\t' : '\n';
  }
  // A cell's paragraph end is not a line of its own: the row stays one line, as in a sheet.
  return text
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\n+\t/g, '\t')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

interface Relationship {
  type: string;
  /** Part name inside the package. */
  target: string;
}

/** The part's relationships by Id; none when it has no .rels part. Throws when that part is unreadable. */
function relationships(pkg: XmlPackage, part: string): Map<string, Relationship> {
  const slash = part.lastIndexOf('/');
  const relsPart = `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
  const rels = new Map<string, Relationship>();
  if (pkg.find(relsPart) === undefined) return rels;
  for (const r of xmlElements(pkg.read(relsPart), 'Relationship')) {
    if (xmlAttr(r.attrs, 'TargetMode') === 'External') continue;
    rels.set(xmlAttr(r.attrs, 'Id') ?? '', {
      type: xmlAttr(r.attrs, 'Type') ?? '',
      target: resolvePartName(part, xmlAttr(r.attrs, 'Target') ?? ''),
    });
  }
  return rels;
}

function slidesByNumber(pkg: XmlPackage): string[] {
  return pkg
    .names()
    .filter((n) => /^ppt\/slides\/slide\d+\.xml$/i.test(n))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * Slide parts in show order. A listed slide missing from the package keeps its number (and is
 * reported); when none of the listed slides is there, the list itself is damaged: go by file number.
 */
function slideParts(pkg: XmlPackage): string[] {
  try {
    const rels = relationships(pkg, 'ppt/presentation.xml');
    const list = xmlElements(pkg.read('ppt/presentation.xml'), 'sldIdLst')[0]?.inner ?? '';
    const parts = xmlElements(list, 'sldId')
      .map((s) => rels.get(xmlAttr(s.attrs, 'r:id') ?? '')?.target)
      .filter((target): target is string => target !== undefined);
    if (parts.some((part) => pkg.find(part) !== undefined))
      return parts.map((part) => pkg.find(part) ?? part);
  } catch {
    // A damaged presentation part still leaves the slides readable.
  }
  return slidesByNumber(pkg);
}

// PowerPoint writes show="0"; other writers may write the xsd:boolean "false".
const HIDDEN_SLIDE = /<p:sld\b[^<>]*\sshow\s*=\s*["'](?:0|false)["']/;

interface SlideTally {
  read: number;
  hidden: number[];
}

function readNotes(pkg: XmlPackage, slidePart: string, location: string, out: Parsed): void {
  let notesPart: string | undefined;
  try {
    notesPart = [...relationships(pkg, slidePart).values()].find((r) =>
      r.type.endsWith('/notesSlide'),
    )?.target;
    if (notesPart === undefined) return;
    const text = drawingText(pkg.read(notesPart));
    if (text !== '') out.segments.push({ location: `${location}备注`, text });
  } catch (err) {
    out.warnings.push(`${location}备注（${notesPart ?? slidePart}）未能读取：${errorText(err)}，需人工复核`);
  }
}

function readSlide(pkg: XmlPackage, part: string, n: number, tally: SlideTally, out: Parsed): void {
  const location = `第${n}张幻灯片`;
  let xml: string;
  try {
    xml = pkg.read(part);
  } catch (err) {
    out.warnings.push(`${location}（${part}）未能读取：${errorText(err)}，需人工复核`);
    return;
  }
  // A hidden slide is skipped in the slide show, yet it is in the published file: read it like any other.
  if (HIDDEN_SLIDE.test(xml)) tally.hidden.push(n);
  const text = drawingText(xml);
  if (text !== '') out.segments.push({ location, text });
  readNotes(pkg, part, location, out);
}

function coverageWarnings(total: number, tally: SlideTally, found: number): string[] {
  const warnings: string[] = [];
  if (tally.hidden.length > 0) warnings.push(`第${tally.hidden.join('、')}张幻灯片为隐藏幻灯片，已一并检查`);
  if (found === 0) warnings.push('演示文稿无文字内容（可能仅含图片），需人工复核');
  if (tally.read < total)
    warnings.push(`演示文稿共 ${total} 张幻灯片，仅检查了前 ${tally.read} 张，其余需人工复核`);
  return warnings;
}

export function extractPptx(body: Buffer, limits: Limits): Parsed {
  const pkg = openXmlPackage(body);
  const slides = slideParts(pkg);
  const out: Parsed = { segments: [], warnings: [] };
  const tally: SlideTally = { read: 0, hidden: [] };
  for (const [i, part] of slides.entries()) {
    if (tally.read >= limits.maxPages || Date.now() >= limits.deadline) break;
    tally.read += 1;
    readSlide(pkg, part, i + 1, tally, out);
  }
  if (tally.read === 0 && slides.length > 0 && Date.now() >= limits.deadline)
    throw new DeadlineError('timeout');
  out.warnings.unshift(...coverageWarnings(slides.length, tally, out.segments.length));
  return out;
}
