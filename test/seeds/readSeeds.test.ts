import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SEED_BYTES, parseSeedText, readSeeds, seedErrorAt } from '../../src/seeds/readSeeds.js';
import { ConfigError } from '../../src/config/yamlFile.js';
import { SeedsError } from '../../src/seeds/seedProblems.js';

const GOOD = `units:
  - id: qzf
    name: 示范区人民政府
    level: 区县政府
    start: ["http://127.0.0.1:8080/"]
  - id: mzj
    name: 示范区民政局
    level: 部门
    parent: qzf
    start: ["http://127.0.0.1:8081/"]
    catalogues:
      - domain: 社会救助
        url: http://127.0.0.1:8081/xxgk/shjz/ml.html
`;

function errorOf(text: string, file = 'units.yaml'): ConfigError {
  try {
    parseSeedText(text, file);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('seed files', () => {
  it('reads units with parents and catalogue URLs', () => {
    const units = parseSeedText(GOOD, 'units.yaml');
    expect(units.map((u) => u.id)).toEqual(['qzf', 'mzj']);
    expect(units[1]).toMatchObject({ parent: 'qzf', catalogues: [{ domain: '社会救助' }], hosts: [] });
  });

  it('names the line and field of a bad URL, in Chinese', () => {
    const err = errorOf(GOOD.replace('start: ["http://127.0.0.1:8081/"]', 'start: ["127.0.0.1:8081"]'));
    expect(err.line).toBe(10);
    expect(err.field).toBe('units[1].start[0]');
    expect(err.message).toMatch(/^units\.yaml:10 字段 units\[1\]\.start\[0\]：必须是 http/);
  });

  it('names a missing required field', () => {
    const err = errorOf(GOOD.replace('    level: 部门\n', ''));
    expect(err.field).toBe('units[1].level');
    expect(err.line).toBe(6);
    expect(err.message).toContain('缺失');
  });

  it('reports YAML syntax errors with their line', () => {
    const err = errorOf('units:\n  - id: a\n    name: [unclosed\n');
    expect(err.line).toBeGreaterThanOrEqual(3);
    expect(err.message).toContain('YAML 语法错误');
  });

  it('rejects duplicate ids and unknown parents', () => {
    expect(errorOf(GOOD.replace('id: mzj', 'id: qzf')).message).toContain('重复');
    expect(errorOf(GOOD.replace('parent: qzf', 'parent: nobody')).message).toContain('上级单位 "nobody"');
  });

  it('reads CSV and names the line of a bad row', () => {
    const csv =
      'id,name,level,parent,start,catalogues,contact\nqzf,示范区人民政府,区县政府,,http://127.0.0.1:1/,,\nmzj,示范区民政局,部门,qzf,ftp://x,,\n';
    const err = errorOf(csv, 'units.csv');
    expect(err.message).toMatch(/^units\.csv:3 列「start」：必须是 http/);
    const ok = parseSeedText(csv.replace('ftp://x', 'http://127.0.0.1:2/|http://127.0.0.1:3/'), 'units.csv');
    expect(ok[1]!.startUrls).toHaveLength(2);
  });

  it('refuses a seed file above the size limit before reading it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-seeds-'));
    const big = join(dir, 'units.yaml');
    // Sparse: 100 MB on paper, nothing on disk; reading it whole would exhaust V8's heap.
    writeFileSync(big, '');
    truncateSync(big, 100 * 1024 * 1024);
    expect(() => readSeeds(big)).toThrow(
      `${big} 字段 (根)：文件大小 100.0 MB，超过种子文件 ${(MAX_SEED_BYTES / 1024 / 1024).toFixed(1)} MB 上限`,
    );
    writeFileSync(
      join(dir, 'small.csv'),
      'id,name,level,start\nqzf,示范区人民政府,区县政府,http://127.0.0.1:1/\n',
    );
    expect(readSeeds(join(dir, 'small.csv'))).toHaveLength(1);
    expect(() => readSeeds(join(dir, 'small.csv'), 10)).toThrow(/超过种子文件 0\.0 MB 上限/);
    expect(() => readSeeds(dir)).toThrow('不是普通文件');
  });

  it('says what a bad CSV value is', () => {
    const err = errorOf('id,name,level,start\nqzf,,区县政府,http://127.0.0.1:1/\n', 'units.csv');
    expect(err.message).toBe('units.csv:2 列「name」：单位名称不能为空，实际为 ""');
  });

  it('lists every error of a YAML file, a misspelt key beside the field it was meant as', () => {
    const text = GOOD.replace('    level: 区县政府\n', '    levle: 区县政府\n').replace(
      'url: http://127.0.0.1:8081/xxgk/shjz/ml.html',
      'url: 127.0.0.1:8081/ml.html',
    );
    const err = errorOf(text);
    expect(err).toBeInstanceOf(SeedsError);
    expect((err as SeedsError).problems.map((p) => p.message)).toEqual([
      'units.yaml:2 字段 units[0].level：应为 string，实际为 缺失（另有未知字段 levle，是否拼写错误？）',
      'units.yaml:13 字段 units[1].catalogues[0].url：必须是 http:// 或 https:// 开头的完整网址，实际为 "127.0.0.1:8081/ml.html"',
    ]);
    expect(err.message).toMatch(/^种子文件 units\.yaml 有 2 处错误：\n {2}units\.yaml:2 /);
  });

  it('reads the demo county and the example county as before', () => {
    const demo = readFileSync('seeds/demo/units.yaml', 'utf8').replace(
      /\{\{origin:(\w+)\}\}/g,
      'http://127.0.0.1:9/$1',
    );
    const units = parseSeedText(demo, 'seeds/demo/units.yaml');
    expect(units.map((u) => u.id)).toEqual([...demo.matchAll(/^ {2}- id: (\S+)$/gm)].map((m) => m[1]));
    expect(units[1]).toMatchObject({ id: 'mzj', parent: 'qzf', hosts: [], paths: [] });
    expect(readSeeds('seeds/example-county.yaml').length).toBeGreaterThan(0);
  });

  it('locates an error found after reading (a catalogue domain) where the unit wrote it', () => {
    const yaml = parseSeedText(GOOD, 'units.yaml');
    expect(seedErrorAt('units.yaml', yaml[1]!, ['catalogues', 0, 'domain'], '领域不存在').message).toBe(
      'units.yaml:12 字段 units[1].catalogues[0].domain：领域不存在',
    );
    const csv = parseSeedText(
      'name,level,start,标准目录\n某局,部门,http://127.0.0.1:1/,社会救济=http://127.0.0.1:1/ml.html\n',
      'units.csv',
    );
    expect(seedErrorAt('units.csv', csv[0]!, ['catalogues', 0, 'domain'], '领域不存在').message).toBe(
      'units.csv:2 列「标准目录」：领域不存在',
    );
    expect(seedErrorAt('units.csv', { ...csv[0]! }, ['catalogues'], '领域不存在').message).toBe(
      'units.csv 字段 (根)：领域不存在',
    );
  });
});

