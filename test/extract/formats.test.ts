import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import {
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  EndnoteReferenceRun,
  Footer,
  FootnoteReferenceRun,
  Header,
  Packer,
  Paragraph,
  TextRun,
} from 'docx';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import {
  detectAttachmentFormat,
  detectOcrTools,
  extractAttachmentText,
  needsReview,
  SCANNED_WARNING,
  type AttachmentText,
} from '../../src/extract/attachmentText.js';
import { detectPersonalData } from '../../src/pii/detect.js';
import { pdfFrom, type PdfPart } from './pdfBombFiles.js';

// Fake people only. The DOC and XLS fixtures were made by test/fixtures/files/make-fixtures.ts.
const FIXTURES = new URL('../fixtures/files/', import.meta.url);
const fixture = (name: string): Buffer => readFileSync(new URL(name, FIXTURES));
const F = {
  docBodyId: '350502198503121012',
  docBodyMobile: '13812340001',
  docTableId: '350503199007282029',
  docTableMobile: '13912340002',
  docHeaderMobile: '15012340003',
  docFooterId: '350521197511053034',
  docFootnoteMobile: '15812340004',
  docCommentId: '13040219880214404X',
  xlsId: '350582199206305057',
  xlsMobile: '18712340005',
  xlsHiddenRowId: '350524197801017073',
  xlsHiddenColMobile: '19912340006',
  xlsHiddenSheetMobile: '15112340007',
  ocrId: '350525199509099097',
  ocrMobile: '15812340008',
} as const;

const ID = '350504198305058086';
const MOBILE = '13912345670';

/** Masked values the detector finds in a segment, for readable assertions. */
function found(r: AttachmentText, location: string): string[] {
  return r.segments
    .filter((s) => s.location === location)
    .flatMap((s) => detectPersonalData(s.text, s.context ? { context: s.context } : {}).map((m) => m.masked));
}

const masked = (raw: string): string => detectPersonalData(`身份证号码：${raw}`)[0]?.masked ?? '?';
const maskedMobile = (raw: string): string => detectPersonalData(`联系电话：${raw}`)[0]?.masked ?? '?';

// ---------------------------------------------------------------------------------------------
// Hand-written PDFs: text in Helvetica, a filled rectangle, or one image filling the page.

