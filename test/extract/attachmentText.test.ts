import { Document, Packer, Paragraph, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  detectAttachmentFormat,
  extractAttachmentText,
  SCANNED_WARNING,
  type AttachmentText,
} from '../../src/extract/attachmentText.js';
import { detectPersonalData } from '../../src/pii/detect.js';

const ID = '11010519491231002X'; // GB 11643's own example number
const MOBILE = '13812345678';

/**
 * A minimal valid PDF: one page per entry, each with the given ASCII lines in Helvetica, or with no
 * content stream at all (null) to stand in for a scanned page.
 */
function buildPdf(pages: (string[] | null)[]): Buffer {
  const objects: string[] = [];
  const add = (body: string): number => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // Pages, filled in once the kids are known
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const kids = pages.map((lines) => {
    let contents = '';
    if (lines) {
      const ops = lines.map((l, i) => `BT /F1 12 Tf 20 ${120 - i * 20} Td (${l}) Tj ET`).join('\n');
      contents = ` /Contents ${add(`<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`)} 0 R`;
    }
    const resources = `/Resources << /Font << /F1 ${font} 0 R >> >>`;
    return add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] ${resources}${contents} >>`);
  });
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

async function buildXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const list = wb.addWorksheet('名单');
  list.addRow([]); // an empty first row: the header is the first non-empty row
  list.addRow(['序号', '姓名', '身份证号', '联系电话']);
  list.addRow([1, '张三', ID, Number(MOBILE)]);
  list.addRow([2, '李四', Number('350502199001011234'), '无']); // a long ID stored as a number
  list.addRow([3, { richText: [{ text: '王' }, { text: '五' }] }, { formula: 'A1', result: '13912345678' }]);
  list.mergeCells('B6:C6');
  list.getCell('B6').value = '合并单元格';
  list.getColumn(4).hidden = true;
  const hidden = wb.addWorksheet('备用', { state: 'hidden' });
  hidden.addRow(['户主', '手机']);
  hidden.addRow(['赵六', '15012345678']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function buildDocx(): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ children: [new TextRun('关于低保对象的公示')] }),
          new Paragraph({ children: [new TextRun(`申请人：张三，身份证号：${ID}，联系电话：${MOBILE}`)] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

const allText = (r: AttachmentText): string => r.segments.map((s) => s.text).join('\n');

describe('format detection', () => {
  it('trusts magic bytes over URL and content type', async () => {
    const pdf = buildPdf([['hello']]);
    expect(detectAttachmentFormat(pdf, { url: 'http://x.gov.cn/download?id=1' }).format).toBe('pdf');
    expect(
      detectAttachmentFormat(pdf, { url: 'http://x.gov.cn/a.doc', contentType: 'text/html' }).format,
    ).toBe('pdf');
    const docx = await buildDocx();
    expect(detectAttachmentFormat(docx, { url: 'http://x.gov.cn/a.xls' }).format).toBe('docx');
    const xlsx = await buildXlsx();
    expect(detectAttachmentFormat(xlsx, { url: 'http://x.gov.cn/file' }).format).toBe('xlsx');
  });

  it('falls back to extension, then content type', () => {
    const text = Buffer.from('a,b\n1,2\n');
    expect(detectAttachmentFormat(text, { url: 'http://x.gov.cn/a.csv' }).format).toBe('text');
    expect(
      detectAttachmentFormat(text, { url: 'http://x/f', contentType: 'text/plain; charset=gbk' }).format,
    ).toBe('text');
    expect(
      detectAttachmentFormat(Buffer.from('  <!DOCTYPE html><p>x'), { url: 'http://x/a.pdf' }).format,
    ).toBe('html');
  });
});

describe('PDF', () => {
  it('yields one segment per page with 第N页 and finds an ID and a mobile in the text layer', async () => {
    const pdf = buildPdf([[`ID ${ID}`, `TEL ${MOBILE}`], ['page two']]);
    const result = await extractAttachmentText(pdf, { url: 'http://x.gov.cn/gs.pdf' });
    expect(result.format).toBe('pdf');
    expect(result.warnings).toEqual([]);
    expect(result.segments.map((s) => s.location)).toEqual(['第1页', '第2页']);
    const found = detectPersonalData(result.segments[0]?.text ?? '');
    expect(found.map((m) => m.masked)).toEqual(['110105********002X', '138****5678']);
  });

  it('warns 扫描件 when pages have no text at all', async () => {
    const result = await extractAttachmentText(buildPdf([null, null]), { url: 'http://x.gov.cn/scan.pdf' });
    expect(result).toEqual({ format: 'pdf', segments: [], warnings: [SCANNED_WARNING] });
  });

  it('names pages without text when only some pages are scanned', async () => {
    const result = await extractAttachmentText(buildPdf([['text'], null]), { url: 'http://x/a.pdf' });
    expect(result.segments).toHaveLength(1);
    expect(result.warnings).toEqual(['第2页无文字层（可能为扫描页），需人工复核']);
  });

  it('caps pages and says so', async () => {
    const pdf = buildPdf([['one'], ['two'], ['three']]);
    const result = await extractAttachmentText(pdf, { url: 'http://x/a.pdf' }, { maxPages: 2 });
    expect(result.segments.map((s) => s.location)).toEqual(['第1页', '第2页']);
    expect(result.warnings).toEqual(['PDF 共 3 页，仅检查了前 2 页，其余需人工复核']);
  });

  it('turns a corrupt PDF into a warning, never a throw', async () => {
    const result = await extractAttachmentText(Buffer.from('%PDF-1.4\n%garbage'), { url: 'http://x/a.pdf' });
    expect(result.format).toBe('pdf');
    expect(result.segments).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^附件解析失败（PDF）/);
  });
});

describe('DOCX', () => {
  it('extracts the body as one 正文 segment', async () => {
    const result = await extractAttachmentText(await buildDocx(), { url: 'http://x.gov.cn/gs.docx' });
    expect(result.format).toBe('docx');
    expect(result.segments).toHaveLength(1);
    expect(result.segments[0]?.location).toBe('正文');
    expect(allText(result)).toContain(ID);
    expect(detectPersonalData(allText(result)).map((m) => m.type)).toEqual(['id-card', 'mobile']);
  });

  it('turns a truncated DOCX into a warning', async () => {
    const docx = await buildDocx();
    const result = await extractAttachmentText(docx.subarray(0, 400), { url: 'http://x/a.docx' });
    expect(result.segments).toEqual([]);
    expect(result.warnings[0]).toMatch(/^附件未解析：压缩包结构损坏/);
  });
});

describe('XLSX', () => {
  it('reads every row of every sheet, hidden ones included, with the header as context', async () => {
    const result = await extractAttachmentText(await buildXlsx(), { url: 'http://x.gov.cn/md.xlsx' });
    expect(result.format).toBe('xlsx');
    const header = '序号\t姓名\t身份证号\t联系电话';
    expect(result.segments).toContainEqual({
      location: '工作表「名单」第3行',
      text: `1\t张三\t${ID}\t${MOBILE}`,
      context: header,
    });
    expect(result.segments[0]).toEqual({ location: '工作表「名单」第2行', text: header, context: header });
    expect(result.segments).toContainEqual({
      location: '工作表「备用」第2行',
      text: '赵六\t15012345678',
      context: '户主\t手机',
    });
  });

  it('renders long numbers without exponent and warns about lost precision', async () => {
    const result = await extractAttachmentText(await buildXlsx(), { url: 'http://x/md.xlsx' });
    const row4 = result.segments.find((s) => s.location === '工作表「名单」第4行');
    expect(row4?.text).toMatch(/^2\t李四\t3505021990010112\d\d\t无$/);
    expect(result.warnings).toContain(
      '工作表「名单」有 1 个超过15位的数值（首个在第4行），按数值存储的身份证号等会丢失末位，需人工复核',
    );
  });

  it('reads rich text, formula results and merged cells once; notes hidden sheets and columns', async () => {
    const result = await extractAttachmentText(await buildXlsx(), { url: 'http://x/md.xlsx' });
    const text = (loc: string) => result.segments.find((s) => s.location === loc)?.text;
    expect(text('工作表「名单」第5行')).toBe('3\t王五\t13912345678');
    expect(text('工作表「名单」第6行')).toBe('合并单元格');
    expect(result.warnings).toContain('工作表「备用」为隐藏工作表，已一并检查');
    expect(result.warnings).toContain('工作表「名单」含隐藏行或列，已一并检查');
  });

  it('lets header context raise detection confidence', async () => {
    const result = await extractAttachmentText(await buildXlsx(), { url: 'http://x/md.xlsx' });
    const row = result.segments.find((s) => s.location === '工作表「备用」第2行');
    const withHeader = detectPersonalData(row?.text ?? '', { context: row?.context ?? '' })[0];
    const without = detectPersonalData(row?.text ?? '')[0];
    expect(withHeader?.confidence).toBeGreaterThan(without?.confidence ?? 1);
  });

  it('caps rows', async () => {
    const result = await extractAttachmentText(
      await buildXlsx(),
      { url: 'http://x/md.xlsx' },
      { maxRows: 2 },
    );
    expect(result.segments).toHaveLength(2);
    expect(result.warnings).toContain('表格超过 2 行，仅检查了前 2 行');
    const exact = await extractAttachmentText(await buildXlsx(), { url: 'http://x/md.xlsx' }, { maxRows: 7 });
    expect(exact.segments).toHaveLength(7);
    expect(exact.warnings.some((w) => w.startsWith('表格超过'))).toBe(false);
  });
});

describe('HTML and text', () => {
  it('decodes GBK HTML and keeps table cells apart', async () => {
    const html = `<html><head><meta charset="gbk"><script>var x="${MOBILE}"</script></head><body>
      <table><tr><td>123</td><td>${ID}</td><td>公示</td></tr></table></body></html>`;
    const result = await extractAttachmentText(iconv.encode(html, 'gbk'), { url: 'http://x/a.htm' });
    expect(result.format).toBe('html');
    expect(allText(result)).toContain('公示');
    expect(allText(result)).not.toContain(MOBILE); // script text is not page text
    expect(detectPersonalData(allText(result)).map((m) => m.type)).toEqual(['id-card']);
  });

  it('reads CSV line by line with the header line as context', async () => {
    const csv = Buffer.from(`\uFEFF姓名,手机\n张三,${MOBILE}\n`);
    const result = await extractAttachmentText(csv, { url: 'http://x/a.csv' });
    expect(result.segments).toEqual([
      { location: '第1行', text: '姓名,手机', context: '姓名,手机' },
      { location: '第2行', text: `张三,${MOBILE}`, context: '姓名,手机' },
    ]);
  });
});

describe('unsupported formats', () => {
  const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(512)]);
  it.each([
    ['http://x/a.doc', ole, '暂不支持的附件格式：DOC'],
    ['http://x/a.xls', ole, '暂不支持的附件格式：XLS'],
    ['http://x/a.wps', ole, '暂不支持的附件格式：WPS'],
    ['http://x/a.zip', Buffer.from('PK\u0003\u0004junk'), '暂不支持的附件格式：ZIP'],
    ['http://x/download', Buffer.from([0xff, 0xd8, 0xff, 0xe0]), '暂不支持的附件格式：图片（JPG）'],
  ])('%s → unknown with a warning', async (url, body, warning) => {
    expect(await extractAttachmentText(body, { url })).toEqual({
      format: 'unknown',
      segments: [],
      warnings: [warning],
    });
  });
});

describe('limits and empty input', () => {
  it('reports a timeout as a warning', async () => {
    const result = await extractAttachmentText(
      await buildXlsx(),
      { url: 'http://x/md.xlsx' },
      { timeoutMs: 0 },
    );
    expect(result).toEqual({
      format: 'xlsx',
      segments: [],
      warnings: ['附件解析失败（XLSX）：解析超时，需人工复核'],
    });
  });

  it('reports an empty file', async () => {
    expect(await extractAttachmentText(Buffer.alloc(0), { url: 'http://x/a.pdf' })).toEqual({
      format: 'pdf',
      segments: [],
      warnings: ['附件为空文件，需人工复核'],
    });
  });
});
