import { stripBom } from './text.js';
import { MAX_XML_PART_BYTES, readZipDirectory, readZipEntry, type ZipEntry } from './zipReader.js';

// XML parts of zip packages (OFD, PPTX) read with a few regular expressions, as docx.ts does: the
// parts are machine-written and only their text is wanted, so no XML library is needed. Every
// pattern stops at the next '<', which keeps a hostile part from making a scan quadratic.

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlText(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (m, e: string) => {
    if (e[0] !== '#') return XML_ENTITIES[e.toLowerCase()] ?? m;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/** Character data of element content: CDATA verbatim, entities decoded, any markup dropped. */
export function xmlContentText(raw: string): string {
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) =>
      part.startsWith('<![CDATA[') ? part.slice(9, -3) : decodeXmlText(part.replace(/<[^<>]*>/g, '')),
    )
    .join('');
}

/** An attribute by its exact (qualified) name; undefined when absent. */
export function xmlAttr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  return m ? decodeXmlText(m[1] ?? m[2] ?? '') : undefined;
}

export interface XmlElement {
  attrs: string;
  /** Raw XML between the start and end tags ('' for an empty element). */
  inner: string;
}

// OFD writers use the ofd: prefix, a default namespace or another prefix: match the local name.
const ANY_PREFIX = '(?:[A-Za-z_][\\w.-]*:)?';

/** Elements of one local name in document order; elements of that name must not nest. */
export function xmlElements(xml: string, localName: string): XmlElement[] {
  const open = new RegExp(`<${ANY_PREFIX}${localName}(?=[\\s/>])([^<>]*?)(/?)>`, 'g');
  const close = new RegExp(`</${ANY_PREFIX}${localName}\\s*>`, 'g');
  const found: XmlElement[] = [];
  for (let m = open.exec(xml); m; m = open.exec(xml)) {
    const start = m.index + m[0].length;
    if (m[2]) {
      found.push({ attrs: m[1] ?? '', inner: '' });
      continue;
    }
    close.lastIndex = start;
    const end = close.exec(xml);
    // An unclosed element: the rest of the part is damaged, keep what came before.
    if (!end) break;
    found.push({ attrs: m[1] ?? '', inner: xml.slice(start, end.index) });
    open.lastIndex = close.lastIndex;
  }
  return found;
}

/** Text content of the first element of that local name, trimmed; undefined when absent. */
export function xmlElementText(xml: string, localName: string): string | undefined {
  const el = xmlElements(xml, localName)[0];
  return el ? xmlContentText(el.inner).trim() : undefined;
}

/** The XML without the elements of this exact qualified name (and their content). */
export function withoutElements(xml: string, qualifiedName: string): string {
  const open = new RegExp(`<${qualifiedName}(?=[\\s/>])[^<>]*?(/?)>`, 'g');
  const close = `</${qualifiedName}>`;
  let out = '';
  let from = 0;
  for (let m = open.exec(xml); m; m = open.exec(xml)) {
    out += xml.slice(from, m.index);
    const end = m[1] ? m.index + m[0].length : xml.indexOf(close, m.index + m[0].length);
    if (end < 0) return out;
    from = m[1] ? end : end + close.length;
    open.lastIndex = from;
  }
  return out + xml.slice(from);
}

function decodeXmlBytes(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf);
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf);
  const declared = /^[^<]{0,8}<\?xml[^>]*\bencoding\s*=\s*["']([\w.-]+)["']/i.exec(
    buf.subarray(0, 200).toString('latin1'),
  )?.[1];
  // OFD requires UTF-8, but some Chinese writers declare (and write) GB2312.
  if (declared && /^(gb2312|gbk|gb18030)$/i.test(declared)) return new TextDecoder('gb18030').decode(buf);
  return stripBom(buf.toString('utf8'));
}

export interface XmlPackage {
  /** The entry's exact name; a differently cased name is accepted (archives made on Windows). */
  find(name: string): string | undefined;
  names(): string[];
  /** Throws a Chinese message when the part is missing, encrypted, damaged or over MAX_XML_PART_BYTES. */
  read(name: string): string;
}

/** Call only after zipBombReason() found the archive sane: entries are read with zipReader's caps. */
export function openXmlPackage(body: Buffer): XmlPackage {
  const entries = new Map<string, ZipEntry>();
  const lower = new Map<string, string>();
  for (const e of readZipDirectory(body)) {
    entries.set(e.name, e);
    if (!lower.has(e.name.toLowerCase())) lower.set(e.name.toLowerCase(), e.name);
  }
  const find = (name: string): string | undefined =>
    entries.has(name) ? name : lower.get(name.toLowerCase());
  return {
    find,
    names: () => [...entries.keys()],
    read(name) {
      const found = find(name);
      const entry = found === undefined ? undefined : entries.get(found);
      if (!entry) throw new Error('文件中缺少该部件');
      return decodeXmlBytes(readZipEntry(body, entry, MAX_XML_PART_BYTES));
    },
  };
}

/**
 * The part a reference inside part `from` points to: from the package root when it starts with '/',
 * else from the folder of `from` (OFD's ST_Loc and OOXML relationship targets both work this way).
 */
export function resolvePartName(from: string, ref: string): string {
  const clean = ref.trim().replace(/\\/g, '/');
  const parts = clean.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const seg of clean.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}
