import { afterAll, describe, expect, it } from 'vitest';
import { renderAttachment, type AttachmentSpec } from '../../src/demo/attachments.js';
import { parseCatalogueFile } from '../../src/extract/catalogue/index.js';
import { closeBrowser } from '../../src/render/htmlToPdf.js';

// A catalogue printed the way the demo prints its PDFs (Chromium, A4 portrait, 11 narrow columns,
// centred cells): long cells wrap over many lines, header cells wrap to one character a line, tick
// cells wrap between options, and tall rows break over pages. Rows and names are invented.

const HEADER = [
  '序号',
  '一级事项',
  '二级事项',
  '公开内容（要素）',
  '公开依据',
  '公开时限',
  '公开主体',
  '公开渠道和载体',
  '公开对象',
  '公开方式',
  '公开层级',
];
const CHANNELS = ['政府网站', '两微一端', '公开查阅点', '公示栏', '社区/企事业单位/村公示栏(电子屏)'];

interface Item {
  first: string;
  second: string;
  content: string;
  basis: string;
  time: string;
  subject: string;
  channels: string[];
  audience: string;
  mode: string;
  level: string;
}

const tick = (options: string[], chosen: string[]): string =>
  options.map((o) => `${chosen.includes(o) ? '■' : '□'}${o}`).join(' ');

const BASES = [
  '《中华人民共和国政府信息公开条例》',
  '《中华人民共和国土地管理法》《中华人民共和国土地管理法实施条例》《中华人民共和国政府信息公开条例》',
  '《示范省农村公路养护管理办法》（示政〔2021〕12号）第十四条、第二十条',
];
const TIMES = [
  '信息形成或者变更之日起20个工作日内',
  '收到批准文件之日起10个工作日内，法律法规另有规定的从其规定',
  '实时公开',
  '每年3月31日前公开上一年度情况',
];

const ITEMS: Item[] = Array.from({ length: 14 }, (_, i) => {
  const group = Math.floor(i / 3);
  const long = i % 4 === 1;
  return {
    first: ['农村公路建设', '农村公路养护管理', '渡口渡船安全', '道路运输许可', '执法监督'][group] as string,
    second: long ? `第${i + 1}项农村公路养护工程计划及资金安排情况` : `事项名称${i + 1}`,
    content: long
      ? `养护工程名称、建设地点、建设规模、计划投资（万元）、资金来源、实施单位、开工和完工时间、质量监督单位及监督电话0591-8765432${i % 10}`
      : `第${i + 1}项的办理依据、申请条件、办理流程、所需材料、收费标准和办理时限`,
    basis: BASES[i % BASES.length] as string,
    time: TIMES[i % TIMES.length] as string,
    subject: i % 5 === 4 ? '示范县交通运输局、示范镇人民政府' : '示范县交通运输局',
    channels:
      i % 3 === 0 ? ['政府网站', '公示栏'] : ['政府网站', '两微一端', '社区/企事业单位/村公示栏(电子屏)'],
    audience: i % 4 === 3 ? '特定群体' : '全社会',
    mode: i % 6 === 5 ? '依申请' : '主动',
    level: i % 2 ? '乡级' : '县级',
  };
});

function spec(items: Item[]): AttachmentSpec {
  const rows = items.map((it, n) => [
    String(n + 1),
    it.first,
    it.second,
    it.content,
    it.basis,
    it.time,
    it.subject,
    tick(CHANNELS, it.channels),
    tick(['全社会', '特定群体'], [it.audience]),
    tick(['主动', '依申请'], [it.mode]),
    tick(['县级', '乡级'], [it.level]),
  ]);
  return {
    path: '/bzml/ml.pdf',
    format: 'pdf',
    contentType: 'application/pdf',
    title: '示范县交通运输局城乡公共交通领域基层政务公开标准目录',
    before: [],
    after: [],
    sign: [],
    columns: HEADER.map((header) => ({ header, field: null })),
    people: [],
    masked: false,
    rows,
    displayRows: rows,
  };
}

describe('parseCatalogueFile: a printed catalogue with wrapped cells', () => {
  afterAll(async () => {
    await closeBrowser();
  });

  it('reads every row and element, over page breaks inside rows', async () => {
    const pdf = await renderAttachment(spec(ITEMS), { today: new Date(2024, 0, 1) });
    const [cat, ...more] = await parseCatalogueFile(pdf, { url: 'http://x.gov.cn/ml.pdf' });
    expect(more).toEqual([]);
    expect(cat?.format).toBe('pdf');
    expect(cat?.problems).toEqual([]);
    // The rows are tall enough that some break over a page.
    expect(new Set(cat?.rows.map((r) => r.location)).size).toBeGreaterThan(2);
    const got = cat?.rows.map((r) => ({
      first: r.first,
      second: r.second,
      content: r.content,
      basis: r.basis,
      time: r.timeLimit?.text,
      subject: r.subject,
      channels: r.channels,
      audience: r.audience.join(),
      mode: r.mode.join(),
      level: r.levels.join(),
      problems: r.problems,
    }));
    expect(got).toEqual(
      ITEMS.map((it) => ({
        ...it,
        channels: CHANNELS.filter((c) => it.channels.includes(c)),
        problems: [],
      })),
    );
  }, 60_000);
});
