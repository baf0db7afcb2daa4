import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  detectOcrTools,
  extractAttachmentText,
  needsReview,
  type AttachmentText,
} from '../../src/extract/attachmentText.js';
import { pageLayoutText, pageSegments, type TableCarry } from '../../src/extract/formats/pdfTables.js';
import { detectPersonalData } from '../../src/pii/detect.js';
import { closeBrowser, CJK_FONT_FAMILY, htmlToPdf } from '../../src/render/htmlToPdf.js';
import { pdfFrom } from './pdfBombFiles.js';

// PDF rosters as offices make them: a Word-like table printed to PDF with columns too narrow for
// an 18-digit ID or an 11-digit mobile, so both wrap inside their cells; a roster laid out in two
// halves side by side whose text runs are stored out of reading order; a page drawn with a CID
// font that has no Unicode map (its text layer is garbage) over a scan of the same text.
// Fake people only.

/** A valid (GB 11643 check digit) ID for a birth date and sequence. */
function fakeId(region: string, birth: string, seq: string): string {
  const body = region + birth + seq;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, k) => s + Number(d) * w[k]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

const PEOPLE = [
  ['张伟', fakeId('350502', '19900101', '123'), '13912345670', '东湖村'],
  ['李娜', fakeId('350521', '19851231', '204'), '18712340005', '西山村'],
  ['王芳', fakeId('350583', '19720615', '318'), '15012340003', '南岭村三组'],
  ['刘洋', fakeId('130423', '19701111', '011'), '13312348888', '北坑村'],
  ['陈静', fakeId('350524', '19780101', '707'), '19912340006', '上洋村'],
  ['杨磊', fakeId('350525', '19950909', '909'), '15812340008', '下洋村'],
] as const;

const maskedId = (raw: string): string => detectPersonalData(`身份证号码：${raw}`)[0]?.masked ?? '?';
const maskedMobile = (raw: string): string => detectPersonalData(`联系电话：${raw}`)[0]?.masked ?? '?';

/** IDs and mobiles found (village names are the address detector's business, not this test's). */
function detected(r: AttachmentText): string[] {
  return r.segments.flatMap((s) =>
    detectPersonalData(s.text, s.context ? { context: s.context } : {})
      .filter((m) => m.type === 'id-card' || m.type === 'mobile')
      .map((m) => m.masked),
  );
}

function rosterHtml(valign: 'top' | 'middle'): string {
  const rows = PEOPLE.map(
    (p, i) => `<tr><td>${i + 1}</td>${p.map((c) => `<td>${c}</td>`).join('')}</tr>`,
  ).join('');
  // Column widths as a Word table squeezed onto a page: the ID and mobile columns are too narrow.
  return `<html><head><meta charset="utf-8"><style>
    body { font-family: ${CJK_FONT_FAMILY}; font-size: 12pt; }
    table { border-collapse: collapse; table-layout: fixed; }
    td, th { border: 0.75pt solid #000; padding: 2pt 4pt; word-break: break-all; vertical-align: ${valign}; }
  </style></head><body>
  <h3>2024年度耕地地力保护补贴发放名单</h3>
  <table><colgroup><col style="width:32pt"><col style="width:50pt"><col style="width:76pt">
  <col style="width:58pt"><col style="width:60pt"></colgroup>
  <tr><th>序号</th><th>姓名</th><th>身份证号码</th><th>联系电话</th><th>所在村组</th></tr>
  ${rows}</table>
  <p>以上名单公示七天，如有异议请向镇农业农村办反映。</p></body></html>`;
}

/**
 * Two halves of a roster side by side (offices save paper so), every text run absolutely placed
 * and written to the page in a scrambled order: right half first, bottom rows before top ones.
 */
