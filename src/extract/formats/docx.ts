import mammoth from 'mammoth';
import { errorText, withDeadline, type Limits } from './limits.js';
import type { Parsed, TextSegment } from './types.js';
import { MAX_XML_PART_BYTES, readZipDirectory, readZipEntry } from './zipReader.js';
import { decodeXmlText } from './xmlPackage.js';

/**
 * Text of a WordprocessingML part: runs (w:t, or w:delText for deleted revisions) with paragraph
 * ends, tabs, breaks and table cells kept apart. mc:Fallback repeats mc:Choice content (text boxes)
 * and is dropped.
 */
function wordXmlText(xml: string, runTag: 't' | 'delText'): string {
  const clean = xml.replace(/<mc:Fallback\b[\s\S]*?<\/mc:Fallback>/g, '');
  const re = new RegExp(
    `<w:${runTag}(?:\\s[^>]*)?>([^<]*)</w:${runTag}>|<w:tab/>|<w:br\\b[^>]*/>|<w:cr/>|</w:p>|</w:tc>`,
    'g',
  );
  const parts: string[] = [];
  for (const m of clean.matchAll(re)) {
    const tag = m[0];
    if (m[1] !== undefined) parts.push(decodeXmlText(m[1]));
    else if (tag === '</w:p>' || tag.startsWith('<w:br') || tag === '<w:cr/>') parts.push('\n');
    else parts.push('\t');
  }
  return parts
    .join('')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const DOCX_PARTS: readonly { re: RegExp; location: string; runTag: 't' | 'delText' }[] = [
  { re: /^word\/header\d*\.xml$/, location: '页眉', runTag: 't' },
  { re: /^word\/footer\d*\.xml$/, location: '页脚', runTag: 't' },
  { re: /^word\/comments\.xml$/, location: '批注', runTag: 't' },
  { re: /^word\/footnotes\.xml$/, location: '脚注', runTag: 't' },
  { re: /^word\/endnotes\.xml$/, location: '尾注', runTag: 't' },
  // Tracked deletions stay in the file: whoever opens it with revisions shown sees them.
  { re: /^word\/document\.xml$/, location: '修订中已删除的内容', runTag: 'delText' },
];

/** Headers, footers, comments, foot/endnotes and tracked deletions, which mammoth does not return. */
function docxExtraParts(body: Buffer): Parsed {
  const segments: TextSegment[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const entries = readZipDirectory(body).sort((a, b) =>
    a.name.localeCompare(b.name, 'en', { numeric: true }),
  );
  for (const part of DOCX_PARTS) {
    for (const e of entries.filter((x) => part.re.test(x.name))) {
      let xml: string;
      try {
        xml = readZipEntry(body, e, MAX_XML_PART_BYTES).toString('utf8');
      } catch (err) {
        warnings.push(`${part.location}（${e.name}）未能读取：${errorText(err)}，需人工复核`);
        continue;
      }
      if (part.runTag === 'delText' && !xml.includes('<w:delText')) continue;
      const text = wordXmlText(xml, part.runTag);
      // Word writes the same header for first, even and default pages: report it once.
      const key = `${part.location}\n${text}`;
      if (text === '' || seen.has(key)) continue;
      seen.add(key);
      segments.push({ location: part.location, text });
    }
  }
  return { segments, warnings };
}

export async function extractDocx(body: Buffer, limits: Limits): Promise<Parsed> {
  const result = await withDeadline(mammoth.extractRawText({ buffer: body }), limits.deadline);
  const text = result.value;
  const extra = docxExtraParts(body);
  const segments: TextSegment[] = text.trim() === '' ? [] : [{ location: '正文', text }];
  segments.push(...extra.segments);
  if (segments.length === 0)
    return { segments: [], warnings: ['文档无文字内容（可能仅含图片），需人工复核', ...extra.warnings] };
  return { segments, warnings: extra.warnings };
}
