import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import iconv from 'iconv-lite';
import { registerExtractCommand, type ExtractSummary } from '../../src/cli/extractCommand.js';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { runCli } from '../helpers/cli.js';

const LIST_PAGE = `<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>通知公告_示范区人民政府</title>
<meta name="SiteName" content="示范区人民政府"><meta name="SiteIDCode" content="">
<meta name="ColumnName" content="通知公告"></head>
<body><div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <span>通知公告</span></div>
<ul class="list">
  <li><a href="./202411/t20241120_1001.html" title="关于做好冬季防火工作的通知">关于做好冬季防火工作的通知</a><span>2024-11-20</span></li>
  <li><a href="./202411/t20241102_1000.html" title="关于调整办公时间的公告">关于调整办公时间的公告</a><span>2024-11-02</span></li>
  <li><a href="./202410/t20241015_0999.html" title="2024年重点工作任务分解">2024年重点工作任务分解</a><span>2024-10-15</span></li>
  <li><a href="/attach/2024_fanghuo.pdf">防火责任人名单.pdf</a><span>2024-11-20</span></li>
  <li><a href="ItemDetail.html?docId={{x.docId}}">{{x.title}}</a></li>
</ul>
<div class="page"><script type="text/javascript">createPageHTML(3, 0, "index", "html");</script></div>
<div class="footer"><p>网站标识码：3505000012\u3000闽ICP备05012345号-3</p></div>
</body></html>`;

let dir: string;
let site: RunningSite;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xuncha-extract-'));
  mkdirSync(join(dir, 'site', 'zwgk', 'tzgg'), { recursive: true });
  writeFileSync(join(dir, 'site', 'zwgk', 'tzgg', 'index.html'), LIST_PAGE);
  writeFileSync(join(dir, 'list-gbk.html'), iconv.encode(LIST_PAGE, 'gbk'));
  // GBK bytes, no charset in Content-Type: decoding must follow the page's own declaration.
  site = await startSiteServer({ dir: join(dir, 'site'), charset: 'gbk' });
});
afterAll(() => site.close());
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** Run `extract` in-process on a fresh program; stdout and stderr are captured. */
async function extract(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  let stdout = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  const program = new Command('xuncha').exitOverride();
  registerExtractCommand(program, { out });
  await program.parseAsync(['extract', ...args], { from: 'user' });
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { code, stdout, stderr };
}

