import {
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  type ITableCellOptions,
} from 'docx';
import { describe, expect, it } from 'vitest';
import { fakePeople } from '../../src/demo/fakePeople.js';
import { extractAttachmentText } from '../../src/extract/attachmentText.js';
import type { AttachmentText, TextSegment } from '../../src/extract/formats/types.js';
import { luhnValid } from '../../src/pii/bankCard.js';
import { detectPersonalData } from '../../src/pii/detect.js';
import type { PiiType } from '../../src/pii/types.js';

// DOCX tables are read row by row, as spreadsheets are: one segment per row, the cells separated by
// tabs (empty and merged-over cells kept, so columns line up), the table's header as its context.

const TODAY = new Date(2026, 10, 24);

function luhnComplete(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

type CellSpec = string | ({ text: string } & Omit<ITableCellOptions, 'children'>);

function cell(spec: CellSpec): TableCell {
  const { text, ...options } = typeof spec === 'string' ? { text: spec } : spec;
  // An empty cell still holds one (empty) paragraph, as Word writes it.
  const paragraphs = text.split('\n').map((t) => new Paragraph({ children: t ? [new TextRun(t)] : [] }));
  return new TableCell({ ...options, children: paragraphs });
}

const row = (cells: CellSpec[], tableHeader = false) =>
  new TableRow({ ...(tableHeader ? { tableHeader } : {}), children: cells.map(cell) });

async function docx(children: (Paragraph | Table)[]): Promise<Buffer> {
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

async function read(children: (Paragraph | Table)[]): Promise<AttachmentText> {
  const r = await extractAttachmentText(await docx(children), { url: 'https://example.gov.cn/a.docx' });
  expect(r.format).toBe('docx');
  return r;
}

const rows = (r: AttachmentText): TextSegment[] =>
  r.segments.filter((s) => /^表\d+第\d+行$/.test(s.location));

const people = fakePeople(6, 20261124);
const cards = [
  luhnComplete('623456789012345678'), // a BIN no list knows (a rural bank's 一卡通)
  '10120001234567801', // a passbook account, no Luhn digit
  luhnComplete('622848001234567890'),
  luhnComplete('621799123456789012'),
  '10120009876543201',
  luhnComplete('623058000011112222'),
];

describe('DOCX tables as rows', () => {
  const header = ['序号', '姓名', '身份证号码', '联系电话', '开户账号', '备注'];
  const roster = () =>
    read([
      new Paragraph('2026年临时救助对象名单'),
      new Table({
        rows: [
          row(header, true),
          ...people.map((p, i) =>
            row([String(i + 1), p.name, p.idCard, p.mobile, cards[i]!, i === 2 ? '' : '已核实']),
          ),
        ],
      }),
      new Paragraph('示范区民政局 2026年11月'),
    ]);

  it('gives one segment per row, cells tab-separated (empty cells kept), under the header as context', async () => {
    const r = await roster();
    expect(r.warnings).toEqual([]);
    const body = r.segments.find((s) => s.location === '正文');
    expect(body?.text).toContain('2026年临时救助对象名单');
    expect(body?.text).toContain('示范区民政局');
    // The table is not repeated in the body text.
    expect(body?.text).not.toContain(people[0]!.idCard);
    const segs = rows(r);
    expect(segs).toHaveLength(people.length + 1);
    expect(segs[0]).toEqual({ location: '表1第1行', text: header.join('\t'), context: header.join('\t') });
    expect(segs[3]).toEqual({
      location: '表1第4行',
      text: ['3', people[2]!.name, people[2]!.idCard, people[2]!.mobile, cards[2], ''].join('\t'),
      context: header.join('\t'),
    });
  });

  it('lets the detectors find every ID, mobile and account in its column', async () => {
    const r = await roster();
    const wanted: Record<string, PiiType> = {
      身份证号码: 'id-card',
      联系电话: 'mobile',
      开户账号: 'bank-card',
    };
    const found: [string, PiiType][] = [];
    for (const s of rows(r)) {
      for (const m of detectPersonalData(s.text, { context: s.context, today: TODAY })) {
        const column = s.text.slice(0, m.start).split('\t').length - 1;
        found.push([s.context!.split('\t')[column]!, m.type]);
      }
    }
    const expected = people.flatMap(() => Object.entries(wanted));
    expect(found.sort()).toEqual(expected.sort());
  });

  it('lines merged cells up with their columns and joins a two-row header per column', async () => {
    const [a, b, c] = people;
    const r = await read([
      new Table({
        rows: [
          row([{ text: '2026年耕地地力保护补贴发放清册', columnSpan: 6 }]),
          row([
            { text: '序号', rowSpan: 2 },
            { text: '所在村', rowSpan: 2 },
            { text: '户主', columnSpan: 2 },
            { text: '补贴信息', columnSpan: 2 },
          ]),
          row(['姓名', '身份证号', '一卡通账号', '金额（元）']),
          row(['1', { text: '后洋村', rowSpan: 2 }, a!.name, a!.idCard, cards[0]!, '300.50']),
          row(['2', b!.name, b!.idCard, cards[1]!, '120.00']),
          row(['3', '前坑村', c!.name, c!.idCard, { text: '未开户', columnSpan: 2 }]),
        ],
      }),
    ]);
    const context = [
      '序号',
      '所在村',
      '户主姓名',
      '户主身份证号',
      '补贴信息一卡通账号',
      '补贴信息金额（元）',
    ].join('\t');
    expect(rows(r).map((s) => [s.location, s.text, s.context])).toEqual([
      ['表1第1行', '2026年耕地地力保护补贴发放清册\t\t\t\t\t', context],
      ['表1第2行', '序号\t所在村\t户主\t\t补贴信息\t', context],
      ['表1第3行', '\t\t姓名\t身份证号\t一卡通账号\t金额（元）', context],
      ['表1第4行', `1\t后洋村\t${a!.name}\t${a!.idCard}\t${cards[0]}\t300.50`, context],
      ['表1第5行', `2\t\t${b!.name}\t${b!.idCard}\t${cards[1]}\t120.00`, context],
      ['表1第6行', `3\t前坑村\t${c!.name}\t${c!.idCard}\t未开户\t`, context],
    ]);
    const found = rows(r).flatMap((s) =>
      detectPersonalData(s.text, { context: s.context, today: TODAY }).map((m) => m.type),
    );
    expect(found.sort()).toEqual(['bank-card', 'bank-card', 'id-card', 'id-card', 'id-card']);
  });

  it('gives no context to a table without a header row, and reads a cell of several paragraphs on one line', async () => {
    const r = await read([
      new Table({
        rows: [
          row(['申请人', people[3]!.name, '身份证号', people[3]!.idCard]),
          row(['家庭住址', { text: '示范区西山镇\n后洋村3组12号', columnSpan: 3 }]),
        ],
      }),
      new Paragraph('第二张表'),
      new Table({ rows: [row(['项目', '金额']), row(['救助金', '1200'])] }),
    ]);
    expect(rows(r)).toEqual([
      { location: '表1第1行', text: `申请人\t${people[3]!.name}\t身份证号\t${people[3]!.idCard}` },
      { location: '表1第2行', text: '家庭住址\t示范区西山镇 后洋村3组12号\t\t' },
      { location: '表2第1行', text: '项目\t金额', context: '项目\t金额' },
      { location: '表2第2行', text: '救助金\t1200', context: '项目\t金额' },
    ]);
    expect(r.segments.find((s) => s.location === '正文')?.text.trim()).toBe('第二张表');
  });

  it('reads a table nested in a cell as a table of its own', async () => {
    const inner = new Table({
      rows: [row(['姓名', '联系电话']), row([people[4]!.name, people[4]!.mobile])],
    });
    const r = await read([
      new Table({
        rows: [new TableRow({ children: [new TableCell({ children: [new Paragraph('附表'), inner] })] })],
      }),
    ]);
    expect(rows(r)).toEqual([
      { location: '表1第1行', text: '附表' },
      { location: '表2第1行', text: '姓名\t联系电话', context: '姓名\t联系电话' },
      { location: '表2第2行', text: `${people[4]!.name}\t${people[4]!.mobile}`, context: '姓名\t联系电话' },
    ]);
  });
});
