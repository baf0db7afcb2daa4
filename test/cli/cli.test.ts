import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { runCli } from '../helpers/cli.js';

let site: RunningSite;
let dir: string;

beforeAll(async () => {
  site = await startSiteServer({ dir: 'test/fixtures/sites/basic' });
  dir = mkdtempSync(join(tmpdir(), 'xuncha-cli-'));
});
afterAll(() => site.close());

describe('xuncha CLI', () => {
  it('prints Chinese help', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('用法：');
    expect(r.stdout).toContain('完整巡查');
  });

  it('stops on a malformed seed file with file, line and field, and crawls nothing', async () => {
    const seeds = join(dir, 'bad.yaml');
    writeFileSync(
      seeds,
      `units:\n  - id: a\n    name: 甲单位\n    level: 部门\n    start: ["${site.origin}/"]\n  - id: b\n    name: 乙单位\n    start: ["${site.origin}/list/index.html"]\n`,
    );
    site.requests.length = 0;
    const db = join(dir, 'bad.db');
    const r = await runCli(['run', '--seeds', seeds, '--db', db, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${seeds}:6 字段 units[1].level：应为 string，实际为 缺失`);
    expect(site.requests).toHaveLength(0);
    // Validated before the store is opened: not even an empty database is left behind.
    expect(existsSync(db)).toBe(false);
  });

  it('answers usage mistakes in Chinese with exit code 2', async () => {
    const missing = await runCli(['run']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('错误：缺少必需的选项 --seeds <file>');
    const unknown = await runCli(['run', '--seeds', 'x.yaml', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('错误：未知选项 --bogus');
    const command = await runCli(['rn']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/错误：未知命令 rn\n（是否想输入 run？）/);
    expect(missing.stderr + unknown.stderr + command.stderr).not.toMatch(/error:|Did you mean/);
  });

  it('re-runs one stage from the store and names unknown runs clearly', async () => {
    const r = await runCli(['check', '--run', '99', '--db', join(dir, 'empty.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('找不到巡查批次 99');
  });
});