function onePagePdf(content: string, image?: PdfPart[]): Buffer {
  const xobject = image ? ' /XObject << /Im1 6 0 R >>' : '';
  return pdfFrom([
    ['<< /Type /Catalog /Pages 2 0 R >>'],
    ['<< /Type /Pages /Kids [4 0 R] /Count 1 >>'],
    ['<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'],
    [
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 360 100] ` +
        `/Resources << /Font << /F1 3 0 R >>${xobject} >> /Contents 5 0 R >>`,
    ],
    [`<< /Length ${content.length} >>\nstream\n${content}\nendstream`],
    ...(image ? [image] : []),
  ]);
}

/** An image XObject straight from a PNG: its IDAT data is a FlateDecode stream with PNG predictors. */
function pngAsPdfImage(png: Buffer): PdfPart[] {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const colorType = png[25];
  if (png[24] !== 8 || (colorType !== 0 && colorType !== 2) || png[28] !== 0)
    throw new Error('fixture PNG must be 8-bit gray or RGB, not interlaced');
  const idat: Buffer[] = [];
  for (let p = 8; p < png.length;) {
    const len = png.readUInt32BE(p);
    if (png.toString('latin1', p + 4, p + 8) === 'IDAT') idat.push(png.subarray(p + 8, p + 8 + len));
    p += 12 + len;
  }
  const data = Buffer.concat(idat);
  const colors = colorType === 2 ? 3 : 1;
  return [
    `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} ` +
      `/ColorSpace /${colors === 3 ? 'DeviceRGB' : 'DeviceGray'} /BitsPerComponent 8 /Filter /FlateDecode ` +
      `/DecodeParms << /Predictor 15 /Colors ${colors} /BitsPerComponent 8 /Columns ${width} >> ` +
      `/Length ${data.length} >>\nstream\n`,
    data,
    '\nendstream',
  ];
}

// ---------------------------------------------------------------------------------------------

describe('TXT', () => {
  it('decodes GB18030 text without a declaration', async () => {
    const body = iconv.encode(`低保对象：张三\n身份证号码：${ID}\n联系电话：${MOBILE}\n`, 'gb18030');
    const r = await extractAttachmentText(body, { url: 'http://x.gov.cn/gs.txt' });
    expect(r.format).toBe('text');
    expect(r.segments[0]?.text).toContain('低保对象');
    expect(found(r, '正文')).toEqual([masked(ID), maskedMobile(MOBILE)]);
  });

  it('decodes UTF-16 with a BOM (Windows Notepad "Unicode")', async () => {
    const text = `户主：李四 身份证号码：${ID}`;
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const r = await extractAttachmentText(body, { url: 'http://x/a.txt' });
    expect(r.segments[0]?.text).toBe(text);
  });
});

describe('HTML', () => {
  const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>公示</title>
    <meta name="description" content="联系人王五 ${MOBILE}">
    <script>var tel = "13712345678";</script>
    <script type="text/xml"><datastore><record><![CDATA[<li>户主 ${F.xlsId}</li>]]></record></datastore></script>
    </head><body>
    <p>公示名单如下</p>
    <!-- 原始名单：赵六 ${F.docBodyId} -->
    <img src="a.png" alt="身份证 ${F.docTableId}">
    <a href="#" title="电话 ${F.docHeaderMobile}">联系我们</a>
    <input type="hidden" value="${F.docFooterId}">
    <input placeholder="如 ${F.docFootnoteMobile}">
    <div data-idcard="${F.docCommentId}"></div>
    <a href="tel:${F.xlsMobile}">拨打</a>
    <table><tr><td>1</td><td>${ID}</td></tr></table>
    </body></html>`;

  it('reads visible text, attribute values, comments and data scripts, each with its location', async () => {
    const r = await extractAttachmentText(Buffer.from(page), { url: 'http://x.gov.cn/gs.html' });
    expect(r.format).toBe('html');
    expect(r.warnings).toEqual([]);
    expect(found(r, '正文')).toEqual([masked(ID)]);
    expect(found(r, 'HTML 注释')).toEqual([masked(F.docBodyId)]);
    expect(found(r, '网页属性 alt')).toEqual([masked(F.docTableId)]);
    expect(found(r, '网页属性 title')).toEqual([maskedMobile(F.docHeaderMobile)]);
    expect(found(r, '网页属性 value')).toEqual([masked(F.docFooterId)]);
    expect(found(r, '网页属性 placeholder')).toEqual([maskedMobile(F.docFootnoteMobile)]);
    expect(found(r, '网页属性 data-idcard')).toEqual([masked(F.docCommentId)]);
    expect(found(r, '网页属性 content（meta）')).toEqual([maskedMobile(MOBILE)]);
    expect(found(r, '网页属性 href（电话或邮件链接）')).toEqual([maskedMobile(F.xlsMobile)]);
    expect(found(r, '网页脚本数据')).toEqual([masked(F.xlsId)]);
    // Executable script is code, not published text.
    expect(r.segments.map((s) => s.text).join('\n')).not.toContain('13712345678');
  });

  it('decodes a GBK page by its meta declaration', async () => {
    const gbk = `<html><head><meta charset="gbk"></head><body><p>户主 ${ID}</p></body></html>`;
    const r = await extractAttachmentText(iconv.encode(gbk, 'gbk'), { url: 'http://x/a.htm' });
    expect(r.segments.find((s) => s.location === '正文')?.text).toContain('户主');
  });
});

