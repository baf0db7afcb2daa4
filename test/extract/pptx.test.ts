import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { fakePeople, type FakePerson } from '../../src/demo/fakePeople.js';
import {
  detectAttachmentFormat,
  extractAttachmentText,
  needsReview,
  type AttachmentText,
} from '../../src/extract/attachmentText.js';
import { detectPersonalData } from '../../src/pii/detect.js';

// Fake people only (src/demo/fakePeople.ts): valid check digits, made-up names and numbers.
const [A, B, C, D] = fakePeople(4, 2024_12) as [FakePerson, FakePerson, FakePerson, FakePerson];
const RAW = [A, B, C, D].flatMap((p) => [p.idCard, p.mobile]);

const maskedId = (raw: string): string => detectPersonalData(`身份证号码：${raw}`)[0]?.masked ?? '?';
const maskedMobile = (raw: string): string => detectPersonalData(`联系电话：${raw}`)[0]?.masked ?? '?';

function found(r: AttachmentText, location: string, type?: string): string[] {
  return r.segments
    .filter((s) => s.location === location)
    .flatMap((s) => detectPersonalData(s.text))
    .filter((m) => type === undefined || m.type === type)
    .map((m) => m.masked);
}

const textAt = (r: AttachmentText, location: string): string | undefined =>
  r.segments.find((s) => s.location === location)?.text;

// ---------------------------------------------------------------------------------------------
// PPTX parts as PowerPoint writes them (masters and layouts left out: no text is read from them).

const NS =
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ' +
  'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
let nextId = 2;

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const run = (text: string): string =>
  `<a:r><a:rPr lang="zh-CN" altLang="en-US" dirty="0"/><a:t>${escapeXml(text)}</a:t></a:r>`;
/** A paragraph whose text is split over several runs (PowerPoint splits at every format change). */
const para = (...runs: string[]): string => `<a:p>${runs.map(run).join('')}</a:p>`;
const slideNumber = (n: number): string =>
  `<a:p><a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum"><a:rPr lang="zh-CN"/><a:t>${n}</a:t></a:fld></a:p>`;

function shape(paragraphs: string, placeholder = ''): string {
  const id = nextId++;
  return (
    `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="文本框 ${id}"/><p:cNvSpPr txBox="1"/><p:nvPr>${placeholder}</p:nvPr></p:nvSpPr>` +
    `<p:spPr/><p:txBody><a:bodyPr wrap="square"/><a:lstStyle/>${paragraphs}</p:txBody></p:sp>`
  );
}

const cell = (paragraphs: string): string =>
  `<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>${paragraphs}</a:txBody><a:tcPr/></a:tc>`;

function table(rows: string[][]): string {
  const trs = rows.map((r) => `<a:tr h="370840">${r.map((c) => cell(c)).join('')}</a:tr>`).join('');
  return (
    `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="${nextId++}" name="表格"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>` +
    '<p:xfrm><a:off x="457200" y="1600200"/><a:ext cx="8229600" cy="1483360"/></p:xfrm><a:graphic>' +
    `<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblGrid/>${trs}` +
    '</a:tbl></a:graphicData></a:graphic></p:graphicFrame>'
  );
}

function slideXml(body: string, hidden = false): string {
  return (
    `${XML_HEAD}<p:sld ${NS}${hidden ? ' show="0"' : ''}><p:cSld><p:spTree>` +
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>' +
    `${body}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>`
  );
}

const cells = (...texts: string[]): string[] => texts.map((t) => para(t));

const titleSlide = (): string =>
  slideXml(shape(para('示范区西山镇2024年第四季度', '城乡低保对象公示')) + shape(para('示范区西山镇民政办')));

/** The roster: a table, B's ID number split over two runs, and a text box PowerPoint wrote twice. */
const rosterSlide = (): string =>
  slideXml(
    table([
      cells('序号', '姓名', '身份证号码', '联系电话', '家庭住址'),
      cells('1', A.name, A.idCard, A.mobile, A.address),
      [
        '<a:p>' + run('2') + '</a:p>',
        para(B.name),
        para(B.idCard.slice(0, 6), B.idCard.slice(6)),
        para(B.mobile),
        para(B.address),
      ],
    ]) +
      '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">' +
      `<mc:Choice Requires="a14">${shape(para('公示期7天'))}</mc:Choice>` +
      `<mc:Fallback>${shape(para('公示期7天'))}</mc:Fallback></mc:AlternateContent>` +
      shape(slideNumber(3), '<p:ph type="sldNum" sz="quarter" idx="12"/>'),
  );