describe('pinned 专栏 parts', () => {
  it('reads disclosure pins from YAML and from a table column, as full URLs', () => {
    const [yaml] = parseSeedText(
      'units:\n  - name: 示范区民政局\n    level: 部门\n    start: ["http://www.xx.gov.cn/zwgk/bm/mzj/"]\n    disclosure:\n      guide: /zwgk/bm/mzj/zn.html\n      request: http://ysq.xx.gov.cn/apply\n',
      'units.yaml',
    );
    expect(yaml!.disclosure).toEqual({
      guide: 'http://www.xx.gov.cn/zwgk/bm/mzj/zn.html',
      request: 'http://ysq.xx.gov.cn/apply',
    });
    const [csv] = parseSeedText(
      '单位名称,级别,网址,公开专栏\n示范区民政局,部门,http://www.xx.gov.cn/mzj/,"指南=/mzj/zn.html|依申请公开=/ysq/"\n',
      'units.csv',
    );
    expect(csv!.disclosure).toEqual({
      guide: 'http://www.xx.gov.cn/mzj/zn.html',
      request: 'http://www.xx.gov.cn/ysq/',
    });
  });

  it('names an unknown part with its line', () => {
    expect(() =>
      parseSeedText(
        'units:\n  - name: 民政局\n    level: 部门\n    start: ["http://a.gov.cn/"]\n    disclosure:\n      manual: /zn.html\n',
        'units.yaml',
      ),
    ).toThrow(/units\.yaml:6 字段 units\[0\]\.disclosure\.manual：未知字段 manual/);
  });
});