describe('DOCX', () => {
  async function buildDocx(): Promise<Buffer> {
    const doc = new Document({
      comments: {
        children: [{ id: 0, author: '审核员', children: [new Paragraph(`核对 ${F.docCommentId}`)] }],
      },
      footnotes: { 1: { children: [new Paragraph(`联系人 ${F.docFootnoteMobile}`)] } },
      endnotes: { 1: { children: [new Paragraph(`尾注 户主 ${F.xlsHiddenRowId}`)] } },
      sections: [
        {
          headers: { default: new Header({ children: [new Paragraph(`经办人电话 ${F.docHeaderMobile}`)] }) },
          footers: { default: new Footer({ children: [new Paragraph(`身份证 ${F.docFooterId}`)] }) },
          children: [
            new Paragraph({
              children: [
                new CommentRangeStart(0),
                new TextRun(`申请人：张三，身份证号码：${F.docBodyId}`),
                new CommentRangeEnd(0),
                new TextRun({ children: [new CommentReference(0)] }),
                new FootnoteReferenceRun(1),
                new EndnoteReferenceRun(1),
              ],
            }),
            new Paragraph({
              children: [
                new TextRun('原联系电话：'),
                new DeletedTextRun({
                  text: F.xlsMobile,
                  id: 1,
                  author: '审核员',
                  date: '2024-01-01T00:00:00Z',
                }),
              ],
            }),
          ],
        },
      ],
    });
    return Packer.toBuffer(doc);
  }

  it('reads body, headers, footers, comments, foot- and endnotes and tracked deletions', async () => {
    const r = await extractAttachmentText(await buildDocx(), { url: 'http://x/gs.docx' });
    expect(r.format).toBe('docx');
    expect(r.warnings).toEqual([]);
    expect(found(r, '正文')).toEqual([masked(F.docBodyId)]);
    expect(found(r, '页眉')).toEqual([maskedMobile(F.docHeaderMobile)]);
    expect(found(r, '页脚')).toEqual([masked(F.docFooterId)]);
    expect(found(r, '批注')).toEqual([masked(F.docCommentId)]);
    expect(found(r, '脚注')).toEqual([maskedMobile(F.docFootnoteMobile)]);
    expect(found(r, '尾注')).toEqual([masked(F.xlsHiddenRowId)]);
    expect(found(r, '修订中已删除的内容')).toEqual([maskedMobile(F.xlsMobile)]);
  });
});

describe('DOC and WPS (word-extractor, committed fixture)', () => {
  it('reads body with table, header, footer, footnote and annotation of a Word 97 file', async () => {
    const r = await extractAttachmentText(fixture('roster.doc'), { url: 'http://x/roster.doc' });
    expect(r.format).toBe('doc');
    expect(r.warnings).toEqual([]);
    expect(found(r, '正文')).toEqual([
      masked(F.docBodyId),
      maskedMobile(F.docBodyMobile),
      masked(F.docTableId),
      maskedMobile(F.docTableMobile),
    ]);
    expect(found(r, '页眉')).toEqual([maskedMobile(F.docHeaderMobile)]);
    expect(found(r, '页脚')).toEqual([masked(F.docFooterId)]);
    expect(found(r, '脚注')).toEqual([maskedMobile(F.docFootnoteMobile)]);
    expect(found(r, '批注')).toEqual([masked(F.docCommentId)]);
  });

  it('reads a .wps that is an OLE Word file the same way', async () => {
    const body = fixture('roster.doc');
    expect(detectAttachmentFormat(body, { url: 'http://x/a.wps' })).toEqual({ format: 'doc', label: 'WPS' });
    const r = await extractAttachmentText(body, { url: 'http://x/a.wps' });
    expect(found(r, '正文')).toContain(masked(F.docBodyId));
  });

  it('turns a corrupt Word file into a warning', async () => {
    const body = Buffer.from(fixture('roster.doc'));
    body.fill(0x41, 4096); // keep the header and directory, wreck the streams
    const r = await extractAttachmentText(body, { url: 'http://x/a.doc' });
    expect(r.segments).toEqual([]);
    expect(r.warnings).toHaveLength(1);
    expect(needsReview(r.warnings[0] ?? '')).toBe(true);
  });

  it('stops a file whose sector chain loops, by the deadline, without hanging the process', async () => {
    const body = Buffer.from(fixture('roster.doc'));
    const sector = 1 << body.readUInt16LE(0x1e);
    const fatAt = (body.readInt32LE(0x4c) + 1) * sector;
    const dirAt = (body.readInt32LE(0x30) + 1) * sector;
    const name = Buffer.from('WordDocument\0', 'utf16le');
    const entry = body.indexOf(name, dirAt);
    const start = body.readInt32LE(entry + 116);
    const next = body.readInt32LE(fatAt + start * 4);
    expect(next).toBeGreaterThanOrEqual(0);
    body.writeInt32LE(start, fatAt + next * 4); // start → next → start → …
    const began = Date.now();
    const r = await extractAttachmentText(body, { url: 'http://x/a.doc' }, { timeoutMs: 3000 });
    expect(Date.now() - began).toBeLessThan(15_000);
    expect(r.segments).toEqual([]);
    expect(r.warnings[0]).toMatch(/^附件解析失败（DOC）：(解析超时|解析进程)/);
  });
});