function sideBySideHtml(): string {
  const runs: { x: number; y: number; text: string }[] = [];
  const columns = [0, 40, 100];
  const header = ['序号', '姓名', '身份证号'];
  for (const half of [0, 1]) {
    const left = 40 + half * 290;
    header.forEach((h, c) => runs.push({ x: left + columns[c]!, y: 60, text: h }));
    for (let r = 0; r < 3; r++) {
      const i = half * 3 + r;
      const p = PEOPLE[i]!;
      const y = 90 + r * 44;
      runs.push({ x: left, y: y + 9, text: String(i + 1) });
      runs.push({ x: left + columns[1]!, y: y + 9, text: p[0] });
      // The ID wraps after 10 digits, as in a narrow cell.
      runs.push({ x: left + columns[2]!, y, text: p[1].slice(0, 10) });
      runs.push({ x: left + columns[2]!, y: y + 18, text: p[1].slice(10) });
    }
  }
  const order = runs.map((_, i) => i).sort((a, b) => ((a * 7919) % 31) - ((b * 7919) % 31));
  const spans = order
    .map((i) => runs[i]!)
    .map((r) => `<span style="position:absolute;left:${r.x}pt;top:${r.y}pt">${r.text}</span>`)
    .join('');
  return `<html><head><meta charset="utf-8"><style>body { font-family: ${CJK_FONT_FAMILY}; font-size: 12pt; }</style></head><body>${spans}</body></html>`;
}

/** Addresses long enough to wrap over three to five lines of a narrow, vertically centred column. */
const ADDRESSES = [
  '示范区南溪镇前埔村8组116号',
  '示范区东湖街道东湖社区新华里小区17幢1单元1201室',
  '示范区西山镇石亭村4组81号',
  '示范区北岭乡岭兜村5组32号',
] as const;

/**
 * A 清册 as WPS prints it: every cell centred vertically, the address column so narrow that its
 * middle line shares the baseline of the one-line cells (序号, 所在村, 金额) while its first lines
 * stand above them.
 */
function centredAddressHtml(): string {
  const rows = ADDRESSES.map(
    (a, i) =>
      `<tr><td>${i + 1}</td><td>${PEOPLE[i]![0]}</td><td>${PEOPLE[i]![1]}</td><td>${a}</td>` +
      `<td>${PEOPLE[i]![3]}</td><td>${(i + 1) * 1000 + 234}.50</td></tr>`,
  ).join('');
  return `<html><head><meta charset="utf-8"><style>
    body { font-family: ${CJK_FONT_FAMILY}; font-size: 10.5pt; }
    table { border-collapse: collapse; table-layout: fixed; }
    td, th { border: 0.75pt solid #000; padding: 1pt 3pt; word-break: break-all; vertical-align: middle; text-align: center; }
  </style></head><body>
  <table><colgroup><col style="width:24pt"><col style="width:40pt"><col style="width:130pt">
  <col style="width:54pt"><col style="width:60pt"><col style="width:60pt"></colgroup>
  <tr><th>序号</th><th>户主姓名</th><th>身份证号</th><th>家庭住址</th><th>所在村</th><th>补贴金额</th></tr>
  ${rows}</table></body></html>`;
}

/** A text item as pdf.js reports it: 10.5pt glyphs, digits and Latin half as wide. */
const at = (s: string, x: number, y: number) => ({
  s,
  x,
  y,
  w: [...s].reduce((w, ch) => w + (/[\x20-\x7e]/.test(ch) ? 5.25 : 10.5), 0),
  h: 10.5,
});

let top: Buffer;
let middle: Buffer;
let sideBySide: Buffer;
let centredAddress: Buffer;

beforeAll(async () => {
  top = await htmlToPdf(rosterHtml('top'));
  middle = await htmlToPdf(rosterHtml('middle'));
  sideBySide = await htmlToPdf(sideBySideHtml());
  centredAddress = await htmlToPdf(centredAddressHtml());
}, 120_000);

afterAll(async () => {
  await closeBrowser();
});

