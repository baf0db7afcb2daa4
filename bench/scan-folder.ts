/**
 * `xuncha scan` of a folder of many small files: wall time and processes started.
 *
 * Generates N small files (txt, html, docx, xlsx, pdf, xls, doc; fake people only) in a temporary
 * folder, then runs the real CLI once over the folder under `strace -f -e trace=execve` (when strace
 * is installed) and counts the programs started besides the CLI itself. Figures only.
 *
 * Usage: npx tsx bench/scan-folder.ts [--files 1000] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import * as XLSX from '@e965/xlsx';
import { pagesPdf, plainPage } from '../test/extract/pdfBombFiles.js';

const FIXTURES = new URL('../test/fixtures/files/', import.meta.url);
const KINDS = ['txt', 'html', 'docx', 'xlsx', 'pdf', 'txt', 'html', 'docx', 'xlsx', 'pdf', 'xls', 'doc'];

/** A valid fake ID (GB 11643 check digit) for person i. */
function fakeId(i: number): string {
  const body = `350502199${String(i % 10)}0101${String(i % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, k) => s + Number(d) * w[k]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

async function makeFile(dir: string, i: number): Promise<void> {
  const kind = KINDS[i % KINDS.length]!;
  const leak = i % 5 === 0;
  const line = leak
    ? `姓名：张${i} 身份证号：${fakeId(i)} 电话：1391234${String(i).padStart(4, '0')}`
    : `第${i}号通知正文`;
  const file = join(dir, `sub${i % 10}`, `f${i}.${kind}`);
  if (kind === 'txt') writeFileSync(file, `${line}\n`);
  else if (kind === 'html')
    writeFileSync(file, `<html><head><meta charset="utf-8"></head><body><p>${line}</p></body></html>`);
  else if (kind === 'docx')
    writeFileSync(
      file,
      await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph(line)] }] })),
    );
  else if (kind === 'xlsx') {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['序号', '内容']);
    ws.addRow([i, line]);
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  } else if (kind === 'pdf')
    writeFileSync(file, pagesPdf([plainPage([`Notice ${i}`, leak ? `ID ${fakeId(i)}` : 'no data'])]));
  else if (kind === 'xls') {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['序号', '内容'],
        [i, line],
      ]),
      '名单',
    );
    writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer);
  } else copyFileSync(new URL('roster.doc', FIXTURES), file);
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: string): string => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
  };
  const n = Number(arg('--files', '1000'));
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-scan-folder-'));
  try {
    for (let k = 0; k < 10; k++) mkdirSync(join(dir, `sub${k}`));
    for (let i = 0; i < n; i++) await makeFile(dir, i);
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const kind = KINDS[i % KINDS.length]!;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    console.log(`${n} files in ${dir}: ${[...counts].map(([k, c]) => `${c} ${k}`).join(', ')}`);
    const cli = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'scan', '--json', dir];
    const t0 = performance.now();
    const r = spawnSync(cli[0]!, cli.slice(1), { maxBuffer: 1 << 30, encoding: 'utf8' });
    const wall = performance.now() - t0;
    const report = JSON.parse(r.stdout) as { files: { findings: unknown[]; errors: string[] }[] };
    const exposed = report.files.filter((f) => f.findings.length > 0).length;
    const errors = report.files.filter((f) => f.errors.length > 0).length;
    console.log(`files reported ${report.files.length}, with findings ${exposed}, needing review ${errors}`);
    console.log(`wall ${(wall / 1000).toFixed(2)} s, ${(wall / n).toFixed(1)} ms per file`);
    // A second run under strace (slower: not timed) counts the programs started.
    if (spawnSync('strace', ['-V']).status === 0) {
      const log = join(dir, 'strace.log');
      spawnSync('strace', ['-f', '-qq', '-e', 'trace=execve', '-o', log, ...cli], { maxBuffer: 1 << 30 });
      const execs = readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => /execve\(/.test(l) && !/ = -1 /.test(l));
      const programs = new Map<string, number>();
      for (const l of execs.slice(1)) {
        const prog = /execve\("([^"]+)"/.exec(l)?.[1] ?? '?';
        const key = `${prog}${/"-e"/.test(l) ? ' -e (parser child)' : ''}`;
        programs.set(key, (programs.get(key) ?? 0) + 1);
      }
      console.log(`processes started besides the CLI: ${execs.length - 1}`);
      for (const [p, c] of programs) console.log(`  ${c} × ${p}`);
    }
    if (process.argv.includes('--keep')) console.log(`kept ${dir}`);
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
