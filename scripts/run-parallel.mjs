#!/usr/bin/env node
// Runs npm scripts at once and prints each one's output whole when it ends (not interleaved):
// `node scripts/run-parallel.mjs lint typecheck`. Exits non-zero when any of them failed. The CI
// runs the linters and the type checker this way: each alone leaves one of two cores idle part of
// the time, together they take about the time of the longest.
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('用法：node scripts/run-parallel.mjs <npm 脚本名>…');
  process.exit(2);
}

const results = await Promise.all(
  names.map(
    (name) =>
      new Promise((resolve) => {
        const started = Date.now();
        const child = spawn('npm', ['run', name], { stdio: ['ignore', 'pipe', 'pipe'] });
        const chunks = [];
        child.stdout.on('data', (c) => chunks.push(c));
        child.stderr.on('data', (c) => chunks.push(c));
        child.on('close', (code) => {
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          process.stdout.write(`\n> npm run ${name}（${seconds} 秒，${code === 0 ? '通过' : '失败'}）\n`);
          process.stdout.write(Buffer.concat(chunks));
          resolve(code ?? 1);
        });
      }),
  ),
);
process.exit(results.some((code) => code !== 0) ? 1 : 0);