describe('PDF tables rebuilt by position', () => {
  it.each([
    ['top-aligned', () => top],
    ['centred', () => middle],
  ])('joins wrapped IDs and mobiles of a %s Word-like table, one segment per row', async (_, pdf) => {
    const r = await extractAttachmentText(pdf(), { url: 'http://x/mingdan.pdf' });
    expect(r.warnings).toEqual([]);
    const rows = r.segments.filter((s) => /^第1页表格第\d+行$/.test(s.location));
    expect(rows[0]?.text).toBe('序号\t姓名\t身份证号码\t联系电话\t所在村组');
    const body = rows.slice(1);
    expect(body).toHaveLength(PEOPLE.length);
    PEOPLE.forEach((p, i) => {
      expect(body[i]).toEqual({
        location: `第1页表格第${i + 2}行`,
        text: [String(i + 1), ...p].join('\t'),
        context: '序号\t姓名\t身份证号码\t联系电话\t所在村组',
      });
    });
    // Every ID and mobile found, whole: recall 1.0 on the roster.
    expect(detected(r).sort()).toEqual(PEOPLE.flatMap((p) => [maskedId(p[1]), maskedMobile(p[2])]).sort());
    // Text outside the table stays page text.
    expect(r.segments[0]).toEqual({
      location: '第1页',
      text: '2024年度耕地地力保护补贴发放名单\n以上名单公示七天，如有异议请向镇农业农村办反映。',
    });
  });

  it('reads a roster printed in two halves side by side, whatever order its runs are stored in', async () => {
    const r = await extractAttachmentText(sideBySide, { url: 'http://x/two-halves.pdf' });
    expect(r.warnings).toEqual([]);
    const rows = r.segments.filter((s) => s.location.includes('表格'));
    expect(rows.map((s) => s.text)).toEqual([
      '序号\t姓名\t身份证号\t序号\t姓名\t身份证号',
      ...[0, 1, 2].map((k) =>
        [k + 1, PEOPLE[k]![0], PEOPLE[k]![1], k + 4, PEOPLE[k + 3]![0], PEOPLE[k + 3]![1]].join('\t'),
      ),
    ]);
    expect(detected(r).sort()).toEqual(PEOPLE.map((p) => maskedId(p[1])).sort());
  });

  it('keeps a centred cell of three or more lines whole, in its own row and column', async () => {
    const r = await extractAttachmentText(centredAddress, { url: 'http://x/qingce.pdf' });
    expect(r.warnings).toEqual([]);
    const header = '序号\t户主姓名\t身份证号\t家庭住址\t所在村\t补贴金额';
    expect(r.segments.map((s) => [s.location, s.text, s.context])).toEqual([
      ['第1页表格第1行', header, undefined],
      ...ADDRESSES.map((a, i) => [
        `第1页表格第${i + 2}行`,
        [i + 1, PEOPLE[i]![0], PEOPLE[i]![1], a, PEOPLE[i]![3], `${(i + 1) * 1000 + 234}.50`].join('\t'),
        header,
      ]),
    ]);
  });

  it('joins the first lines of a centred cell, cut where the one-line cells start, to its row', () => {
    // Positions as Chrome prints a WPS 清册 (y up, 15pt line pitch, 18pt between rows, 10.5pt
    // glyphs, digits half as wide): the address and the name wrap; the one-line cells sit on the
    // address's middle line.
    const items = [
      ...['序号', '姓名', '家庭住址', '金额'].map((h, c) => at(h, [5, 30, 137, 320][c]!, 830)),
      at('示范区南', 137, 812),
      at('1', 5, 797),
      at('颜丽', 30, 804.5),
      at('娟', 30, 789.5),
      at('溪镇溪尾', 137, 797),
      at('4,395.77', 320, 797),
      at('村4组31号', 137, 782),
      at('示范区北', 137, 764),
      at('2', 5, 749),
      at('蔡琴萍', 30, 749),
      at('岭乡上坂', 137, 749),
      at('16,853.', 320, 756.5),
      at('46', 320, 741.5),
      at('村8组124号', 137, 734),
    ];
    expect(pageLayoutText(items).tables).toMatchObject([
      {
        columns: 4,
        header: ['序号', '姓名', '家庭住址', '金额'],
        rows: [
          ['1', '颜丽娟', '示范区南溪镇溪尾村4组31号', '4,395.77'],
          ['2', '蔡琴萍', '示范区北岭乡上坂村8组124号', '16,853.46'],
        ],
        endsPage: true,
      },
    ]);
  });

  // Columns as in a Word roster: 序号 5–17, 姓名 30–62, 身份证号 90–185, 家庭住址 205–305.
  const rosterItems = (top: number, rows: [string, string, string, string][]) =>
    rows.flatMap((r, i) => r.map((c, k) => at(c, [5, 30, 90, 205][k]!, top - 18 * i)));

  it('keeps captions and closing lines written across the columns out of the table and its columns', () => {
    const items = [
      at('填报单位：示范区西山镇人民政府', 5, 800),
      at('填报日期：2024年3月12日', 190, 800),
      ...rosterItems(770, [
        ['序号', '姓名', '身份证号', '家庭住址'],
        ['1', '张伟', PEOPLE[0][1], '示范区西山镇后洋村3组12号'],
        ['2', '李娜', PEOPLE[1][1], '示范区西山镇石亭村5组57号'],
        ['3', '王芳', PEOPLE[2][1], '示范区西山镇西山村9组89号'],
      ]),
      at('联系地址：示范区东湖街道人民路88号区民政局二楼', 0, 680),
      at('联系电话：0595-22381234', 253, 680),
    ];
    const layout = pageLayoutText(items);
    expect(layout.text).toBe(
      '填报单位：示范区西山镇人民政府 填报日期：2024年3月12日\n' +
        '联系地址：示范区东湖街道人民路88号区民政局二楼 联系电话：0595-22381234',
    );
    expect(layout.tables).toMatchObject([
      {
        columns: 4,
        header: ['序号', '姓名', '身份证号', '家庭住址'],
        rows: [
          ['1', '张伟', PEOPLE[0][1], '示范区西山镇后洋村3组12号'],
          ['2', '李娜', PEOPLE[1][1], '示范区西山镇石亭村5组57号'],
          ['3', '王芳', PEOPLE[2][1], '示范区西山镇西山村9组89号'],
        ],
      },
    ]);
  });

  it('gives the rest of a row cut by the page break to the last row of the page before', () => {
    const carry: TableCarry = {};
    // The address column holds nine characters a line; the page break cuts row 2 after its first line.
    const page1 = rosterItems(770, [
      ['序号', '姓名', '身份证号', '家庭住址'],
      ['1', '张伟', PEOPLE[0][1], '示范区西山镇后洋村'],
      ['2', '李娜', PEOPLE[1][1], '示范区西山镇石亭村'],
    ]);
    const page2 = [
      at('5组57号', 205, 800),
      ...rosterItems(782, [
        ['3', '王芳', PEOPLE[2][1], '示范区西山镇西山村9组89号'],
        ['4', '刘洋', PEOPLE[3][1], '示范区北岭乡岭兜村4组116号'],
        ['5', '陈静', PEOPLE[4][1], '示范区南溪镇溪尾村7组49号'],
      ]),
      at('- 2 -', 150, 40),
    ];
    const one = pageSegments(1, [...page1, at('- 1 -', 150, 40)], carry)!;
    const two = pageSegments(2, page2, carry)!;
    const header = '序号\t姓名\t身份证号\t家庭住址';
    expect([...one, ...two].map((s) => [s.location, s.text])).toEqual([
      ['第1页', '- 1 -'],
      ['第1页表格第1行', header],
      ['第1页表格第2行', `1\t张伟\t${PEOPLE[0][1]}\t示范区西山镇后洋村`],
      ['第1页表格第3行', `2\t李娜\t${PEOPLE[1][1]}\t示范区西山镇石亭村5组57号`],
      ['第2页', '- 2 -'],
      ['第2页表格第1行', `3\t王芳\t${PEOPLE[2][1]}\t示范区西山镇西山村9组89号`],
      ['第2页表格第2行', `4\t刘洋\t${PEOPLE[3][1]}\t示范区北岭乡岭兜村4组116号`],
      ['第2页表格第3行', `5\t陈静\t${PEOPLE[4][1]}\t示范区南溪镇溪尾村7组49号`],
    ]);
    expect(two.every((s) => s.context === header || s.location === '第2页')).toBe(true);
  });

  it('carries the header to a later page by column position when that page has fewer columns', () => {
    const carry: TableCarry = {};
    const page1 = [
      ...rosterItems(770, [
        ['序号', '姓名', '身份证号', '家庭住址'],
        ['1', '张伟', PEOPLE[0][1], '示范区西山镇后洋村3组12号'],
        ['2', '李娜', PEOPLE[1][1], '示范区西山镇石亭村5组57号'],
      ]),
      at('备注', 340, 770),
      at('已迁出', 340, 752),
    ];
    pageSegments(1, page1, carry);
    // Page 2 leaves 备注 empty and 序号 out (a roster continued without its numbers).
    const page2 = [
      ['王芳', PEOPLE[2][1], '示范区西山镇西山村9组89号'],
      ['刘洋', PEOPLE[3][1], '示范区北岭乡岭兜村4组116号'],
      ['陈静', PEOPLE[4][1], '示范区南溪镇溪尾村7组49号'],
    ].flatMap((r, i) => r.map((c, k) => at(c, [30, 90, 205][k]!, 780 - 18 * i)));
    const two = pageSegments(2, page2, carry)!;
    expect(two.map((s) => s.context)).toEqual(Array(3).fill('姓名\t身份证号\t家庭住址'));
  });

  it.each([
    ['ended in text', ['以上名单公示七天。']],
    ['ended in a complete row (no cell wrapped at its edge)', []],
  ])('leaves the top of a page alone when the page before %s', (_, after: string[]) => {
    const carry: TableCarry = {};
    const page1 = rosterItems(770, [
      ['序号', '姓名', '身份证号', '家庭住址'],
      ['1', '张伟', PEOPLE[0][1], '示范区西山镇后洋村3组12号'],
      ['2', '李娜', PEOPLE[1][1], '示范区西山镇石亭村5组'],
    ]);
    pageSegments(1, [...page1, ...after.map((t) => at(t, 5, 600))], carry);
    const page2 = [
      at('（续表）', 205, 800),
      ...rosterItems(782, [
        ['3', '王芳', PEOPLE[2][1], '示范区西山镇西山村9组89号'],
        ['4', '刘洋', PEOPLE[3][1], '示范区北岭乡岭兜村4组116号'],
        ['5', '陈静', PEOPLE[4][1], '示范区南溪镇溪尾村7组49号'],
      ]),
    ];
    const two = pageSegments(2, page2, carry)!;
    expect(two[0]).toEqual({ location: '第2页', text: '（续表）' });
    expect(two.slice(1).map((s) => s.text.split('\t')[0])).toEqual(['3', '4', '5']);
  });

  it('leaves prose alone: no table in a page of paragraphs', () => {
    const items = [
      '关于做好冬季防火工作的通知',
      '各村（居）委会：',
      '为切实做好冬季防火工作，现将有关事项通知如下。',
    ].map((s, i) => ({ s, x: 72, y: 700 - 20 * i, w: s.length * 12, h: 12 }));
    expect(pageLayoutText(items)).toEqual({
      text: '关于做好冬季防火工作的通知\n各村（居）委会：\n为切实做好冬季防火工作，现将有关事项通知如下。',
      tables: [],
    });
  });
});

