import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { fakePeople } from '../../src/demo/fakePeople.js';
import {
  detectAttachmentFormat,
  extractAttachmentText,
  needsReview,
  SCANNED_WARNING,
  type AttachmentText,
} from '../../src/extract/attachmentText.js';
import { readZipDirectory } from '../../src/extract/formats/zipReader.js';
import { detectPersonalData } from '../../src/pii/detect.js';
import { runCli } from '../helpers/cli.js';

// Fake people only (src/demo/fakePeople.ts): valid check digits, made-up names and numbers.
const [A, B, C, D] = fakePeople(4, 33190) as [
  ReturnType<typeof fakePeople>[number],
  ReturnType<typeof fakePeople>[number],
  ReturnType<typeof fakePeople>[number],
  ReturnType<typeof fakePeople>[number],
];
const RAW = [A, B, C, D].flatMap((p) => [p.idCard, p.mobile]);

const maskedId = (raw: string): string => detectPersonalData(`身份证号码：${raw}`)[0]?.masked ?? '?';
const maskedMobile = (raw: string): string => detectPersonalData(`联系电话：${raw}`)[0]?.masked ?? '?';

/** Masked values the detector finds in the segments at a location. */
function found(r: AttachmentText, location: string): string[] {
  return r.segments
    .filter((s) => s.location === location)
    .flatMap((s) => detectPersonalData(s.text).map((m) => m.masked));
}

const textAt = (r: AttachmentText, location: string): string | undefined =>
  r.segments.find((s) => s.location === location)?.text;

// ---------------------------------------------------------------------------------------------
// OFD packages as a writer lays them out: OFD.xml → Doc_0/Document.xml → Pages/Page_N/Content.xml.

const NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';
const SIZE = 3.5; // mm, 五号字 roughly
let nextId = 100;

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const advance = (ch: string): number => (ch.charCodeAt(0) < 0x80 ? SIZE / 2 : SIZE);
const width = (s: string): number => [...s].reduce((w, ch) => w + advance(ch), 0);

interface Placement {
  /** Boundary width (mm) when the writer draws the box wider than the text. */
  boxWidth?: number;
  /** mm per object-space unit: the object is written in points under CTM="k 0 0 k 0 0". */
  scale?: number;
}

/** DeltaX as writers compress it: "g N d" for a run of equal offsets. */
const deltaX = (offsets: number[]): string =>
  offsets.length > 1 && offsets.every((d) => d === offsets[0])
    ? `g ${offsets.length} ${offsets[0]}`
    : offsets.join(' ');

/**
 * One TextObject at (x, baseline y) whose text may be split over several TextCodes, each placed
 * after the previous one, as converters write it.
 */
function textObject(x: number, y: number, codes: string | string[], place: Placement = {}): string {
  const k = place.scale ?? 1;
  const unit = (mm: number): number => Number((mm / k).toFixed(4));
  let offset = 0;
  const parts = [codes].flat().map((code) => {
    const deltas = deltaX([...code].slice(0, -1).map((ch) => unit(advance(ch))));
    const xml =
      `<ofd:TextCode X="${unit(offset)}" Y="${unit(SIZE)}" DeltaX="${deltas}">` +
      `${escapeXml(code)}</ofd:TextCode>`;
    offset += width(code);
    return xml;
  });
  const box = `${x} ${y - SIZE} ${place.boxWidth ?? offset} ${SIZE * 1.2}`;
  const ctm = k === 1 ? '' : ` CTM="${k} 0 0 ${k} 0 0"`;
  return (
    `<ofd:TextObject ID="${nextId++}" Boundary="${box}"${ctm} Font="3" Size="${unit(SIZE)}">` +
    `<ofd:FillColor Value="0 0 0"/>${parts.join('')}</ofd:TextObject>`
  );
}

/** A roster row: one TextObject per cell at the column positions. */
const COLUMNS = [20, 32, 52, 100, 130];
const row = (y: number, cells: string[], place: Placement = {}, from = 0): string =>
  cells.map((cell, i) => textObject(COLUMNS[from + i] ?? 0, y, cell, place)).join('');

const pageXml = (objects: string, template = true): string =>
  `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${NS}>` +
  (template ? '<ofd:Template TemplateID="2" ZOrder="Background"/>' : '') +
  `<ofd:Content><ofd:Layer ID="${nextId++}">${objects}</ofd:Layer></ofd:Content></ofd:Page>`;

const image = (): string =>
  `<ofd:ImageObject ID="${nextId++}" ResourceID="9" Boundary="0 0 210 297" CTM="210 0 0 297 0 0"/>`;