/** A hidden slide that still carries a resident's details. */
const hiddenSlide = (): string =>
  slideXml(shape(para(`附：${C.name}，身份证号码：${C.idCard}，联系电话：${C.mobile}`)), true);

/** Speaker notes of the roster slide: body text, and the slide number field PowerPoint adds. */
const rosterNotes = (): string =>
  `${XML_HEAD}<p:notes ${NS}><p:cSld><p:spTree>` +
  '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>' +
  '<p:sp><p:nvSpPr><p:cNvPr id="2" name="幻灯片图像占位符 1"/><p:cNvSpPr/><p:nvPr><p:ph type="sldImg"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>' +
  shape(para('讲解时说明：', `${D.name}家属电话 ${D.mobile}`), '<p:ph type="body" idx="1"/>') +
  shape(slideNumber(3), '<p:ph type="sldNum" idx="5"/>') +
  '</p:spTree></p:cSld></p:notes>';

const relationships = (rels: [id: string, type: string, target: string][]): string =>
  `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  rels
    .map(([id, type, target]) => `<Relationship Id="${id}" Type="${REL}/${type}" Target="${target}"/>`)
    .join('') +
  '</Relationships>';

interface PptxOptions {
  /** Slide file numbers in show order (presentation.xml's slide list). */
  order?: number[];
  slides?: Record<number, string>;
  /** Leave out the presentation part's relationships: slides go by file number. */
  noPresentationRels?: boolean;
}

async function buildPptx(opts: PptxOptions = {}): Promise<Buffer> {
  // File numbers are not show order: slide10 was added last and moved up to second place.
  const slides = opts.slides ?? { 1: titleSlide(), 2: rosterSlide(), 10: hiddenSlide() };
  const order = opts.order ?? [1, 10, 2];
  const zip = new JSZip();
  const overrides = Object.keys(slides)
    .map(
      (n) =>
        `<Override PartName="/ppt/slides/slide${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>`,
    )
    .join('');
  zip.file(
    '[Content_Types].xml',
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>' +
      `${overrides}</Types>`,
  );
  zip.file('_rels/.rels', relationships([['rId1', 'officeDocument', 'ppt/presentation.xml']]));
  zip.file(
    'ppt/presentation.xml',
    `${XML_HEAD}<p:presentation ${NS} saveSubsetFonts="1"><p:sldIdLst>` +
      order.map((n, i) => `<p:sldId id="${256 + i}" r:id="rId${n + 100}"/>`).join('') +
      '</p:sldIdLst><p:sldSz cx="9144000" cy="6858000" type="screen4x3"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>',
  );
  if (!opts.noPresentationRels)
    zip.file(
      'ppt/_rels/presentation.xml.rels',
      relationships(order.map((n) => [`rId${n + 100}`, 'slide', `slides/slide${n}.xml`])),
    );
  for (const [n, xml] of Object.entries(slides)) zip.file(`ppt/slides/slide${n}.xml`, xml);
  // notesSlide1 belongs to slide2: notes are numbered in the order they were written.
  zip.file(
    'ppt/slides/_rels/slide2.xml.rels',
    relationships([
      ['rId1', 'slideLayout', '../slideLayouts/slideLayout2.xml'],
      ['rId2', 'notesSlide', '../notesSlides/notesSlide1.xml'],
    ]),
  );
  zip.file('ppt/notesSlides/notesSlide1.xml', rosterNotes());
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const hint = { url: 'http://www.example.gov.cn/xxgk/gs/dibao.pptx' };

// ---------------------------------------------------------------------------------------------

describe('PPTX: format detection', () => {
  it('knows a PPTX by its ppt/ entries, its extension or its Content-Type', async () => {
    expect(detectAttachmentFormat(await buildPptx(), { url: 'http://x/download?id=8' })).toEqual({
      format: 'pptx',
      label: 'PPTX',
    });
    expect(detectAttachmentFormat(Buffer.from('x'), { url: 'http://x/a.pptx' }).format).toBe('pptx');
    const contentType = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
    expect(detectAttachmentFormat(Buffer.from('x'), { url: 'http://x/f', contentType }).format).toBe('pptx');
  });
});