describe('XLS and ET (SheetJS, committed fixture)', () => {
  it('reads every sheet, hidden rows, columns and sheets, and numeric cells', async () => {
    const r = await extractAttachmentText(fixture('roster.xls'), { url: 'http://x/md.xls' });
    expect(r.format).toBe('xls');
    const header = '序号\t姓名\t身份证号\t联系电话\t备用电话';
    expect(r.segments[1]).toEqual({
      location: '工作表「名单」第2行',
      text: `1\t黄志伟\t${F.xlsId}\t${F.xlsMobile}`,
      context: header,
    });
    expect(found(r, '工作表「名单」第4行')).toEqual([masked(F.xlsHiddenRowId)]); // hidden row
    expect(found(r, '工作表「名单」第5行')).toEqual([maskedMobile(F.xlsHiddenColMobile)]); // hidden column
    expect(found(r, '工作表「备用」第2行')).toEqual([maskedMobile(F.xlsHiddenSheetMobile)]); // hidden sheet
    expect(r.segments.find((s) => s.location === '工作表「名单」第3行')?.text).toMatch(
      /^2\t吴美玉\t35058319660918\d{4}\t无$/,
    );
    expect(r.warnings).toEqual([
      '工作表「名单」含隐藏行或列，已一并检查',
      '工作表「名单」有 1 个超过15位的数值（首个在第3行），按数值存储的身份证号等会丢失末位，需人工复核',
      '工作表「备用」为隐藏工作表，已一并检查',
    ]);
    expect(r.warnings.map(needsReview)).toEqual([false, true, false]);
  });

  it('reads an .et that is a BIFF workbook, and caps rows', async () => {
    const body = fixture('roster.xls');
    expect(detectAttachmentFormat(body, { url: 'http://x/a.et' })).toEqual({ format: 'xls', label: 'ET' });
    const r = await extractAttachmentText(body, { url: 'http://x/a.et' }, { maxRows: 3 });
    expect(r.segments.map((s) => s.location)).toEqual([
      '工作表「名单」第1行',
      '工作表「名单」第2行',
      '工作表「名单」第3行',
    ]);
    expect(r.warnings).toContain('表格超过 3 行，仅检查了前 3 行');
  });
});

describe('XLSX cell notes', () => {
  it('reads comments attached to cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['姓名']);
    ws.getCell('A2').value = '张三';
    ws.getCell('A2').note = `身份证号码 ${ID}`;
    const r = await extractAttachmentText(Buffer.from(await wb.xlsx.writeBuffer()), {
      url: 'http://x/a.xlsx',
    });
    expect(found(r, '工作表「名单」单元格批注')).toEqual([masked(ID)]);
  });
});

