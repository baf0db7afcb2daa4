import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { registerCatalogueCommand } from '../../src/cli/catalogueCommand.js';

const PAGE = `<!DOCTYPE html><html><head><title>示范镇户籍管理领域基层政务公开标准目录</title></head><body>
<table><tr><th rowspan="2">一级事项</th><th rowspan="2">二级事项</th><th rowspan="2">公开内容</th><th rowspan="2">公开依据</th>
<th rowspan="2">公开时限</th><th rowspan="2">公开主体</th><th colspan="2">公开渠道和载体</th><th rowspan="2">公开对象</th><th rowspan="2">公开方式</th></tr>
<tr><th>政府网站</th><th>公示栏</th></tr>
<tr><td rowspan="2">户口登记</td><td>出生登记</td><td>办理材料</td><td>《户口登记条例》</td><td>信息形成之日起20个工作日内</td>
<td>派出所</td><td>■</td><td>□</td><td>全社会</td><td>主动</td></tr>
<tr><td>死亡登记</td><td>/</td><td>同上</td><td>同上</td><td>派出所</td><td>□</td><td>■</td><td>全社会</td><td>主动</td></tr>
</table></body></html>`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xuncha-catalogue-'));
  writeFileSync(join(dir, 'ml.html'), PAGE);
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function catalogue(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  let stdout = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  const program = new Command('xuncha').exitOverride();
  registerCatalogueCommand(program, { out });
  await program.parseAsync(['catalogue', ...args], { from: 'user' });
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { code, stdout, stderr };
}

describe('xuncha catalogue', () => {
  it('prints the rows it understood, in Chinese', async () => {
    const r = await catalogue(join(dir, 'ml.html'));
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('目录：户籍管理，网页，2 行');
    expect(lines).toContain('  1. 户口登记 › 出生登记  [表1第3行]');
    expect(lines).toContain('     时限：信息形成之日起20个工作日内（20 个工作日）');
    expect(lines).toContain('     缺少或未填：公开内容');
    expect(lines).toContain('要素齐全的行：1/2');
  });

  it('prints one JSON object for a file with one catalogue', async () => {
    const r = await catalogue(join(dir, 'ml.html'), '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, unknown> & { rows: Record<string, unknown>[] };
    expect(json.domain).toBe('户籍管理');
    expect(json.format).toBe('html');
    expect(json.problems).toEqual([]);
    expect(json.rows[1]).toMatchObject({
      first: '户口登记',
      second: '死亡登记',
      basis: '《户口登记条例》',
      timeLimit: { text: '信息形成之日起20个工作日内', workdays: 20, kind: 'workdays' },
      subject: '派出所',
      channels: ['公示栏'],
      audience: ['全社会'],
      mode: ['主动'],
      levels: [],
      problems: ['公开内容'],
      location: '表1第4行',
    });
  });

  it('rejects a missing file with a Chinese message and exit code 2', async () => {
    const r = await catalogue(join(dir, 'nope.xlsx'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('找不到文件');
    expect(r.stdout).toBe('');
  });
});
