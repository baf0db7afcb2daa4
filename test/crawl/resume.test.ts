import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { cliEntry, runCli } from '../helpers/cli.js';
import { peekTestStore, testStoreLocation } from '../helpers/testStore.js';

let site: RunningSite;
beforeAll(async () => {
  site = await startSiteServer({ dir: 'test/fixtures/sites/basic' });
});
afterAll(() => site.close());

async function storedUrls(db: string): Promise<string[]> {
  try {
    const rows = await peekTestStore(db, (store) => store.selectFrom('resources').select('url').execute());
    return (rows ?? []).map((r) => r.url);
  } catch {
    return []; // not created yet by the child process
  }
}

describe('crash and resume', () => {
  it('after kill -9, --resume fetches no finished page again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-resume-'));
    const seeds = join(dir, 'units.yaml');
    const db = join(dir, 'x.db');
    writeFileSync(
      seeds,
      `units:\n  - id: t\n    name: 测试县\n    level: 区县政府\n    start: ["${site.origin}/"]\n`,
    );
    const child = spawn(
      process.execPath,
      [
        ...cliEntry(),
        'crawl',
        '--seeds',
        seeds,
        '--db',
        testStoreLocation(db),
        '--delay',
        '250',
        '--per-host',
        '1',
      ],
      { stdio: 'ignore' },
    );
    // Kill once a few resources are stored, long before the ~15 requests at 250 ms are done. The
    // child compiles the CLI first: on a loaded machine that alone can take over ten seconds.
    const until = Date.now() + 60_000;
    while (Date.now() < until && (await storedUrls(db)).length < 4)
      await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const before = await storedUrls(db);
    expect(before.length).toBeGreaterThanOrEqual(4);
    const requestsBefore = site.requests.length;

    const resumed = await runCli(['crawl', '--resume', '--db', db, '--delay', '0']);
    expect(resumed.code).toBe(0);
    const after = site.requests.slice(requestsBefore).map((r) => `${site.origin}${r.path}`);
    for (const url of before) expect(after, url).not.toContain(url);
    const all = await storedUrls(db);
    expect(all.length).toBeGreaterThan(before.length);
    expect(all).toEqual(
      expect.arrayContaining([`${site.origin}/list/index_2.html`, `${site.origin}/list/art6.html`]),
    );
  }, 120_000);
});
