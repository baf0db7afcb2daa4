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

  it('refuses a --doc-number that is not a 发文字号, before crawling', async () => {
    const seeds = join(dir, 'dn.yaml');
    writeFileSync(
      seeds,
      `units:\n  - id: a\n    name: 甲单位\n    level: 部门\n    start: ["${site.origin}/"]\n`,
    );
    site.requests.length = 0;
    const r = await runCli([
      'run',
      '--seeds',
      seeds,
      '--doc-number',
      '〔 〕第 号',
      '--db',
      join(dir, 'dn.db'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('参数 --doc-number 无效：应为“机关代字〔年份〕序号号”，如 示政办〔2026〕12号');
    expect(site.requests).toHaveLength(0);
  });

  it('answers usage mistakes of every subcommand in Chinese with exit code 2', async () => {
    const cases: [string[], string][] = [
      [['scan', '--bogus', 'a.pdf'], '错误：未知选项 --bogus'],
      [['scan'], '错误：缺少必需的参数「file|dir|url」'],
      [['review', 'list', '--bogus'], '错误：未知选项 --bogus'],
      [['review', 'list', 'extra'], '错误：参数过多（应为 0 个，实际 1 个）'],
      [['review', 'dismiss'], '错误：缺少必需的参数「编号」'],
      [['review', 'bogus'], '错误：未知命令 bogus'],
      [['seeds', 'check', '--bogus'], '错误：未知选项 --bogus'],
      [['catalogue', '--json'], '错误：缺少必需的参数「file-or-url」'],
      [['extract', '--bogus', 'x.html'], '错误：未知选项 --bogus'],
      [['recheck', '--db'], '错误：选项 --db <file> 缺少取值'],
      [['probe', '--seeds', 'x.yaml', '--bogus'], '错误：未知选项 --bogus'],
      [['demo', 'extra'], '错误：参数过多（应为 0 个，实际 1 个）'],
      [
        ['run', '--seeds', 'x.yaml', '--render', 'sometimes'],
        '错误：选项 --render <mode> 的取值「sometimes」无效，可选：auto、never、always',
      ],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach((r, i) => {
      const [args, message] = cases[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stderr, args.join(' ')).toContain('（使用 --help 查看帮助）');
      expect(r.stderr, args.join(' ')).not.toMatch(/error:|Did you mean|Allowed choices|[Uu]sage/);
    });
  }, 120_000);

  it('lists only its own options in each subcommand’s help, in Chinese', async () => {
    const review = await runCli(['review', 'list', '--help']);
    expect(review.code).toBe(0);
    expect(review.stdout).toContain('用法：xuncha review list [选项]');
    expect(review.stdout).toContain('--unit <id>');
    // The store is all review reads: no report directory, rules or issuer.
    expect(review.stdout).not.toMatch(/--out|--rules|--issuer/);
    const scan = await runCli(['scan', '--help']);
    expect(scan.stdout).not.toMatch(/--db|--out|help \[命令\]|命令：/);
    const run = await runCli(['run', '--help']);
    expect(run.stdout).toContain('（可选：auto、never、always）');
    expect(run.stdout).toContain('（默认：reports/out）');
    const top = await runCli(['--help']);
    expect(top.stdout).toContain('help [命令]');
    for (const r of [review, scan, run, top])
      expect(r.stdout).not.toMatch(/Usage|Options:|\[options\]|\(default|choices:/);
  }, 120_000);

  it('re-runs one stage from the store and names unknown runs clearly', async () => {
    const r = await runCli(['check', '--run', '99', '--db', join(dir, 'empty.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('找不到巡查批次 99');
  });
});