// ---------------------------------------------------------------------------------------------
// A text layer without a Unicode map

const FIXTURES = new URL('../fixtures/files/', import.meta.url);
const OCR_ID = '350525199509099097';
const OCR_MOBILE = '15812340008';

/** The scan-id.png fixture as an image XObject (8-bit gray or RGB PNG data is FlateDecode with predictors). */
function pngImage(png: Buffer): string[] | (string | Buffer)[] {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const colors = png[25] === 2 ? 3 : 1;
  const idat: Buffer[] = [];
  for (let p = 8; p < png.length;) {
    const len = png.readUInt32BE(p);
    if (png.toString('latin1', p + 4, p + 8) === 'IDAT') idat.push(png.subarray(p + 8, p + 8 + len));
    p += 12 + len;
  }
  const data = Buffer.concat(idat);
  return [
    `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} ` +
      `/ColorSpace /${colors === 3 ? 'DeviceRGB' : 'DeviceGray'} /BitsPerComponent 8 /Filter /FlateDecode ` +
      `/DecodeParms << /Predictor 15 /Colors ${colors} /BitsPerComponent 8 /Columns ${width} >> ` +
      `/Length ${data.length} >>\nstream\n`,
    data,
    '\nendstream',
  ];
}

/**
 * A page as some PDF printers write it: the scanned image, with the text drawn over it invisibly
 * (render mode 3) in a subset CID font, Identity-H, no ToUnicode — pdf.js can only report glyph
 * numbers as code points.
 */