describe('xuncha extract', () => {
  it('prints what it understood of a local GBK file, in Chinese', async () => {
    const r = await extract(join(dir, 'list-gbk.html'), '--url', 'http://www.example.gov.cn/zwgk/tzgg/');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('字符集：gb18030（页面 meta 声明）');
    expect(lines).toContain('标题：通知公告_示范区人民政府');
    expect(lines).toContain('网站标识码：meta （空）；页脚 3505000012  ← 不一致');
    expect(lines).toContain('栏目：通知公告（来自 meta ColumnName；面包屑：首页 > 政务公开 > 通知公告）');
    expect(lines).toContain('带日期的条目：4 条，最新 2024-11-20，最早 2024-10-15');
    expect(lines).toContain(
      '分页：TRS createPageHTML，共 3 页，当前第 1 页（createPageHTML(3, 0, "index", "html")）',
    );
    expect(lines).toContain('    http://www.example.gov.cn/zwgk/tzgg/index_2.html');
    expect(lines).toContain('附件：1 个');
    expect(lines).toContain('    http://www.example.gov.cn/attach/2024_fanghuo.pdf');
    expect(r.stdout).toMatch(
      /链接：共 \d+ 个：站内 \d+，站外 0；占位或脚本链接 1 个，模板占位链接 1 个（均未请求）/,
    );
    expect(lines).toContain('  - meta SiteIDCode 为空，页脚为 3505000012');
    expect(lines).toContain('  - 1 个模板占位链接未请求');
  });

  it('fetches a URL exactly once and prints one JSON object with --json', async () => {
    site.requests.length = 0;
    const url = `${site.origin}/zwgk/tzgg/`;
    const r = await extract(url, '--json');
    expect(r.code).toBe(0);
    expect(site.requests).toHaveLength(1);
    expect(site.requests[0]!.userAgent).toMatch(/^xuncha\//);
    const s = JSON.parse(r.stdout) as ExtractSummary;
    expect(s).toMatchObject({
      url: `${site.origin}/zwgk/tzgg/`,
      status: 200,
      charset: 'gb18030',
      charsetSource: 'meta',
      title: '通知公告_示范区人民政府',
      siteName: '示范区人民政府',
      siteIdCode: { metaPresent: true, footer: '3505000012', mismatch: true },
      column: { name: '通知公告', breadcrumb: ['首页', '政务公开', '通知公告'] },
      pageKind: 'list',
      datedItems: { count: 4, newest: '2024-11-20', oldest: '2024-10-15' },
      mainList: { count: 5, dated: 4 },
      pager: { kind: 'trs-createPageHTML', pageCount: 3 },
      attachments: [`${site.origin}/attach/2024_fanghuo.pdf`],
      links: { external: 0, placeholder: 1, template: 1 },
    });
    expect(s.pager!.urls).toEqual([
      `${site.origin}/zwgk/tzgg/index.html`,
      `${site.origin}/zwgk/tzgg/index_1.html`,
      `${site.origin}/zwgk/tzgg/index_2.html`,
    ]);
  });

  it('exits 2 with a Chinese message for a missing file, a bad URL or a page that fails', async () => {
    const missing = await extract(join(dir, 'nosuch.html'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`错误：找不到文件：${join(dir, 'nosuch.html')}`);
    expect(missing.stdout).toBe('');
    const scheme = await extract('ftp://www.example.gov.cn/a.html');
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toContain('只支持 http:// 或 https:// 网址');
    const bad = await extract('http://exa mple.gov.cn/');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('不是有效的网址');
    const gone = await extract(`${site.origin}/nosuch/`);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('返回 HTTP 404');
  });

  it('reads a text-only page by the same date rules: labels, the 发文日期 apart, the URL date last', async () => {
    writeFileSync(
      join(dir, 'guide.txt'),
      `# source: http://ahjw.example.gov.cn/488/554/content_1546375.html
当前位置: 首页 > 信息公开平台 > 田庄乡
索 引 号: 006494558/2024-1546375 责任部门:田庄乡
信息类别:综合政务 发文日期:2024-08-20 公开方式:政府网站
田庄乡人民政府2024年信息公开指南
作者:     发布时间:2024-08-28     信息来源: 安化县田庄乡人民政府
`,
    );
    const r = await extract(join(dir, 'guide.txt'), '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as ExtractSummary;
    expect(s).toMatchObject({
      format: 'text',
      url: 'http://ahjw.example.gov.cn/488/554/content_1546375.html',
      pubDate: { date: '2024-08-28', source: '正文「发布时间」' },
      writtenDate: { date: '2024-08-20', source: '正文「发文日期」' },
      column: { name: '田庄乡' },
    });
    writeFileSync(
      join(dir, 'report.txt'),
      '横山镇2023年政府信息公开工作年度报告\n统计期限自2023年1月1日起至2023年12月31日止。\n',
    );
    const url = await extract(
      join(dir, 'report.txt'),
      '--url',
      'https://www.example.gov.cn/art/2024/1/23/art_1229_88348.html',
    );
    expect(url.stdout).toContain('发布日期：2024-01-23（网址中的日期「/2024/1/23/」）');
    expect(url.stdout).toContain('页面类型：其他页面（纯文本：无 meta、链接和分页）');
  });

  // Runs through the real entry point once main.ts registers the command.
  it('is registered in the xuncha CLI', async () => {
    const r = await runCli(['extract', join(dir, 'list-gbk.html'), '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as ExtractSummary).charset).toBe('gb18030');
    const missing = await runCli(['extract', join(dir, 'nosuch.html')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('找不到文件');
  });
});
