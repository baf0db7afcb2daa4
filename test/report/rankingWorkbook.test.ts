import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderRankingWorkbook } from '../../src/report/rankingWorkbook.js';
import { isFormulaLike } from '../../src/report/sheetLayout.js';
import { compareInspections } from '../../src/report/recheck.js';
import { renderRecheckWorkbook } from '../../src/report/recheckWorkbook.js';
import { readHyperlinks, readWorkbook, readZipEntries, type SheetValue } from '../helpers/readBack.js';
import { jyj, jyjFindings, makeReport, mzj, mzjFindings, rsj, rsjFindings } from './fixtures.js';

const report = makeReport();
const allFindings = [...mzjFindings, ...jyjFindings, ...rsjFindings];
let buf: Buffer;
let sheets: Record<string, SheetValue[][]>;

async function loadBuffer(out: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(out as unknown as ExcelJS.Buffer);
  return workbook;
}

const loadRaw = () => loadBuffer(buf);

/** No cell is a formula, and no text cell starts like one unless escaped with an apostrophe. */
function expectNoLiveFormula(workbook: ExcelJS.Workbook): void {
  let texts = 0;
  for (const ws of workbook.worksheets)
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.type, `${ws.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
        const v = cell.value;
        const text =
          typeof v === 'string' ? v : v && typeof v === 'object' && 'text' in v ? String(v.text) : undefined;
        if (text === undefined) return;
        texts++;
        expect(isFormulaLike(text), `${ws.name}!${cell.address} ${JSON.stringify(text)}`).toBe(false);
      }),
    );
  expect(texts).toBeGreaterThan(0);
}

function sheet(name: string): SheetValue[][] {
  const rows = sheets[name];
  if (!rows) throw new Error(`missing sheet ${name}`);
  return rows;
}

beforeAll(async () => {
  buf = await renderRankingWorkbook(report);
  sheets = await readWorkbook(buf);
});

describe('renderRankingWorkbook', () => {
  it('has the five sheets in order', () => {
    expect(Object.keys(sheets)).toEqual(['排名', '月度对比', '问题明细', '指标得分', '公开专栏', '说明']);
  });

  describe('排名', () => {
    it('starts with the title and the header row', () => {
      const [title, header] = sheet('排名');
      expect(title).toEqual(['网上巡查排名（检查日期 2026年11月24日）']);
      expect(header).toEqual([
        '排名',
        '单位',
        '级别',
        '得分',
        '等级',
        '单项否决',
        '否决原因',
        '链接可用性',
        '内容更新',
        '公开内容',
        '个人信息保护',
        '网站基本要素',
        '问题总数',
        '抓取页面',
        '附件',
        '抓取失败',
        '死链率',
      ]);
    });

    it('lists units in rank order with counts per category', () => {
      const rows = sheet('排名').slice(2);
      expect(rows.map((r) => [r[0], r[1]])).toEqual([
        [1, '示范区民政局'],
        [2, '示范区教育局'],
        [3, '示范区人力资源和社会保障局'],
      ]);
      expect(rows[0]).toEqual([
        1,
        '示范区民政局',
        '区直部门',
        88.5,
        '优秀',
        '否',
        '',
        1,
        1,
        0,
        0,
        0,
        2,
        215,
        37,
        1,
        0.005,
      ]);
      expect(rows[2]?.slice(3, 13)).toEqual([
        0,
        '不合格',
        '是',
        '泄露个人隐私（2 处未脱敏个人信息）',
        1,
        0,
        0,
        2,
        0,
        3,
      ]);
    });

    it('freezes the header and highlights only failing units', async () => {
      const ranking = (await loadRaw()).getWorksheet('排名');
      expect(ranking?.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      const fillOf = (row: number) => JSON.stringify(ranking?.getRow(row).getCell(2).fill ?? null);
      expect(fillOf(5)).toContain('FFFFC7CE');
      expect(fillOf(3)).not.toContain('FFFFC7CE');
      expect(fillOf(4)).not.toContain('FFFFC7CE');
      expect(ranking?.getColumn(2).width).toBeGreaterThan(10);
    });
  });

  describe('问题明细', () => {
    it('has one row per finding across units, in rank order', () => {
      const [header, ...rows] = sheet('问题明细');
      expect(header).toEqual([
        '单位',
        '检查项',
        '类别',
        '结论',
        '问题描述',
        '网址',
        '位置',
        '证据（已脱敏）',
        '依据',
        '整改建议',
        '数据已核实',
        '人工复核',
        '编号',
        '取证截图',
      ]);
      expect(rows).toHaveLength(allFindings.length);
      expect(rows.map((r) => r[4])).toEqual(allFindings.map((f) => f.message));
      expect(rows[0]?.[0]).toBe('示范区民政局');
      expect(rows.at(-1)?.[0]).toBe('示范区人力资源和社会保障局');
    });

    it('maps outcomes and verified flags to Chinese', () => {
      const rows = sheet('问题明细').slice(1);
      expect(new Set(rows.map((r) => r[3]))).toEqual(new Set(['问题', '提示', '需人工复核', '检查出错']));
      expect(rows.map((r) => r[10])).toEqual(allFindings.map((f) => (f.verified ? '是' : '否')));
    });

    it('keeps the masked evidence as is', () => {
      const evidence = sheet('问题明细').map((r) => r[7]);
      expect(evidence).toContain('姓名：张** 身份证号：350502********1234');
      expect(evidence).toContain('<meta name="SiteName" content="示范区民政局"> & 无 SiteIDCode');
    });

    it('makes every URL a hyperlink in column F', async () => {
      const links = await readHyperlinks(buf, '问题明细');
      expect(links.map((l) => l.hyperlink)).toEqual(allFindings.map((f) => f.url));
      for (const link of links) {
        expect(link.text).toBe(link.hyperlink);
        expect(link.address).toMatch(/^F\d+$/);
      }
    });

    it('has an autofilter on the header and a frozen header', async () => {
      const details = (await loadRaw()).getWorksheet('问题明细');
      expect(details?.autoFilter).toBe(`A1:N${allFindings.length + 1}`);
      expect(details?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    });
  });

  it('指标得分 lists unit × indicator results', () => {
    const [header, ...rows] = sheet('指标得分');
    expect(header).toEqual(['单位', '指标', '类型', '触发', '扣分/加分', '问题数', '说明', '已核实']);
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual([
      '示范区民政局',
      '其他页面链接不可用',
      '扣分',
      '是',
      1,
      1,
      '1 个附件链接不可用，每个扣 1 分',
      '是',
    ]);
    const veto = rows.find((r) => r[0] === '示范区人力资源和社会保障局' && r[2] === '否决');
    expect(veto).toEqual([
      '示范区人力资源和社会保障局',
      '泄露个人隐私',
      '否决',
      '是',
      null,
      2,
      '发现身份证号码 1 处、手机号码 1 处',
      '是',
    ]);
    expect(rows.find((r) => r[2] === '加分')?.[4]).toBe(2);
  });

  it('公开专栏 lists unit × part: where each was found and by what, or 未找到', async () => {
    expect(sheet('公开专栏')).toEqual([
      ['单位', '部分', '网址', '依据（链接文字/页面标题/网址特征/种子指定）', '状态'],
    ]);
    const withParts = {
      ...mzj,
      disclosure: [
        {
          part: 'column',
          title: '政府信息公开专栏',
          url: 'http://mzj.example.gov.cn/xxgk/',
          signal: 'title',
          text: '信息公开',
        },
        {
          part: 'guide',
          title: '政府信息公开指南',
          url: 'http://mzj.example.gov.cn/xxgk/zn/',
          signal: 'link-text',
          text: '政府信息公开指南',
        },
        { part: 'request', title: '依申请公开' },
        {
          part: 'catalogue',
          title: '基层政务公开标准目录（社会救助）',
          url: 'http://mzj.example.gov.cn/shjz/ml.html',
          signal: 'pinned',
          text: '社会救助',
        },
      ],
    };
    const out = await renderRankingWorkbook(makeReport({ units: [withParts] }));
    const rows = (await readWorkbook(out))['公开专栏']!.slice(1);
    expect(rows).toEqual([
      ['示范区民政局', '政府信息公开专栏', 'http://mzj.example.gov.cn/xxgk/', '页面标题「信息公开」', '找到'],
      [
        '示范区民政局',
        '政府信息公开指南',
        'http://mzj.example.gov.cn/xxgk/zn/',
        '链接文字「政府信息公开指南」',
        '找到',
      ],
      ['示范区民政局', '依申请公开', '', '', '未找到'],
      [
        '示范区民政局',
        '基层政务公开标准目录（社会救助）',
        'http://mzj.example.gov.cn/shjz/ml.html',
        '种子指定「社会救助」',
        '找到',
      ],
    ]);
    const links = await readHyperlinks(out, '公开专栏');
    expect(links.map((l) => l.address)).toEqual(['C2', 'C3', 'C5']);
  });

  it('说明 shows the date, the pass rule, unverified figures and calendar warnings', () => {
    const cells = sheet('说明').flat();
    expect(cells).toContain('2026年11月24日');
    expect(cells).toContain('政府网站与政务新媒体检查指标（2019）');
    expect(cells).toContain('得分低于 60 分或触发单项否决的单位为不合格');
    // Beijing time, no ISO timestamps (01:00Z is 09:00 in Beijing).
    expect(cells).toContain('2026年11月24日 09:00');
    expect(cells).toContain('2026年11月24日 11:30');
    expect(cells.some((c) => typeof c === 'string' && /问题数只计结论为“问题”的项/.test(c))).toBe(true);
    // No internal paths: the data is named, not its file.
    expect(cells).toContain('检查项设定');
    expect(cells).toContain('指标体系');
    expect(cells).toContain('动态类栏目更新时限（14 天）尚待核实');
    expect(cells).toContain('2027 年节假日数据缺失，按周末推算');
  });

  it('says 无 when nothing is unverified', async () => {
    const clean = await readWorkbook(
      await renderRankingWorkbook(makeReport({ unverified: [], calendarWarnings: [] })),
    );
    expect(clean['说明']?.filter((r) => r[0] === '无')).toHaveLength(2);
  });

  it('drops characters XML forbids so the file stays readable', async () => {
    const dirty = {
      ...rsj,
      findings: rsj.findings.map((f) => ({ ...f, evidence: `${f.evidence}\u000b\u0001!` })),
    };
    const rows = (await readWorkbook(await renderRankingWorkbook(makeReport({ units: [dirty] }))))[
      '问题明细'
    ];
    expect(rows?.[1]?.[7]).toBe(`${rsj.findings[0]?.evidence ?? ''}  !`);
  });

  it('marks formula-like text from pages as text, and writes no formula cell', async () => {
    const hostile = [
      '=HYPERLINK("http://evil.example/","点此")',
      "=cmd|' /C calc'!A0",
      '@SUM(1+1)',
      '+1+1',
      '-2+3',
      '\t=1+1',
      '＝1+1',
    ];
    const unit = {
      ...rsj,
      findings: hostile.map((text, i) => ({
        ...rsj.findings[0]!,
        message: text,
        location: text,
        evidence: text,
        url: `http://www.example.gov.cn/${i}.html`,
      })),
    };
    const out = await renderRankingWorkbook(makeReport({ units: [unit] }));
    const rows = (await readWorkbook(out))['问题明细']!.slice(1);
    expect(rows.map((r) => r[4])).toEqual(hostile.map((t) => `'${t}`));
    expect(rows.map((r) => r[6])).toEqual(hostile.map((t) => `'${t}`));
    expect(rows.map((r) => r[7])).toEqual(hostile.map((t) => `'${t}`));
    for (const [name, xml] of await readZipEntries(out)) expect(xml, name).not.toContain('<f>');
    // Ordinary text keeps its first character.
    expect((await readWorkbook(buf))['问题明细']!.slice(1).every((r) => !String(r[4]).startsWith("'"))).toBe(
      true,
    );
  });

  it('keeps numbers as numbers with formats, and sorts 死链率 numerically', async () => {
    const ranking = (await loadRaw()).getWorksheet('排名')!;
    const header = sheet('排名')[1]!;
    const col = (name: string) => header.indexOf(name) + 1;
    const rates = [3, 4, 5].map((r) => ranking.getRow(r).getCell(col('死链率')));
    for (const cell of rates) {
      if (cell.value === null) continue;
      expect(typeof cell.value).toBe('number');
      expect(cell.numFmt).toBe('0.0%');
    }
    expect(rates.some((c) => typeof c.value === 'number')).toBe(true);
    expect(ranking.getRow(3).getCell(col('得分')).numFmt).toBe('0.0');
    expect(typeof ranking.getRow(3).getCell(col('问题总数')).value).toBe('number');
  });

  it('gives every table a filter, a frozen header and a landscape fit-to-width print setup', async () => {
    const workbook = await loadRaw();
    const headerRows: Record<string, number> = {
      排名: 2,
      月度对比: 2,
      问题明细: 1,
      指标得分: 1,
      公开专栏: 1,
    };
    for (const [name, headerRow] of Object.entries(headerRows)) {
      const ws = workbook.getWorksheet(name)!;
      expect(ws.autoFilter, name).toMatch(
        new RegExp(`^A${headerRow}:[A-Z]+${Math.max(ws.rowCount, headerRow)}$`),
      );
      expect(ws.views[0], name).toMatchObject({ state: 'frozen', ySplit: headerRow });
    }
    for (const ws of workbook.worksheets) {
      expect(ws.pageSetup, ws.name).toMatchObject({
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
      });
      expect(ws.pageSetup.printTitlesRow, ws.name).toBe(`1:${headerRows[ws.name] ?? 1}`);
    }
  });

  it('说明 shows no file path and no ISO timestamp', () => {
    for (const cell of sheet('说明').flat()) {
      if (typeof cell !== 'string') continue;
      expect(cell).not.toMatch(/\.ya?ml\b|rules\/|\/[a-z]+\//);
      expect(cell).not.toMatch(/\d{4}-\d{2}-\d{2}(T|$)/);
    }
  });

  it('neutralises formula-like scraped text everywhere, leading blanks included', async () => {
    const hostile = ['=1+1', '  =1+1', '\u3000@SUM(A1)', '\r=1', ' -3+4', '+cmd', '@x', '\t@x'];
    const units = [mzj, jyj, rsj].map((u, i) => ({
      ...u,
      name: i === 0 ? '=单位名称' : u.name,
      vetoReason: hostile[i] ?? '',
      findings: u.findings.map((f, j) => ({
        ...f,
        message: hostile[j % hostile.length]!,
        location: hostile[(j + 1) % hostile.length]!,
        evidence: hostile[(j + 2) % hostile.length]!,
        checkTitle: hostile[(j + 3) % hostile.length]!,
        advice: '-' + f.advice,
        basis: '=' + f.basis,
      })),
      disclosure: [
        { part: 'guide', title: '政府信息公开指南', url: 'http://x.example/', signal: 'title', text: '=1' },
      ],
    }));
    const out = await renderRankingWorkbook(makeReport({ units, calendarWarnings: ['=warn'] }));
    expectNoLiveFormula(await loadBuffer(out));
    for (const [name, xml] of await readZipEntries(out)) expect(xml, name).not.toContain('<f>');
    const rows = (await readWorkbook(out))['问题明细']!.slice(1);
    expect(rows.some((r) => r[4] === "'  =1+1")).toBe(true);
  });

  it('整改复查 workbook: numbers with formats, filters, print setup and no live formula', async () => {
    const previous = makeReport();
    const current = structuredClone(previous);
    current.runId = previous.runId + 1;
    for (const u of current.units)
      u.findings = u.findings.map((f) => ({ ...f, evidence: `=${f.evidence}`, message: ` +${f.message}` }));
    const rsjNow = current.units.find((u) => u.id === 'rsj')!;
    rsjNow.findings = rsjNow.findings.slice(1);
    const recheck = compareInspections(previous, current, {
      crawlFailed: new Set(),
      fetched: new Map(current.units.map((u) => [u.id, new Set(u.findings.map((f) => f.url))])),
    });
    const out = await renderRecheckWorkbook(recheck);
    const workbook = await loadBuffer(out);
    expectNoLiveFormula(workbook);
    const summary = workbook.getWorksheet('复查汇总')!;
    const header = summary.getRow(2).values as unknown[];
    const rateCol = header.indexOf('整改率');
    const rates = [3, 4, 5].map((r) => summary.getRow(r).getCell(rateCol)).filter((c) => c.value !== null);
    expect(rates.length).toBeGreaterThan(0);
    for (const c of rates) {
      expect(typeof c.value).toBe('number');
      expect(c.numFmt).toBe('0.0%');
    }
    expect(summary.getRow(3).getCell(header.indexOf('本次得分')).numFmt).toBe('0.0');
    expect(summary.autoFilter).toMatch(/^A2:[A-Z]+\d+$/);
    expect(workbook.getWorksheet('复查明细')!.autoFilter).toMatch(/^A1:I\d+$/);
    for (const ws of workbook.worksheets)
      expect(ws.pageSetup, ws.name).toMatchObject({
        orientation: 'landscape',
        fitToWidth: 1,
        fitToHeight: 0,
      });
  });

  it('contains no unmasked ID or mobile number in any part', async () => {
    const entries = await readZipEntries(buf);
    expect(entries.has('xl/workbook.xml')).toBe(true);
    for (const [name, xml] of entries) {
      expect(xml, name).not.toMatch(/(?<!\d)\d{17}[\dXx](?!\d)/);
      expect(xml, name).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    }
  });
});
