import { describe, expect, it } from 'vitest';
import { parseSeedText } from '../../src/seeds/readSeeds.js';
import { ConfigError } from '../../src/config/yamlFile.js';

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
    expect(err.message).toMatch(/^units\.csv:3 字段 start/);
    const ok = parseSeedText(csv.replace('ftp://x', 'http://127.0.0.1:2/|http://127.0.0.1:3/'), 'units.csv');
    expect(ok[1]!.startUrls).toHaveLength(2);
  });
});
