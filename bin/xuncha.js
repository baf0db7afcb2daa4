#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm run build / npm run setup compile it to dist/).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('错误：尚未编译。请先运行 npm run setup（或 npm run build）。');
  process.exit(3);
}
await import(main.href);
