import { cpSync, existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { runCli } from '../helpers/cli.js';

/**
 * Bad input stops a run before anything is written or fetched: no request to the site, no
 * database file (not even an empty one), exit code 2 and a message naming file, line and value.
 */
let site: RunningSite;
let dir: string;
let seeds: string;

beforeAll(async () => {
  site = await startSiteServer({ dir: 'test/fixtures/sites/basic' });
  dir = mkdtempSync(join(tmpdir(), 'xuncha-guard-'));
  seeds = join(dir, 'units.yaml');
  writeFileSync(
    seeds,
    `units:\n  - id: a\n    name: 甲单位\n    level: 部门\n    start: ["${site.origin}/"]\n`,
  );
});
afterAll(() => site.close());

async function refused(args: string[], db: string) {
  site.requests.length = 0;
  const r = await runCli([...args, '--db', db, '--out', join(dir, 'out')]);
  expect(r.code, r.stderr).toBe(2);
  expect(site.requests).toHaveLength(0);
  expect(existsSync(db)).toBe(false);
  return r.stderr;
}

describe('input checked before the first request', { timeout: 120_000 }, () => {
  it('an invalid rules folder stops run and crawl, listing every bad file', async () => {
    const rules = join(dir, 'rules');
    cpSync('rules', rules, { recursive: true });
    const deadLinks = join(rules, 'checks/dead-links.yaml');
    writeFileSync(
      deadLinks,
      readFileSync(deadLinks, 'utf8').replace(/maxReferrersShown: \d+/, 'maxReferrersShown: three'),
    );
    const calendar = join(rules, 'calendar/2026.yaml');
    writeFileSync(calendar, readFileSync(calendar, 'utf8').replace('  - 2026-01-02\n', '  - 2026-13-45\n'));
    const db = join(dir, 'rules.db');
    for (const command of ['run', 'crawl']) {
      const stderr = await refused([command, '--seeds', seeds, '--rules', rules], db);
      expect(stderr).toContain('规则文件有 2 处错误');
      expect(stderr).toContain(`${deadLinks}:8 字段 options.maxReferrersShown：应为 number，实际为 "three"`);
      expect(stderr).toContain(`${calendar}:9 字段 holidays[1]：不是真实存在的日期，实际为 "2026-13-45"`);
    }
    // Stages on stored batches check the rules before opening the store, too.
    await refused(['check', '--rules', rules], db);
  });

  it('invalid seeds, an unknown catalogue domain or a bad --date leave no database behind', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(seeds, 'utf8').replace('    level: 部门\n', ''));
    expect(await refused(['run', '--seeds', bad], join(dir, 'seeds.db'))).toContain(
      `${bad}:2 字段 units[0].level：应为 string，实际为 缺失`,
    );
    const domain = join(dir, 'domain.yaml');
    writeFileSync(
      domain,
      `${readFileSync(seeds, 'utf8')}    catalogues:\n      - domain: 社会救济\n        url: ${site.origin}/ml.html\n`,
    );
    expect(await refused(['run', '--seeds', domain], join(dir, 'seeds.db'))).toMatch(
      /domain\.yaml:7 字段 units\[0\]\.catalogues\[0\]\.domain：.*实际为 "社会救济"/,
    );
    expect(await refused(['run', '--seeds', seeds, '--date', '2026-02-30'], join(dir, 'seeds.db'))).toContain(
      '参数 --date 应为真实日期 YYYY-MM-DD，实际为 "2026-02-30"',
    );
  });

  it('a 100 MB seed file is refused with a message, not a V8 out-of-memory crash', async () => {
    const big = join(dir, 'huge.csv');
    writeFileSync(big, '');
    truncateSync(big, 100 * 1024 * 1024);
    expect(await refused(['run', '--seeds', big], join(dir, 'huge.db'))).toContain(
      '超过种子文件 5.0 MB 上限',
    );
  });

  it('check/score/report and crawl --resume do not create a missing database', async () => {
    for (const args of [
      ['score', '--run', '3'],
      ['crawl', '--resume'],
    ])
      expect(await refused(args, join(dir, 'missing.db'))).toContain('找不到巡查批次');
  });
});
