import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chineseNumeral, formatChineseDate, renderNoticeDocx } from '../../src/report/noticeDocx.js';
import { noticeContent, personalDataSummary, rowRanges } from '../../src/report/noticeContent.js';
import { loadNoticeTemplate, type NoticeTemplate } from '../../src/report/noticeTemplate.js';
import { readDocxText, readZipEntries } from '../helpers/readBack.js';
import { jyj, makeReport, mzj, rsj } from './fixtures.js';

const report = makeReport();
let template: NoticeTemplate;

beforeAll(() => {
  template = loadNoticeTemplate();
});

async function noticeText(unit = rsj, rep = report): Promise<string[]> {
  return readDocxText(await renderNoticeDocx(rep, unit, template));
}

function includesText(paragraphs: string[], text: string): boolean {
  return paragraphs.some((p) => p.includes(text));
}

describe('renderNoticeDocx', () => {
  it('is laid out as an official letter', async () => {
    const paragraphs = await noticeText(rsj);
    expect(paragraphs[0]).toBe('示范区人民政府办公室');
    // The title in two balanced lines, broken after the unit name; no 文号 placeholder without a 文号.
    expect(paragraphs[1]).toBe('关于示范区人力资源和社会保障局\n政府网站问题整改的通知');
    expect(paragraphs.join('')).not.toMatch(/〔\s*〕|第\s*号/);
    expect(paragraphs[2]).toBe('示范区人力资源和社会保障局：');
    expect(paragraphs[3]).toContain('2026年11月24日');
    expect(paragraphs[3]).toContain('得分0分，等级为“不合格”，在3家单位中排名第3位');
    expect(paragraphs[3]).toContain('单项否决情形：泄露个人隐私（2 处未脱敏个人信息）');
  });

  it('follows GB/T 9704: red 标志 and line, 文号, 仿宋 三号, page numbers, 附件, 落款, 版记', async () => {
    const withNumber = makeReport({ notice: { ...report.notice, docNumber: '示政办〔2026〕12号' } });
    const buf = await renderNoticeDocx(withNumber, rsj, template);
    const paragraphs = await readDocxText(buf);
    expect(paragraphs.slice(0, 3)).toEqual([
      '示范区人民政府办公室',
      '示政办〔2026〕12号',
      '关于示范区人力资源和社会保障局\n政府网站问题整改的通知',
    ]);
    const entries = await readZipEntries(buf);
    const xml = entries.get('word/document.xml') ?? '';
    // The 标志 run is red; the line under the 文号 is a red bottom border.
    const mark = /<w:r>(?:(?!<\/w:r>)[\s\S])*示范区人民政府办公室<\/w:t><\/w:r>/.exec(xml)?.[0] ?? '';
    expect(mark).toContain('<w:color w:val="FF0000"/>');
    expect(xml).toMatch(/<w:bottom w:val="single" w:color="FF0000"/);
    // Body 仿宋 三号 (sz 32) on a 28 × 22 grid.
    const styles = entries.get('word/styles.xml') ?? '';
    expect(styles).toContain('w:eastAsia="仿宋"');
    expect(xml).toContain('<w:sz w:val="32"/>');
    expect(xml).toMatch(/<w:docGrid [^>]*w:type="linesAndChars"/);
    expect(xml).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588"/);
    // Page numbers — n — in odd and even footers, outer edge.
    const footers = [...entries].filter(([name]) => /^word\/footer\d+\.xml$/.test(name)).map(([, x]) => x);
    expect(footers).toHaveLength(2);
    for (const footer of footers) expect(footer).toMatch(/PAGE[\s\S]*— <\/w:t>|— [\s\S]*PAGE/);
    expect(footers.map((f) => /<w:jc w:val="(right|left)"\/>/.exec(f)?.[1]).sort()).toEqual([
      'left',
      'right',
    ]);
    expect(entries.get('word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
    // 附件 line after 特此通知, then the 落款 with the date 4 characters in, the issuer centred over it.
    const closing = paragraphs.indexOf('特此通知。');
    expect(paragraphs[closing + 1]).toBe('附件：整改情况回执');
    expect(paragraphs[closing + 2]).toBe('示范区人民政府办公室（政务公开办）');
    expect(xml).toMatch(/<w:ind w:right="(\d+)"\/>(?:(?!<\/w:p>)[\s\S])*2026年11月24日</);
    const dateIndent = /<w:ind w:right="(\d+)"\/>(?:(?!<\/w:p>)[\s\S])*2026年11月24日</.exec(xml)?.[1];
    expect(Number(dateIndent)).toBeGreaterThanOrEqual(4 * 320);
    // The 回执 is the 附件, and the 版记 closes the document.
    expect(paragraphs[paragraphs.indexOf('整改情况回执') - 1]).toBe('附件');
    expect(paragraphs.slice(-2)).toEqual([
      '抄送：县政府督查室。',
      '示范区人民政府办公室\t2026年11月24日印发',
    ]);
  });

  it('words a notice to a government without “政府政府网站”', async () => {
    const self = { ...rsj, name: '示范区人民政府' };
    const paragraphs = await noticeText(self, makeReport({ units: [self] }));
    expect(paragraphs[1]).toBe('关于示范区人民政府门户网站问题整改的通知');
    expect(paragraphs.join('')).not.toContain('政府政府');
  });

  it('lists every problem URL with its masked evidence, grouped by category', async () => {
    const paragraphs = await noticeText(rsj);
    for (const finding of rsj.findings) {
      expect(paragraphs).toContain(finding.url);
      expect(paragraphs).toContain(finding.evidence);
      expect(paragraphs).toContain(finding.location);
    }
    const headings = paragraphs.filter((p) => /^（[一二三四五]）/.test(p));
    expect(headings).toEqual(['（一）链接可用性（1项）', '（二）个人信息保护（2项）']);
    expect(paragraphs).toEqual(expect.arrayContaining(['序号', '问题', '网址', '位置', '证据（已脱敏）']));
    // Each 依据 once, under its category's table.
    const bases = paragraphs.filter((p) => p.startsWith('依据：'));
    expect(bases.sort()).toEqual([...new Set(rsj.findings.map((f) => `依据：${f.basis}`))].sort());
  });

  it('numbers problems continuously across category tables', async () => {
    const paragraphs = await noticeText(rsj);
    const firstUrl = paragraphs.indexOf(rsj.findings[2]?.url ?? '');
    expect(paragraphs[firstUrl - 2]).toBe('1');
    const lastUrl = paragraphs.indexOf(rsj.findings[1]?.url ?? '');
    expect(paragraphs[lastUrl - 2]).toBe('3');
  });

  it('lists fail and warn findings only, marking hints', async () => {
    const paragraphs = await noticeText(mzj);
    expect(paragraphs).toContain('（提示）页面缺少 SiteIDCode 元数据');
    expect(paragraphs).toContain('<meta name="SiteName" content="示范区民政局"> & 无 SiteIDCode');
    const reviewed = mzj.findings.find((f) => f.outcome === 'needs-review');
    expect(includesText(paragraphs, reviewed?.message ?? '?')).toBe(false);
    const errored = await noticeText(jyj);
    expect(includesText(errored, '附件解析失败')).toBe(false);
  });

  it('gives each advice text once, then the deadline and the issuer', async () => {
    const paragraphs = await noticeText(rsj);
    const advice = paragraphs.filter((p) => /^\d．/.test(p));
    expect(advice).toEqual([
      '1．请逐一修复或删除无法访问的链接，并建立链接定期检测机制。',
      '2．请立即撤下或脱敏处理含个人信息的页面和附件，并排查同类问题。',
    ]);
    expect(includesText(paragraphs, '请于2026年12月8日前（10个工作日内）完成整改')).toBe(true);
    const issuerAt = paragraphs.indexOf('示范区人民政府办公室（政务公开办）');
    expect(issuerAt).toBeGreaterThan(paragraphs.indexOf('特此通知。'));
    expect(paragraphs[issuerAt + 1]).toBe('2026年11月24日');
  });

  it('ends with a 回执 on a new page', async () => {
    const buf = await renderNoticeDocx(report, rsj, template);
    const paragraphs = await readDocxText(buf);
    const receiptAt = paragraphs.indexOf('整改情况回执');
    expect(receiptAt).toBeGreaterThan(paragraphs.indexOf('特此通知。'));
    expect(paragraphs.slice(receiptAt)).toEqual(
      expect.arrayContaining([
        '单位名称',
        '示范区人力资源和社会保障局',
        '整改情况（已整改/未整改问题数）',
        '共3个问题（另有提示0条），已整改    个，未整改    个',
        '联系人',
        '联系电话',
        '负责人签字',
        '日期',
      ]),
    );
    const xml = (await readZipEntries(buf)).get('word/document.xml') ?? '';
    expect(xml).toContain('<w:pageBreakBefore/>');
    expect(xml).toContain('仿宋');
    expect(xml).toContain('方正小标宋简体');
  });

  it('notes pending figures only when some are unverified', async () => {
    expect(includesText(await noticeText(rsj), '尚待核实')).toBe(true);
    expect(includesText(await noticeText(rsj, makeReport({ unverified: [] })), '尚待核实')).toBe(false);
  });

  it('dates the letter with the issue date when the report has one', async () => {
    const paragraphs = await noticeText(
      rsj,
      makeReport({ notice: { ...report.notice, issueDate: '2026-11-26' } }),
    );
    expect(paragraphs[paragraphs.indexOf('示范区人民政府办公室（政务公开办）') + 1]).toBe('2026年11月26日');
  });

  it('uses the template issuer when the report has none', async () => {
    const paragraphs = await noticeText(rsj, makeReport({ notice: { ...report.notice, issuer: ' ' } }));
    expect(paragraphs).toContain(template.issuer);
  });

  it('renders a unit without findings', async () => {
    const clean = { ...jyj, findings: [], counts: {} };
    const paragraphs = await noticeText(clean);
    expect(paragraphs).toContain(template.noProblems);
    expect(paragraphs).toContain('共0个问题（另有提示0条），已整改    个，未整改    个');
  });

  it('drops characters XML forbids', async () => {
    const dirty = {
      ...rsj,
      findings: rsj.findings.map((f) => ({ ...f, evidence: `${f.evidence}\u000b\u0001!` })),
    };
    const paragraphs = await noticeText(dirty, makeReport({ units: [dirty] }));
    expect(paragraphs).toContain(`${rsj.findings[0]?.evidence ?? ''}  !`);
  });

  it('contains no unmasked ID or mobile number in any part', async () => {
    for (const unit of [mzj, jyj, rsj]) {
      const entries = await readZipEntries(await renderNoticeDocx(report, unit, template));
      for (const [name, xml] of entries) {
        expect(xml, name).not.toMatch(/(?<!\d)\d{17}[\dXx](?!\d)/);
        expect(xml, name).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
      }
    }
  });
});

describe('巡查结果概要', () => {
  it('states score, grade with the veto that caused it, rank and counts up front', async () => {
    const rows = noticeContent(report, rsj, template).summary.rows;
    const count = (o: string) => rsj.findings.filter((f) => f.outcome === o).length;
    expect(rows).toEqual([
      ['得分', '0分'],
      ['等级', '不合格（因单项否决直接认定：泄露个人隐私（2 处未脱敏个人信息））'],
      ['排名', '第3位（共3家单位）'],
      ['发现问题', `问题${count('fail')}项，提示${count('warn')}项，需人工复核${count('needs-review')}项`],
    ]);
    const paragraphs = await noticeText(rsj);
    expect(paragraphs.indexOf('巡查结果概要')).toBe(4);
  });

  it('gives the change since the previous run', () => {
    const unit = { ...mzj, previous: { rank: 1, score: 95, problems: 4 }, opened: 1, closed: 3 };
    const rep = makeReport({ units: [unit], previousInspectionDate: '2026-10-24' });
    const rows = noticeContent(rep, unit, template).summary.rows;
    expect(rows.find(([label]) => label === '与上次巡查相比')?.[1]).toMatch(
      /^上次（2026年10月24日）得分95分、第1位；得分(上升|下降)[\d.]+分|持平/,
    );
  });
});

describe('grouped findings', () => {
  const roster = 'http://mzj.sfq.example.gov.cn/attach/dbdx_mingdan.xlsx';
  const fields = [
    ['id-card', '公开内容含未脱敏的身份证号', '350581********3910'],
    ['mobile', '公开内容含未脱敏的手机号码', '199****1003'],
    ['address', '公开内容含未脱敏的具体住址', '示范区北岭乡上坂村***'],
  ] as const;
  const base = rsj.findings.find((f) => f.checkId === 'personal-data-exposure')!;
  const people = Array.from({ length: 50 }, (_, i) => i + 3).flatMap((row) =>
    fields.map(([kind, message, evidence]) => ({
      ...base,
      kind,
      message,
      url: roster,
      location: `工作表「低保对象名单」第${row}行`,
      evidence,
    })),
  );
  const unit = { ...rsj, findings: people };
  const rep = makeReport({ units: [unit] });

  it('gives a 50-person roster one row, its 依据 once and the details in an annex', async () => {
    const content = noticeContent(rep, unit, template);
    const rows = content.sections.flatMap((s) => s.rows);
    expect(rows).toEqual([
      [
        '1',
        '附件公开了未脱敏的个人信息',
        roster,
        '工作表「低保对象名单」',
        '第3–52行共50人：身份证号、手机号码、具体住址（明细见附件2）',
      ],
    ]);
    expect(content.sections.flatMap((s) => s.bases)).toEqual([`依据：${base.basis}`]);
    expect(content.attachment).toEqual(['附件：1. 整改情况回执', '2. 个人信息保护问题明细（已脱敏）']);
    expect(content.annexes).toHaveLength(1);
    expect(content.annexes[0]!.rows).toHaveLength(50);
    expect(content.annexes[0]!.rows[0]).toEqual([
      '1',
      roster,
      '工作表「低保对象名单」第3行',
      '身份证号：350581********3910；手机号码：199****1003；具体住址：示范区北岭乡上坂村***',
    ]);
    const paragraphs = await readDocxText(await renderNoticeDocx(rep, unit, template));
    expect(paragraphs).toContain('附件2');
    expect(paragraphs).toContain('个人信息保护问题明细（已脱敏）');
  });

  it('says how many places when the locations give no rows', () => {
    const spots = people.slice(0, 3).map((f, i) => ({ ...f, location: `正文第 ${i + 1} 段` }));
    expect(personalDataSummary(spots)).toEqual({
      place: '3处',
      summary: '3处：身份证号、手机号码、具体住址',
    });
    expect(rowRanges([8, 3, 4, 5, 10, 11])).toBe('第3–5、8、10–11行');
  });

  it('links every web address in the DOCX', async () => {
    const entries = await readZipEntries(await renderNoticeDocx(report, rsj, template));
    const rels = entries.get('word/_rels/document.xml.rels') ?? '';
    for (const f of rsj.findings) expect(rels).toContain(`Target="${f.url}" TargetMode="External"`);
    expect(entries.get('word/document.xml')).toContain('<w:hyperlink');
  });
});

describe('notice helpers', () => {
  it('formats dates and numerals the Chinese way', () => {
    expect(formatChineseDate('2026-12-08')).toBe('2026年12月8日');
    expect(formatChineseDate('soon')).toBe('soon');
    expect([1, 5, 10, 12, 20, 25].map(chineseNumeral)).toEqual(['一', '五', '十', '十二', '二十', '二十五']);
  });
});

describe('loadNoticeTemplate', () => {
  const original = readFileSync('reports/templates/notice.yaml', 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-notice-'));

  function loadVariant(name: string, edit: (yaml: string) => string): () => NoticeTemplate {
    const file = join(dir, name);
    writeFileSync(file, edit(original));
    return () => loadNoticeTemplate(file);
  }

  it('loads the shipped template', () => {
    expect(template.title).toBe('关于{unit}政府网站问题整改的通知');
    expect(template.issuer).toBe('示范区人民政府办公室（政务公开办）');
    expect(template.outcomes).toEqual(['fail', 'warn']);
    expect(template.docNumber).toBeUndefined();
  });

  it('takes a 文号 of the GB/T 9704 pattern only', () => {
    const set = (value: string) => (y: string) => y.replace(/^# docNumber: .*$/m, `docNumber: ${value}`);
    expect(loadVariant('number.yaml', set('示政办〔2026〕12号'))().docNumber).toBe('示政办〔2026〕12号');
    expect(loadVariant('placeholder-number.yaml', set('〔    〕第    号'))).toThrow(
      /placeholder-number\.yaml:\d+ 字段 docNumber：文号格式应为/,
    );
  });

  it('names the file and field of an empty value', () => {
    const load = loadVariant('empty.yaml', (y) => y.replace(/^title: .*$/m, "title: ''"));
    expect(load).toThrow(/empty\.yaml:\d+ 字段 title：必须是非空字符串/);
  });

  it('names a missing field', () => {
    const load = loadVariant('missing.yaml', (y) => y.replace(/^closing: .*$/m, ''));
    expect(load).toThrow(/missing\.yaml 字段 closing：缺少该字段/);
  });

  it('names a nested field', () => {
    const load = loadVariant('nested.yaml', (y) => y.replace(/^ {2}phone: .*$/m, '  phone: 42'));
    expect(load).toThrow(/字段 receipt\.phone：必须是非空字符串/);
  });

  it('rejects unknown fields, outcomes and placeholders', () => {
    expect(loadVariant('typo.yaml', (y) => y.replace(/^closing:/m, 'closeing:'))).toThrow(
      /typo\.yaml:\d+ 字段 closeing：未知字段/,
    );
    expect(
      loadVariant('outcome.yaml', (y) => y.replace('outcomes: [fail, warn]', 'outcomes: [fail, wran]')),
    ).toThrow(/字段 outcomes\[1\]：必须是 fail、warn、needs-review、error 之一/);
    expect(loadVariant('placeholder.yaml', (y) => y.replace(/^(intro: .*)\{score\}/m, '$1{points}'))).toThrow(
      /字段 intro：未知占位符 \{points\}，可用占位符：\{unit\}/,
    );
  });

  it('reports YAML syntax errors and missing files in Chinese', () => {
    expect(loadVariant('broken.yaml', (y) => `${y}\nreceipt: [unclosed\n`)).toThrow(/YAML 格式错误/);
    expect(() => loadNoticeTemplate(join(dir, 'nope.yaml'))).toThrow(/nope\.yaml：文件不存在/);
    expect(loadVariant('list.yaml', () => '- title\n')).toThrow(
      /list\.yaml 字段 （根）：必须是“字段: 值”形式的映射/,
    );
  });
});
