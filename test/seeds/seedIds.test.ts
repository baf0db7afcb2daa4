import { describe, expect, it } from 'vitest';
import { inspectSeedText, parseSeedText } from '../../src/seeds/readSeeds.js';
import { generateIds, idFromName, idProblem } from '../../src/seeds/seedIds.js';
import { SeedsError } from '../../src/seeds/seedProblems.js';

function problemsOf(text: string, file: string): string[] {
  try {
    parseSeedText(text, file);
  } catch (err) {
    if (err instanceof SeedsError) return err.problems.map((p) => p.message);
    throw err;
  }
  throw new Error('expected a SeedsError');
}

describe('unit ids', () => {
  it('are generated from the name when absent: stable, file-name safe, numbered on collision in file order', () => {
    expect(idFromName(' 示范区 民政局\u3000')).toBe('示范区民政局');
    expect(idFromName('示范区财政局/国资办: "一办"')).toBe('示范区财政局_国资办__一办_');
    expect(idFromName('很长'.repeat(40))).toHaveLength(64);
    expect(generateIds(['党政办', '党政办', '民政局', '党政办'], new Set(['民政局']))).toEqual([
      '党政办',
      '党政办-2',
      '民政局-2',
      '党政办-3',
    ]);
    const long = generateIds(['长'.repeat(70), '长'.repeat(70)], new Set());
    expect(long[1]).toBe(`${'长'.repeat(62)}-2`);
    const csv =
      'name,level,start\n城关镇党政办,乡镇,https://a.example.gov.cn/\n城关镇党政办,乡镇,https://b.example.gov.cn/\n';
    const first = parseSeedText(csv, 'units.csv').map((u) => u.id);
    expect(first).toEqual(['城关镇党政办', '城关镇党政办-2']);
    // The same list read again gives the same ids (batches are compared by id).
    expect(parseSeedText(csv, 'units.csv').map((u) => u.id)).toEqual(first);
  });

  it('never takes an id written in the file', () => {
    const yaml = `units:
  - name: 示范区民政局
    level: 部门
    start: [https://a.example.gov.cn/]
  - id: 示范区民政局
    name: 示范区民政局（老站）
    level: 部门
    start: [https://b.example.gov.cn/]
`;
    expect(parseSeedText(yaml, 'units.yaml').map((u) => u.id)).toEqual(['示范区民政局-2', '示范区民政局']);
  });

  it('may be Chinese, and are refused with line and field when unsafe in a file name or too long', () => {
    expect(idProblem('民政局')).toBeUndefined();
    expect(idProblem('mzj_01')).toBeUndefined();
    for (const bad of ['a/b', 'a\\b', 'C:', 'a*', 'a?', 'a"b', '<a>', 'a|b', 'a\tb', '..'])
      expect(idProblem(bad), bad).toBeDefined();
    expect(idProblem('长'.repeat(65))).toMatch(/最多 64 个字符/);
    const yaml = `units:
  - id: 民政/扶贫
    name: 示范区民政局
    level: 部门
    start: [https://a.example.gov.cn/]
  - id: ${'长'.repeat(65)}
    name: 示范区财政局
    level: 部门
    start: [https://b.example.gov.cn/]
`;
    expect(problemsOf(yaml, 'units.yaml')).toEqual([
      'units.yaml:2 字段 units[0].id：单位标识不能包含 / \\ : * ? " < > | 或控制字符（会用作文件名），此处含有“/”，实际为 "民政/扶贫"',
      expect.stringMatching(/^units\.yaml:6 字段 units\[1\]\.id：单位标识最多 64 个字符，实际为 "长长/),
    ]);
    expect(problemsOf('id,name,level,start\na:b,某局,部门,https://a.example.gov.cn/\n', 'units.csv')).toEqual(
      [
        'units.csv:2 列「id」：单位标识不能包含 / \\ : * ? " < > | 或控制字符（会用作文件名），此处含有“:”，实际为 "a:b"',
      ],
    );
  });

  it('repeated ids are named at the later unit, with the earlier line', () => {
    const csv =
      'id,name,level,start\nmzj,甲,部门,https://a.example.gov.cn/\nmzj,乙,部门,https://b.example.gov.cn/\n';
    expect(problemsOf(csv, 'units.csv')).toEqual([
      'units.csv:3 列「id」：单位标识 "mzj" 重复，与前面的单位相同（第 2 行）',
    ]);
  });
});

describe('parents', () => {
  const header = 'id,name,level,parent,start';
  it('may be given by id or by name; ambiguous, unknown, self and circular parents are errors', () => {
    const ok = parseSeedText(
      `${header}\nqzf,示范区人民政府,区县政府,,https://www.example.gov.cn/\n,示范区民政局,部门,示范区人民政府,https://mzj.example.gov.cn/\n,低保中心,事业单位,示范区民政局,https://mzj.example.gov.cn/dbzx/\n`,
      'units.csv',
    );
    expect(ok.map((u) => u.parent)).toEqual([undefined, 'qzf', '示范区民政局']);
    const bad = `${header}
,党政办,乡镇,,https://a.example.gov.cn/
,党政办,乡镇,,https://b.example.gov.cn/
,某站,部门,党政办,https://c.example.gov.cn/
,甲,部门,甲,https://d.example.gov.cn/
,乙,部门,丙,https://e.example.gov.cn/
,丙,部门,乙,https://f.example.gov.cn/
`;
    expect(problemsOf(bad, 'units.csv')).toEqual([
      'units.csv:4 列「parent」：上级单位「党政办」有 2 个同名单位，请改写为上级单位的标识',
      'units.csv:5 列「parent」：上级单位不能是本单位',
      'units.csv:6 列「parent」：上级单位形成循环：乙 → 丙 → 乙',
    ]);
    expect(inspectSeedText(bad, 'units.csv').problems.filter((p) => p.severity === 'warning')).toHaveLength(
      1,
    );
  });
});

describe('paths and hosts', () => {
  it('stores paths as full URL prefixes, relative ones on the first start URL’s site', () => {
    const yaml = `units:
  - name: 示范区民政局
    level: 部门
    start: https://www.example.gov.cn:8443/zwgk/bm/mzj/index.html
    hosts: [MZJ.Example.gov.cn, "www.example.gov.cn:443", "https://old.example.gov.cn/x/"]
    paths:
      - /xwzx/mzdt/
      - https://WWW.example.gov.cn/ztzl/shjz/#top
`;
    const [unit] = parseSeedText(yaml, 'units.yaml');
    expect(unit!.startUrls).toEqual(['https://www.example.gov.cn:8443/zwgk/bm/mzj/index.html']);
    expect(unit!.paths).toEqual([
      'https://www.example.gov.cn:8443/xwzx/mzdt/',
      'https://www.example.gov.cn/ztzl/shjz/',
    ]);
    expect(unit!.hosts).toEqual(['mzj.example.gov.cn', 'www.example.gov.cn', 'old.example.gov.cn']);
    expect(parseSeedText(yaml.replace(/ {4}paths:[\s\S]*/, ''), 'units.yaml')[0]!.paths).toEqual([]);
  });

  it('refuses a path that is neither /… nor a full URL, and a host with a path', () => {
    const yaml = `units:
  - name: 示范区民政局
    level: 部门
    start: [https://www.example.gov.cn/]
    hosts: [www.example.gov.cn/mzj]
    paths: [xwzx/mzdt/, //cdn.example.gov.cn/]
`;
    expect(problemsOf(yaml, 'units.yaml')).toEqual([
      expect.stringMatching(/^units\.yaml:5 字段 units\[0\]\.hosts\[0\]：应为主机名或“主机名:端口”/),
      expect.stringMatching(
        /^units\.yaml:6 字段 units\[0\]\.paths\[0\]：应为以 \/ 开头的路径.*实际为 "xwzx\/mzdt\/"/,
      ),
      expect.stringMatching(
        /^units\.yaml:6 字段 units\[0\]\.paths\[1\]：.*实际为 "\/\/cdn\.example\.gov\.cn\/"/,
      ),
    ]);
  });
});