/** Page 1: a 低保 roster, drawn footer first (drawing order is not reading order). */
function rosterPage(): string {
  const header = ['序号', '姓名', '身份证号码', '联系电话', '家庭住址'];
  const points = { scale: 25.4 / 72 };
  return pageXml(
    textObject(100, 285, '- 1 -') +
      textObject(40, 20, '示范区西山镇2024年第四季度城乡低保对象公示') +
      row(35, header) +
      // Boxes drawn wider than their text, overlapping the next cell.
      row(45, ['1', A.name, A.idCard, A.mobile, A.address], { boxWidth: 60 }) +
      // The ID number split over two TextCodes of one TextObject.
      row(55, ['2', B.name]) +
      textObject(52, 55, [B.idCard.slice(0, 9), B.idCard.slice(9)]) +
      row(55, [B.mobile, B.address], {}, 3) +
      // The ID number split over two TextObjects that touch, written in points under a CTM.
      row(65, ['3', C.name]) +
      textObject(52, 65, C.idCard.slice(0, 6), points) +
      textObject(52 + width(C.idCard.slice(0, 6)), 65, C.idCard.slice(6), points) +
      row(65, [C.mobile, C.address], points, 3),
  );
}

interface OfdOptions {
  /** Content.xml of each page after the roster; a Buffer is stored as is (another encoding). */
  pages?: (string | Buffer)[];
  roster?: boolean;
  annotation?: boolean;
  attachment?: boolean;
  /** The roster page stored without compression (for the size cap). */
  storeRoster?: Buffer;
}

