#!/usr/bin/env node
// The whole suite on both engines, as `npm run ci` runs it after lint and the type check. The two
// engines' passes overlap: a pass keeps the 2 cores only ~60 % busy (tests wait on local sites'
// latency, politeness delays and Chromium: 19 CPU-minutes in a 16-minute fresh-clone CI), so they
// run side by side. The crawler's own files, which time requests at sites sharing their event
// loop, still run one file at a time and alone, after both.
// `npm test` and `npm run test:pg` stay the single-engine commands.
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pgEnv = { ...process.env };
const exports = execFileSync('scripts/services.sh', ['start'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
for (const line of exports.split('\n')) {
  const m = /^export (\w+)=(.*)$/.exec(line.trim());
  if (m) pgEnv[m[1]] = m[2];
}

/** Run vitest; resolves with its exit status. `log`: a file for its output instead of ours. */
function vitest(args, env, log) {
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', ...args], {
      env,
      stdio: log ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    if (log) {
      const out = createWriteStream(log);
      child.stdout.pipe(out);
      child.stderr.pipe(out);
    }
    child.on('close', (code) => resolve(code ?? 1));
  });
}

let status = 1;
try {
  const pgLog = join(mkdtempSync(join(tmpdir(), 'xuncha-test-pg-')), 'pg.log');
  console.log(`[test] SQLite 与 PostgreSQL 两轮同时进行；PostgreSQL 一轮的输出在结束后显示（${pgLog}）`);
  const [sqlite, pg] = await Promise.all([
    vitest(['--exclude', 'test/crawl/**'], process.env),
    vitest(['--config', 'vitest.pg.config.ts', '--exclude', 'test/crawl/**'], pgEnv, pgLog),
  ]);
  console.log('\n[test] PostgreSQL 一轮（除抓取测试外）：');
  process.stdout.write(readFileSync(pgLog, 'utf8'));
  status = sqlite || pg;
  if (status === 0) status = await vitest(['--maxWorkers', '1', 'test/crawl'], process.env);
  if (status === 0)
    status = await vitest(['--config', 'vitest.pg.config.ts', '--maxWorkers', '1', 'test/crawl'], pgEnv);
} finally {
  spawnSync('scripts/services.sh', ['stop'], { stdio: 'inherit' });
}
process.exit(status);
