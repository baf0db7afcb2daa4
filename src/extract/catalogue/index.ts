/**
 * 基层政务公开标准目录 as units publish them — an HTML table, an XLSX/XLS workbook, a DOCX, a PDF,
 * or page text — read into one shape (./types.ts). parseCatalogueFile dispatches on magic bytes;
 * looksLikeCatalogueHtml/Text are the cheap tests callers use before parsing.
 */
import { decodeHtml } from '../../crawl/decodeHtml.js';
import { extractAttachmentText } from '../attachmentText.js';
import { DeadlineError, errorText, startLimits, type ExtractLimits } from '../formats/limits.js';
import { guessByMagic } from '../formats/magicBytes.js';
import { zipBombReason } from '../zipGuard.js';
import { parseCatalogueDocx } from './docx.js';
import { parseCatalogueHtml } from './html.js';
import { parseCataloguePdf } from './pdf.js';
import { parseCatalogueTextFile } from './text.js';
import type { CatalogueFormat, PublishedCatalogue } from './types.js';
import { parseCatalogueSheetJs, parseCatalogueXlsx } from './xlsx.js';

export * from './types.js';
export { looksLikeCatalogueHtml, looksLikeCatalogueText, parseCatalogueHtml } from './html.js';
export { parseCatalogueTextFile } from './text.js';

export interface CatalogueFileOptions {
  url?: string;
  contentType?: string;
  knownDomains?: string[];
  /** Resource limits (pages, rows, time, parser memory); the attachment defaults when absent. */
  limits?: ExtractLimits;
}

function extensionOf(url: string | undefined): string {
  if (!url) return '';
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // a local path
  }
  return /\.([a-z0-9]{1,5})$/i.exec(path)?.[1]?.toLowerCase() ?? '';
}

/** The format a file will be read as, with the label the CLI shows; `other` goes through attachment text. */
export function catalogueFormatOf(
  body: Buffer,
  opts: { url?: string; contentType?: string } = {},
): { format: CatalogueFormat | 'xls' | 'other'; label: string } {
  const ext = extensionOf(opts.url);
  const guess = guessByMagic(body, ext);
  if (guess) {
    if (
      guess.format === 'pdf' ||
      guess.format === 'docx' ||
      guess.format === 'xlsx' ||
      guess.format === 'html'
    )
      return { format: guess.format, label: guess.label };
    return { format: guess.format === 'xls' ? 'xls' : 'other', label: guess.label };
  }
  const head = body.subarray(0, 65536).toString('latin1');
  if (/<table[\s>]/i.test(head) || /html/i.test(opts.contentType ?? '') || /^s?html?$/.test(ext))
    return { format: 'html', label: 'HTML' };
  return { format: 'text', label: '文本' };
}

const failed = (format: CatalogueFormat, label: string, err: unknown): PublishedCatalogue[] => [
  {
    format,
    rows: [],
    problems: [`${label} 文件未能读取：${err instanceof DeadlineError ? '解析超时' : errorText(err)}`],
  },
];

/**
 * Every catalogue in a file. Never throws for a bad file: what could not be read is a problem of a
 * catalogue without rows. Formats without a table reader of their own (DOC, WPS, OFD …) are read
 * as text through the attachment extractor and parsed by the text-level parser.
 */
export async function parseCatalogueFile(
  body: Buffer,
  opts: CatalogueFileOptions = {},
): Promise<PublishedCatalogue[]> {
  const known = opts.knownDomains ?? [];
  const limits = startLimits(opts.limits ?? {});
  const { format, label } = catalogueFormatOf(body, opts);
  if (body.length === 0) return [{ format: 'text', rows: [], problems: ['文件为空'] }];
  try {
    if (format === 'docx' || format === 'xlsx') {
      const bomb = zipBombReason(body);
      if (bomb) return [{ format, rows: [], problems: [`${label} 文件未解析：${bomb}`] }];
    }
    switch (format) {
      case 'html': {
        const text = decodeHtml(body, opts.contentType).text;
        return parseCatalogueHtml(text, opts.url ?? 'http://localhost/', known);
      }
      case 'xlsx':
        return await parseCatalogueXlsx(body, limits, known).catch((err: unknown) => {
          if (err instanceof DeadlineError) throw err;
          return parseCatalogueSheetJs(body, limits, known);
        });
      case 'xls':
        return await parseCatalogueSheetJs(body, limits, known);
      case 'docx':
        return parseCatalogueDocx(body, known);
      case 'pdf':
        return await parseCataloguePdf(body, limits, known);
      case 'text':
        return [parseCatalogueTextFile(decodeHtml(body, opts.contentType).text, known)];
      case 'other': {
        const att = await extractAttachmentText(
          body,
          { url: opts.url ?? '', contentType: opts.contentType },
          opts.limits,
        );
        const text = att.segments.map((s) => s.text).join('\n');
        if (text.trim() === '')
          return [{ format: 'text', rows: [], problems: [`${label} 文件没有可读的文字`, ...att.warnings] }];
        const cat = parseCatalogueTextFile(text, known);
        cat.problems.unshift(`${label} 文件按文字读取（没有表格结构）`, ...att.warnings);
        return [cat];
      }
    }
  } catch (err) {
    return failed(format === 'xls' ? 'xlsx' : format === 'other' ? 'text' : format, label, err);
  }
}
