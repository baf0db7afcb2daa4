import ExcelJS from 'exceljs';
import JSZip from 'jszip';

/**
 * Read rendered reports back into plain data for structural assertions and goldens
 * (sheet rows, hyperlinks, notice paragraphs, raw zip parts). Never compare bytes.
 */
export type SheetValue = string | number | null;

export interface SheetHyperlink {
  /** A1-style address, e.g. F2. */
  address: string;
  text: string;
  hyperlink: string;
}

/** Every sheet as rows of plain values (row 1 first). Hyperlink cells give their text; trailing empties dropped. */
export async function readWorkbook(buf: Buffer): Promise<Record<string, SheetValue[][]>> {
  const workbook = await loadWorkbook(buf);
  const sheets: Record<string, SheetValue[][]> = {};
  workbook.eachSheet((sheet) => {
    sheets[sheet.name] = readSheet(sheet);
  });
  return sheets;
}

/** The hyperlink cells of one sheet, in row order. */
export async function readHyperlinks(buf: Buffer, sheetName: string): Promise<SheetHyperlink[]> {
  const sheet = (await loadWorkbook(buf)).getWorksheet(sheetName);
  if (!sheet) throw new Error(`workbook has no sheet ${sheetName}`);
  const links: SheetHyperlink[] = [];
  sheet.eachRow((row) =>
    row.eachCell((cell) => {
      const value = cell.value;
      if (value && typeof value === 'object' && 'hyperlink' in value) {
        links.push({ address: cell.address, text: cell.text, hyperlink: value.hyperlink });
      }
    }),
  );
  return links;
}

/** Paragraph texts of word/document.xml in document order, table-cell paragraphs included; empty ones dropped. */
export async function readDocxText(buf: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(buf);
  const xml = await zip.file('word/document.xml')?.async('string');
  if (xml === undefined) throw new Error('not a docx: word/document.xml is missing');
  const paragraphs = xml.match(/<w:p\b[^>]*\/>|<w:p\b[^>]*>[\s\S]*?<\/w:p>/g) ?? [];
  return paragraphs.map(paragraphText).filter((text) => text.length > 0);
}

/** Every text part of an xlsx/docx zip (entries without NUL bytes), by entry name. */
export async function readZipEntries(buf: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(buf);
  const entries = new Map<string, string>();
  for (const file of Object.values(zip.files)) {
    if (file.dir) continue;
    const bytes = await file.async('uint8array');
    if (!bytes.includes(0)) entries.set(file.name, new TextDecoder('utf-8').decode(bytes));
  }
  return entries;
}

async function loadWorkbook(buf: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buf as unknown as ExcelJS.Buffer);
  return workbook;
}

function readSheet(sheet: ExcelJS.Worksheet): SheetValue[][] {
  const rows: SheetValue[][] = [];
  for (let r = 1; r <= sheet.rowCount; r += 1) {
    const row = sheet.getRow(r);
    const values: SheetValue[] = [];
    for (let c = 1; c <= row.cellCount; c += 1) values.push(plainValue(row.getCell(c)));
    while (values.length > 0 && values[values.length - 1] === null) values.pop();
    rows.push(values);
  }
  return rows;
}

function plainValue(cell: ExcelJS.Cell): SheetValue {
  if (cell.isMerged && cell.master.address !== cell.address) return null;
  const value = cell.value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'object' && 'formula' in value) return plainResult(value.result);
  return cell.text;
}

function plainResult(result: unknown): SheetValue {
  return typeof result === 'number' || typeof result === 'string' ? result : null;
}

function paragraphText(paragraph: string): string {
  const parts = paragraph.match(/<w:t(?:\s[^>]*)?>[^<]*<\/w:t>|<w:tab\/>|<w:br\/>/g) ?? [];
  return parts
    .map((part) => {
      if (part === '<w:tab/>') return '\t';
      if (part === '<w:br/>') return '\n';
      return decodeXml(part.replace(/^<w:t(?:\s[^>]*)?>/, '').replace(/<\/w:t>$/, ''));
    })
    .join('');
}

function decodeXml(text: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return named[entity] ?? whole;
  });
}
