import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { runCli } from '../helpers/cli.js';
import { openTestStore } from '../helpers/testStore.js';

let up: RunningSite;
let downOrigin: string;
beforeAll(async () => {
  up = await startSiteServer({ dir: 'test/fixtures/sites/basic' });
  const down = await startSiteServer({ dir: 'test/fixtures/sites/basic' });
  downOrigin = down.origin;
  await down.close();
});
afterAll(() => up.close());

describe('xuncha probe', () => {
  it('visits each home page per round and stores every probe, failures included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-probe-'));
    const seeds = join(dir, 'units.yaml');
    writeFileSync(
      seeds,
      `units:\n  - id: up\n    name: 正常单位\n    level: 部门\n    start: ["${up.origin}/"]\n  - id: down\n    name: 故障单位\n    level: 部门\n    start: ["${downOrigin}/"]\n`,
    );
    const db = join(dir, 'x.db');
    up.requests.length = 0;
    const r = await runCli(['probe', '--seeds', seeds, '--db', db, '--rounds', '3', '--interval', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('第 3 轮监测：1/2 个单位首页可访问');
    expect(r.stderr).toContain('故障单位 首页无法访问（refused');
    expect(up.requests.filter((q) => q.path === '/')).toHaveLength(3);
    const store = await openTestStore(db);
    const rows = await store
      .selectFrom('probes')
      .select(['unit_id as id', 'status', 'error_kind as kind'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      ...Array(3).fill({ id: 'down', status: 0, kind: 'refused' }),
      ...Array(3).fill({ id: 'up', status: 200, kind: null }),
    ]);
  });
});