function garbledPdf(): Buffer {
  const glyphs = (seed: number) =>
    Array.from({ length: 24 }, (_, i) =>
      (0x0a0 + ((i * 37 + seed) % 900)).toString(16).padStart(4, '0'),
    ).join('');
  const content = [
    'q 360 0 0 100 0 0 cm /Im1 Do Q',
    `BT 3 Tr /F1 12 Tf 20 60 Td <${glyphs(0)}> Tj ET`,
    `BT 3 Tr /F1 12 Tf 20 40 Td <${glyphs(11)}> Tj ET`,
  ].join('\n');
  return pdfFrom([
    ['<< /Type /Catalog /Pages 2 0 R >>'],
    ['<< /Type /Pages /Kids [4 0 R] /Count 1 >>'],
    [
      '<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>',
    ],
    [
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 360 100] ' +
        '/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 8 0 R >> >> /Contents 5 0 R >>',
    ],
    [`<< /Length ${content.length} >>\nstream\n${content}\nendstream`],
    [
      '<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun ' +
        '/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 >>',
    ],
    [
      '<< /Type /FontDescriptor /FontName /ABCDEF+SimSun /Flags 4 /FontBBox [0 -140 1000 860] ' +
        '/ItalicAngle 0 /Ascent 860 /Descent -140 /CapHeight 700 /StemV 80 >>',
    ],
    pngImage(readFileSync(new URL('scan-id.png', FIXTURES))),
  ]);
}