describe('PPTX: text', () => {
  it('reads slides in show order with their notes, hidden slides too', async () => {
    const r = await extractAttachmentText(await buildPptx(), hint);
    expect(r.format).toBe('pptx');
    expect(r.segments.map((s) => s.location)).toEqual([
      '第1张幻灯片',
      '第2张幻灯片',
      '第3张幻灯片',
      '第3张幻灯片备注',
    ]);
    expect(textAt(r, '第1张幻灯片')).toBe('示范区西山镇2024年第四季度城乡低保对象公示\n示范区西山镇民政办');
    expect(textAt(r, '第3张幻灯片')).toBe(
      [
        '序号\t姓名\t身份证号码\t联系电话\t家庭住址',
        `1\t${A.name}\t${A.idCard}\t${A.mobile}\t${A.address}`,
        `2\t${B.name}\t${B.idCard}\t${B.mobile}\t${B.address}`,
        '公示期7天',
      ].join('\n'),
    );
    expect(textAt(r, '第3张幻灯片备注')).toBe(`讲解时说明：${D.name}家属电话 ${D.mobile}`);
    expect(r.warnings).toEqual(['第2张幻灯片为隐藏幻灯片，已一并检查']);
    expect(needsReview(r.warnings[0] ?? '')).toBe(false);
  });

  it('goes by slide file number when the presentation part does not list the slides', async () => {
    const r = await extractAttachmentText(await buildPptx({ noPresentationRels: true }), hint);
    expect(r.segments.map((s) => s.location)).toEqual([
      '第1张幻灯片',
      '第2张幻灯片',
      '第2张幻灯片备注',
      '第3张幻灯片',
    ]);
    expect(r.warnings).toEqual(['第3张幻灯片为隐藏幻灯片，已一并检查']);
  });

  it('finds the personal data, split runs whole, masked only', async () => {
    const r = await extractAttachmentText(await buildPptx(), hint);
    expect(found(r, '第3张幻灯片', 'id-card')).toEqual([maskedId(A.idCard), maskedId(B.idCard)]);
    expect(found(r, '第3张幻灯片', 'mobile')).toEqual([maskedMobile(A.mobile), maskedMobile(B.mobile)]);
    expect(found(r, '第2张幻灯片')).toEqual([maskedId(C.idCard), maskedMobile(C.mobile)]);
    expect(found(r, '第3张幻灯片备注')).toEqual([maskedMobile(D.mobile)]);
    const shown = JSON.stringify(r.segments.flatMap((s) => detectPersonalData(s.text)));
    for (const raw of RAW) expect(shown).not.toContain(raw);
  });

  it('says when there is no text to read', async () => {
    const picture =
      '<p:pic><p:nvPicPr><p:cNvPr id="4" name="图片 3"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>' +
      '<p:blipFill><a:blip r:embed="rId2"/></p:blipFill><p:spPr/></p:pic>';
    const r = await extractAttachmentText(
      await buildPptx({ order: [1], slides: { 1: slideXml(picture) } }),
      hint,
    );
    expect(r.segments).toEqual([]);
    expect(r.warnings).toEqual(['演示文稿无文字内容（可能仅含图片），需人工复核']);
  });
});

describe('PPTX: limits and damage', () => {
  it('caps slides and stops at the deadline', async () => {
    const body = await buildPptx();
    const capped = await extractAttachmentText(body, hint, { maxPages: 2 });
    expect(capped.segments.map((s) => s.location)).toEqual(['第1张幻灯片', '第2张幻灯片']);
    expect(capped.warnings).toContain('演示文稿共 3 张幻灯片，仅检查了前 2 张，其余需人工复核');
    expect(await extractAttachmentText(body, hint, { timeoutMs: 0 })).toEqual({
      format: 'pptx',
      segments: [],
      warnings: ['附件解析失败（PPTX）：解析超时，需人工复核'],
    });
  });

  it('refuses a decompression bomb', async () => {
    const bomb = await buildPptx({ order: [1], slides: { 1: slideXml(' '.repeat(50 * 1024 * 1024)) } });
    const r = await extractAttachmentText(bomb, hint);
    expect(r.segments).toEqual([]);
    expect(r.warnings[0]).toMatch(/^附件未解析：压缩比异常（\d+ 倍），疑似压缩炸弹，需人工复核$/);
  });

  it('turns a missing slide or a truncated file into a Chinese warning', async () => {
    const missing = await buildPptx({ order: [1, 10, 2], slides: { 1: titleSlide(), 2: rosterSlide() } });
    const r = await extractAttachmentText(missing, hint);
    expect(r.segments.map((s) => s.location)).toEqual(['第1张幻灯片', '第3张幻灯片', '第3张幻灯片备注']);
    expect(r.warnings).toEqual([
      '第2张幻灯片（ppt/slides/slide10.xml）未能读取：文件中缺少该部件，需人工复核',
    ]);

    const t = await extractAttachmentText((await buildPptx()).subarray(0, 300), hint);
    expect(t).toEqual({
      format: 'pptx',
      segments: [],
      warnings: ['附件未解析：压缩包结构损坏（找不到目录），需人工复核'],
    });
  });
});