describe('ZIP', () => {
  async function buildXlsx(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['姓名', '身份证号']);
    ws.addRow(['张三', '无']);
    ws.addRow(['李四', ID]);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('reads each entry with its path in the location; GBK names; no archive in an archive', async () => {
    const inner = new JSZip();
    inner.file('deep.txt', `身份证号码：${F.docBodyId}`);
    const zip = new JSZip();
    zip.file('a/b.xlsx', await buildXlsx());
    zip.file('说明.txt', iconv.encode(`联系电话：${MOBILE}`, 'gbk'));
    zip.file('inner.zip', await inner.generateAsync({ type: 'nodebuffer' }));
    zip.file('x.rar', Buffer.from('Rar!\u001a\u0007\u0000junk'));
    zip.file('__MACOSX/._b.xlsx', 'resource fork');
    const body = await zip.generateAsync({
      type: 'nodebuffer',
      compression: 'DEFLATE',
      // Typed as string, but JSZip writes whatever bytes it is given: GBK names, no UTF-8 flag.
      encodeFileName: (n) => iconv.encode(n, 'gbk') as unknown as string,
    });
    const r = await extractAttachmentText(body, { url: 'http://x/files.zip' });
    expect(r.format).toBe('zip');
    expect(found(r, '压缩包内 a/b.xlsx：工作表「名单」第3行')).toEqual([masked(ID)]);
    expect(found(r, '压缩包内 说明.txt：正文')).toEqual([maskedMobile(MOBILE)]);
    expect(r.warnings).toEqual([
      '压缩包内 inner.zip：压缩包内的压缩包未检查，需人工复核',
      '压缩包内 x.rar：暂不支持的附件格式：RAR',
    ]);
    expect(JSON.stringify(r)).not.toContain(F.docBodyId);
  });

  it('caps entries and refuses a bomb', async () => {
    const zip = new JSZip();
    for (let i = 0; i < 5; i++) zip.file(`f${i}.txt`, `第${i}个`);
    const body = await zip.generateAsync({ type: 'nodebuffer' });
    const r = await extractAttachmentText(body, { url: 'http://x/a.zip' }, { maxZipEntries: 2 });
    expect(r.segments).toHaveLength(2);
    expect(r.warnings).toEqual(['压缩包内有 5 个文件，仅检查了前 2 个，其余需人工复核']);

    const bomb = new JSZip();
    bomb.file('zeros.txt', Buffer.alloc(20 * 1024 * 1024));
    const bombBody = await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const b = await extractAttachmentText(bombBody, { url: 'http://x/b.zip' });
    expect(b.segments).toEqual([]);
    expect(b.warnings[0]).toMatch(/^附件未解析：压缩比异常/);
  });

  it('does not trust a size the directory understates', async () => {
    const data = deflateRawSync(Buffer.alloc(4096, 0x31));
    const zip = new JSZip();
    zip.file('a.txt', 'x');
    const body = await zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
    // Rebuild by hand: one entry claiming 10 bytes, holding 4 KB deflated.
    const name = Buffer.from('a.txt');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(10, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(10, 24);
    central.writeUInt16LE(name.length, 28);
    const cdOffset = local.length + name.length + data.length;
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(1, 8);
    eocd.writeUInt16LE(1, 10);
    eocd.writeUInt32LE(central.length + name.length, 12);
    eocd.writeUInt32LE(cdOffset, 16);
    const lying = Buffer.concat([local, name, data, central, name, eocd]);
    expect(body.length).toBeGreaterThan(0);
    const r = await extractAttachmentText(lying, { url: 'http://x/a.zip' });
    expect(r.segments).toEqual([]);
    expect(r.warnings).toEqual(['压缩包内 a.txt：解压失败，未检查，需人工复核']);
  });
});

describe('PDF text under a drawn black box', () => {
  it('still finds the number: the text layer is published, the box only hides it on screen', async () => {
    const content = [
      `BT /F1 12 Tf 20 60 Td (ID ${F.docBodyId}) Tj ET`,
      '0 0 0 rg 15 50 300 30 re f', // a filled black rectangle drawn over the line
    ].join('\n');
    const r = await extractAttachmentText(onePagePdf(content), { url: 'http://x/redacted.pdf' });
    expect(r.warnings).toEqual([]);
    expect(found(r, '第1页')).toEqual([masked(F.docBodyId)]);
  });
});

const tools = await detectOcrTools();
const canOcr = tools.tesseract && tools.languages !== '';
const ocrSkipReason = canOcr
  ? ''
  : 'tesseract with chi_sim is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)';
if (!canOcr) console.warn(`OCR tests skipped: ${ocrSkipReason}`);

describe('scans and images', () => {
  it('without OCR, an image or image-only PDF is 扫描件，需人工复核 — never a silent pass', async () => {
    const png = fixture('scan-id.png');
    const image = await extractAttachmentText(png, { url: 'http://x/a.png' }, { ocr: false });
    expect(image).toEqual({ format: 'image', segments: [], warnings: [SCANNED_WARNING] });
    const pdf = onePagePdf('q 360 0 0 100 0 0 cm /Im1 Do Q', pngAsPdfImage(png));
    const scanned = await extractAttachmentText(pdf, { url: 'http://x/a.pdf' }, { ocr: false });
    expect(scanned).toEqual({ format: 'pdf', segments: [], warnings: [SCANNED_WARNING] });
  });

  it('flags a page with a stamped page number over a scan when it is not OCR’d', async () => {
    const pdf = onePagePdf(
      'q 360 0 0 100 0 0 cm /Im1 Do Q\nBT /F1 8 Tf 170 5 Td (1) Tj ET',
      pngAsPdfImage(fixture('scan-id.png')),
    );
    const r = await extractAttachmentText(pdf, { url: 'http://x/a.pdf' }, { ocr: false });
    expect(r.warnings).toEqual(['第1页文字很少且含图片（可能为扫描页），需人工复核']);
  });

  it.each(['GIF', 'BMP', 'TIFF'])('recognises a %s header', (type) => {
    const headers: Record<string, Buffer> = {
      GIF: Buffer.from('474946383961' + '2000' + '1000' + '00', 'hex'),
      BMP: (() => {
        const b = Buffer.alloc(64);
        b.write('BM', 0, 'latin1');
        b.writeUInt32LE(64, 2);
        b.writeInt32LE(32, 18);
        b.writeInt32LE(-16, 22);
        return b;
      })(),
      TIFF: Buffer.from(
        '49492a0008000000' + '0200' + '000103000100000020000000' + '010103000100000010000000',
        'hex',
      ),
    };
    expect(detectAttachmentFormat(headers[type]!, { url: 'http://x/f' })).toEqual({
      format: 'image',
      label: `图片（${type}）`,
    });
  });

  it.skipIf(!canOcr)('OCRs an image (tesseract chi_sim+eng)', async () => {
    const r = await extractAttachmentText(fixture('scan-id.png'), { url: 'http://x/a.png' });
    expect(r.format).toBe('image');
    expect(found(r, '图片（OCR 识别）')).toEqual([masked(F.ocrId), maskedMobile(F.ocrMobile)]);
    expect(r.warnings).toEqual(['图片已用文字识别（OCR）检查（识别结果可能有误）']);
    expect(needsReview(r.warnings[0] ?? '')).toBe(false);
  });

  it.skipIf(!canOcr || !tools.pdftoppm)('OCRs an image-only PDF page (pdftoppm + tesseract)', async () => {
    const pdf = onePagePdf('q 360 0 0 100 0 0 cm /Im1 Do Q', pngAsPdfImage(fixture('scan-id.png')));
    const r = await extractAttachmentText(pdf, { url: 'http://x/scan.pdf' });
    expect(found(r, '第1页（OCR 识别）')).toEqual([masked(F.ocrId), maskedMobile(F.ocrMobile)]);
    expect(r.warnings).toEqual(['第1页为扫描页，已用文字识别（OCR）检查（识别结果可能有误）']);
  });

  it.skipIf(!canOcr || !tools.pdftoppm)('respects the OCR page budget', async () => {
    const pdf = onePagePdf('q 360 0 0 100 0 0 cm /Im1 Do Q', pngAsPdfImage(fixture('scan-id.png')));
    const r = await extractAttachmentText(pdf, { url: 'http://x/scan.pdf' }, { maxOcrPages: 0 });
    expect(r.segments).toEqual([]);
    expect(r.warnings).toEqual([SCANNED_WARNING, '文字识别已达上限（0 页）或超时，第1页未识别，需人工复核']);
  });
});

describe('unsupported and hostile input', () => {
  it('says 暂不支持 for formats no library here reads', async () => {
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(1024)]);
    const r = await extractAttachmentText(ole, { url: 'http://x/a.dps' });
    expect(r).toEqual({ format: 'unknown', segments: [], warnings: ['暂不支持的附件格式：DPS'] });
    const odp = new JSZip();
    odp.file('mimetype', 'application/vnd.oasis.opendocument.presentation');
    const o = await extractAttachmentText(await odp.generateAsync({ type: 'nodebuffer' }), {
      url: 'http://x/a.odp',
    });
    expect(o.warnings).toEqual(['暂不支持的附件格式：ODP']);
  });

  it('masks personal data in warnings (an archive entry named after a person)', async () => {
    const zip = new JSZip();
    zip.file(`${ID}.rar`, 'Rar!junk');
    const r = await extractAttachmentText(await zip.generateAsync({ type: 'nodebuffer' }), {
      url: 'http://x/a.zip',
    });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).not.toContain(ID);
    expect(r.warnings[0]).toContain(masked(ID));
  });
});