const tools = await detectOcrTools();
const canOcr = tools.tesseract && tools.languages !== '' && tools.pdftoppm;

describe('a page whose text layer is garbage', () => {
  it('is detected and reported for review when OCR is off; its garbage is not text', async () => {
    const r = await extractAttachmentText(garbledPdf(), { url: 'http://x/cid.pdf' }, { ocr: false });
    expect(r.segments).toEqual([]);
    expect(r.warnings).toEqual([
      '第1页文字层无法识别（字形缺少 Unicode 映射或为乱码），未能用文字识别检查，需人工复核',
    ]);
    expect(needsReview(r.warnings[0]!)).toBe(true);
  });

  it.skipIf(!canOcr)('is OCR’d like a scan when tesseract (chi_sim) and pdftoppm are installed', async () => {
    const r = await extractAttachmentText(garbledPdf(), { url: 'http://x/cid.pdf' });
    expect(r.segments.map((s) => s.location)).toEqual(['第1页（OCR 识别）']);
    expect(detected(r)).toEqual([maskedId(OCR_ID), maskedMobile(OCR_MOBILE)]);
    expect(r.warnings).toEqual(['第1页文字层为乱码，已用文字识别（OCR）检查（识别结果可能有误）']);
    expect(needsReview(r.warnings[0]!)).toBe(false);
  });
});