function documentXml(pageCount: number, opts: OfdOptions): string {
  const pages = Array.from({ length: pageCount }, (_, i) =>
    // Writers give BaseLoc relative to Document.xml; some from the package root.
    i === 1
      ? `<ofd:Page ID="${i + 10}" BaseLoc="/Doc_0/Pages/Page_${i}/Content.xml"/>`
      : `<ofd:Page ID="${i + 10}" BaseLoc="Pages/Page_${i}/Content.xml"/>`,
  ).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?><ofd:Document ${NS}><ofd:CommonData>` +
    '<ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>' +
    '<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>' +
    '<ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>' +
    `<ofd:Pages>${pages}</ofd:Pages>` +
    (opts.annotation ? '<ofd:Annotations>Annots/Annotations.xml</ofd:Annotations>' : '') +
    (opts.attachment ? '<ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments>' : '') +
    '</ofd:Document>'
  );
}

function addAnnotations(zip: JSZip): void {
  zip.file(
    'Doc_0/Annots/Annotations.xml',
    `<?xml version="1.0" encoding="UTF-8"?><ofd:Annotations ${NS}><ofd:Page PageID="11">` +
      '<ofd:FileLoc>Page_1/Annotation.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>',
  );
  zip.file(
    'Doc_0/Annots/Page_1/Annotation.xml',
    `<?xml version="1.0" encoding="UTF-8"?><ofd:PageAnnot ${NS}>` +
      '<ofd:Annot ID="900" Type="Stamp" Creator="审核员"><ofd:Remark>已核对</ofd:Remark>' +
      `<ofd:Appearance Boundary="20 100 80 10">${textObject(0, 5, `复核：${D.name} ${D.mobile}`)}` +
      '</ofd:Appearance></ofd:Annot></ofd:PageAnnot>',
  );
}

async function buildOfd(opts: OfdOptions = {}): Promise<Buffer> {
  const pages: (string | Buffer)[] = [
    ...(opts.roster === false ? [] : [rosterPage()]),
    ...(opts.pages ?? []),
  ];
  const zip = new JSZip();
  zip.file(
    'OFD.xml',
    `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ${NS} Version="1.0" DocType="OFD"><ofd:DocBody>` +
      '<ofd:DocInfo><ofd:DocID>6c5f1a2e9b1d4f0e8a7c3b2d1e0f9a8b</ofd:DocID>' +
      '<ofd:Title>示范区西山镇2024年第四季度城乡低保对象公示</ofd:Title><ofd:CreationDate>2024-12-10</ofd:CreationDate>' +
      '</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
  );
  zip.file('Doc_0/Document.xml', documentXml(pages.length, opts));
  zip.file(
    'Doc_0/PublicRes.xml',
    `<?xml version="1.0" encoding="UTF-8"?><ofd:Res ${NS} BaseLoc="Res"><ofd:Fonts>` +
      '<ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>',
  );
  zip.file('Doc_0/Tpls/Tpl_0/Content.xml', pageXml(textObject(60, 12, '示范区西山镇人民政府'), false));
  pages.forEach((page, i) => zip.file(`Doc_0/Pages/Page_${i}/Content.xml`, page));
  if (opts.storeRoster)
    zip.file('Doc_0/Pages/Page_0/Content.xml', opts.storeRoster, { compression: 'STORE' });
  if (opts.annotation) addAnnotations(zip);
  if (opts.attachment)
    zip.file(
      'Doc_0/Attachs/Attachments.xml',
      `<ofd:Attachments ${NS}><ofd:Attachment ID="1" Name="名单" Format="xlsx">` +
        '<ofd:FileLoc>名单.xlsx</ofd:FileLoc></ofd:Attachment></ofd:Attachments>',
    );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** Page 2: the signature block, in a GB2312-declared part (some Chinese writers do so). */
const signaturePage = (): Buffer =>
  iconv.encode(
    pageXml(textObject(120, 40, '示范区西山镇人民政府') + textObject(125, 48, '2024年12月10日')).replace(
      'encoding="UTF-8"',
      'encoding="GB2312"',
    ),
    'gb2312',
  );

const ofdHint = { url: 'http://www.example.gov.cn/xxgk/gs/roster.ofd' };

// ---------------------------------------------------------------------------------------------

describe('OFD: format detection', () => {
  it('knows an OFD by its OFD.xml entry, its extension or its Content-Type', async () => {
    const body = await buildOfd();
    expect(detectAttachmentFormat(body, { url: 'http://x/download?id=7' })).toEqual({
      format: 'ofd',
      label: 'OFD',
    });
    expect(detectAttachmentFormat(Buffer.from('x'), { url: 'http://x/a.ofd' }).format).toBe('ofd');
    const byType = detectAttachmentFormat(Buffer.from('x'), {
      url: 'http://x/download',
      contentType: 'application/ofd',
    });
    expect(byType.format).toBe('ofd');
  });
});

describe('OFD: text', () => {
  it('reads every page top to bottom, left to right, as 第N页, table cells apart', async () => {
    const r = await extractAttachmentText(await buildOfd({ pages: [signaturePage()] }), ofdHint);
    expect(r.format).toBe('ofd');
    expect(r.warnings).toEqual([]);
    expect(r.segments.map((s) => s.location)).toEqual(['第1页', '第2页', '模板页']);
    expect(textAt(r, '第1页')).toBe(
      [
        '示范区西山镇2024年第四季度城乡低保对象公示',
        '序号\t姓名\t身份证号码\t联系电话\t家庭住址',
        `1\t${A.name}\t${A.idCard}\t${A.mobile}\t${A.address}`,
        `2\t${B.name}\t${B.idCard}\t${B.mobile}\t${B.address}`,
        `3\t${C.name}\t${C.idCard}\t${C.mobile}\t${C.address}`,
        '- 1 -',
      ].join('\n'),
    );
    expect(textAt(r, '第2页')).toBe('示范区西山镇人民政府\n2024年12月10日');
    expect(textAt(r, '模板页')).toBe('示范区西山镇人民政府');
  });

  it('finds the roster’s personal data, split ID numbers whole, and gives it masked only', async () => {
    const r = await extractAttachmentText(await buildOfd(), ofdHint);
    const matches = r.segments.flatMap((s) => detectPersonalData(s.text));
    expect(found(r, '第1页')).toEqual(
      [A, B, C].flatMap((p) => [
        maskedId(p.idCard),
        maskedMobile(p.mobile),
        expect.stringMatching(/\*\*\*$/),
      ]),
    );
    expect(matches.filter((m) => m.type === 'id-card').map((m) => m.form)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const shown = JSON.stringify(matches);
    for (const raw of RAW) expect(shown).not.toContain(raw);
  });

  it('reads annotations (注释) with their page', async () => {
    const r = await extractAttachmentText(
      await buildOfd({ pages: [signaturePage()], annotation: true }),
      ofdHint,
    );
    expect(textAt(r, '第2页注释')).toBe(`已核对\n复核：${D.name} ${D.mobile}`);
    expect(found(r, '第2页注释')).toEqual([maskedMobile(D.mobile)]);
  });

  it('says what it did not read: image-only pages, scans, embedded files', async () => {
    const scanPage = pageXml(image());
    const mixed = await extractAttachmentText(
      await buildOfd({ pages: [scanPage], attachment: true }),
      ofdHint,
    );
    expect(mixed.warnings).toEqual([
      '第2页无文字、仅有图片（可能为扫描页），需人工复核',
      'OFD 内嵌的附件文件未检查，需人工复核',
    ]);
    expect(mixed.warnings.every(needsReview)).toBe(true);
    const scanned = await extractAttachmentText(
      await buildOfd({ roster: false, pages: [scanPage, pageXml(image())] }),
      ofdHint,
    );
    expect(scanned.warnings).toEqual([SCANNED_WARNING]);
    expect(scanned.segments.map((s) => s.location)).toEqual(['模板页']);
  });
});

describe('OFD: limits and damage', () => {
  it('caps pages and stops at the deadline', async () => {
    const body = await buildOfd({ pages: [signaturePage()] });
    const capped = await extractAttachmentText(body, ofdHint, { maxPages: 1 });
    expect(capped.segments.map((s) => s.location)).toEqual(['第1页', '模板页']);
    expect(capped.warnings).toEqual(['OFD 共 2 页，仅检查了前 1 页，其余需人工复核']);
    expect(await extractAttachmentText(body, ofdHint, { timeoutMs: 0 })).toEqual({
      format: 'ofd',
      segments: [],
      warnings: ['附件解析失败（OFD）：解析超时，需人工复核'],
    });
  });

  it('refuses a decompression bomb before reading any part', async () => {
    const bomb = await buildOfd({ pages: [pageXml(' '.repeat(50 * 1024 * 1024))] });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const r = await extractAttachmentText(bomb, ofdHint);
    expect(r.segments).toEqual([]);
    expect(r.warnings[0]).toMatch(/^附件未解析：压缩比异常（\d+ 倍），疑似压缩炸弹，需人工复核$/);
  });

  it('refuses a page part over the XML part cap and reads the rest', async () => {
    const huge = Buffer.from(rosterPage() + ' '.repeat(17 * 1024 * 1024));
    const r = await extractAttachmentText(
      await buildOfd({ pages: [signaturePage()], storeRoster: huge }),
      ofdHint,
    );
    expect(r.warnings).toEqual([
      '第1页（Doc_0/Pages/Page_0/Content.xml）未能读取：解压后超过 16 MB，需人工复核',
    ]);
    expect(r.segments.map((s) => s.location)).toEqual(['第2页', '模板页']);
  });

  it('turns a damaged page, a package without DocRoot or a truncated file into a Chinese warning', async () => {
    const body = await buildOfd({ pages: [signaturePage()] });
    const entry = readZipDirectory(body).find((e) => e.name === 'Doc_0/Pages/Page_0/Content.xml');
    if (!entry) throw new Error('fixture has no roster page');
    const damaged = Buffer.from(body);
    const at = entry.localOffset;
    const data = at + 30 + damaged.readUInt16LE(at + 26) + damaged.readUInt16LE(at + 28);
    damaged.fill(0xff, data, data + entry.compressedSize);
    const r = await extractAttachmentText(damaged, ofdHint);
    expect(r.warnings).toEqual(['第1页（Doc_0/Pages/Page_0/Content.xml）未能读取：解压失败，需人工复核']);
    expect(r.segments.map((s) => s.location)).toEqual(['第2页', '模板页']);

    const noRoot = new JSZip();
    noRoot.file('OFD.xml', `<ofd:OFD ${NS}><ofd:DocBody/></ofd:OFD>`);
    const n = await extractAttachmentText(await noRoot.generateAsync({ type: 'nodebuffer' }), ofdHint);
    expect(n.warnings).toEqual(['附件解析失败（OFD）：OFD.xml 中找不到文档入口（DocRoot），需人工复核']);

    for (const broken of [
      body.subarray(0, 400),
      Buffer.from('PK\u0003\u0004 not an ofd'),
      Buffer.from('%OFD'),
    ]) {
      const t = await extractAttachmentText(broken, ofdHint);
      expect(t).toEqual({
        format: 'ofd',
        segments: [],
        warnings: ['附件未解析：压缩包结构损坏（找不到目录），需人工复核'],
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('xuncha scan on an OFD', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-ofd-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 and prints the masked values only', async () => {
    const file = join(dir, '低保公示.ofd');
    writeFileSync(file, await buildOfd({ pages: [signaturePage()] }));
    const r = await runCli(['scan', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(`低保公示\\.ofd\\s+身份证号\\s+${maskedId(A.idCard).replace(/\*/g, '\\*')}\\s+第1页`),
    );
    for (const p of [A, B, C]) {
      expect(r.stdout).toContain(maskedId(p.idCard));
      expect(r.stdout).toContain(maskedMobile(p.mobile));
    }
    for (const raw of RAW) {
      expect(r.stdout).not.toContain(raw);
      expect(r.stderr).not.toContain(raw);
    }
  });

  it('picks .ofd files up when walking a directory', async () => {
    const sub = join(dir, 'batch');
    mkdirSync(sub);
    writeFileSync(join(sub, 'gs.ofd'), await buildOfd());
    const r = await runCli(['scan', '--json', sub]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      files: { path: string; findings: { location: { segment: string } }[] }[];
    };
    expect(report.files.map((f) => f.path)).toEqual([join(sub, 'gs.ofd')]);
    expect(new Set(report.files[0]?.findings.map((f) => f.location.segment))).toEqual(new Set(['第1页']));
    for (const raw of RAW) expect(r.stdout).not.toContain(raw);
  });
});
