/**
 * Page facts on the real pages: `xuncha extract`'s page understanding (extractPage → decodeHtml,
 * parseHtmlPage, summarisePage) on each file of ../shared/corpus/pages, scored against facts.ts.
 * The text excerpts (*.txt) are given to the same path as a page whose body is their text, one
 * paragraph per line, at their source address (no <meta>, no links: what is left is text-level).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { extractPage, type ExtractSummary } from '../../src/cli/extractCommand.js';
import { scanInputs } from '../../src/cli/scanCommand.js';
import { decodeHtml } from '../../src/crawl/decodeHtml.js';
import { parseHtmlPage, type PageFacts } from '../../src/extract/htmlPage.js';
import { PAGES, type Fact, type FactKind } from './facts.js';

export interface FactResult {
  file: string;
  kind: FactKind;
  expected: string;
  got: string;
  ok: boolean;
}

export interface PageRun {
  results: FactResult[];
  /** ms per page of extractPage (the excerpts included), summed over pages. */
  msTotal: number;
  pages: number;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An excerpt as the HTML page it was cut from: its text lines as paragraphs, the # header dropped. */
function excerptHtml(text: string): string {
  const body = text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `<p>${escapeHtml(l)}</p>`)
    .join('\n');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title></title></head><body>\n${body}\n</body></html>`;
}

const show = (v: unknown): string =>
  v === undefined || v === null ? '（无）' : Array.isArray(v) ? v.join(', ') : String(v);

function allDates(s: ExtractSummary, page: PageFacts): { date: string; where: string }[] {
  const out: { date: string; where: string }[] = [];
  if (s.pubDate) out.push({ date: s.pubDate.date, where: `pubDate（${s.pubDate.source}）` });
  if (s.writtenDate) out.push({ date: s.writtenDate.date, where: `writtenDate（${s.writtenDate.source}）` });
  for (const i of page.datedItems)
    if (i.date) out.push({ date: i.date, where: `dated item「${i.title.slice(0, 20)}」` });
  return out;
}

const TEMPLATE = /\{\{|\}\}|%7B%7B|%7D%7D/i;

function judge(
  f: Fact,
  s: ExtractSummary,
  page: PageFacts,
  mobiles: number,
): { expected: string; got: string; ok: boolean } {
  switch (f.kind) {
    case 'charset':
      return {
        expected: f.expect.join(' | '),
        got: s.charset,
        ok: f.expect.includes(s.charset.toLowerCase()),
      };
    case 'pubDate': {
      const got = s.pubDate ? `${s.pubDate.date}（${s.pubDate.source}）` : '（无）';
      let ok = (s.pubDate?.date ?? null) === f.expect;
      // A date read from the address is right only when it is that date and says it came from the address.
      if (!ok && f.urlDate && s.pubDate?.date === f.urlDate) ok = /网址|地址|URL|url/.test(s.pubDate.source);
      const expected = show(f.expect) + (f.urlDate ? `（或网址日期 ${f.urlDate}，注明来自网址）` : '');
      return { expected, got, ok };
    }
    case 'writtenDate': {
      const d = s.writtenDate?.date ?? null;
      const ok = f.expect === 'present' ? d !== null : d === f.expect;
      return { expected: f.expect === 'present' ? '（有成文日期）' : show(f.expect), got: show(d), ok };
    }
    case 'metaSiteId':
      return {
        expected: show(f.expect),
        got: show(s.siteIdCode.meta),
        ok: (s.siteIdCode.meta ?? null) === f.expect,
      };
    case 'footerSiteId':
      return {
        expected: show(f.expect),
        got: show(s.siteIdCode.footer),
        ok: (s.siteIdCode.footer ?? null) === f.expect,
      };
    case 'jiucuoSiteId':
      return { expected: f.expect, got: show(s.siteIdCode.jiucuo), ok: s.siteIdCode.jiucuo === f.expect };
    case 'siteIdMismatch':
      return {
        expected: String(f.expect),
        got: String(s.siteIdCode.mismatch),
        ok: s.siteIdCode.mismatch === f.expect,
      };
    case 'column':
      return { expected: f.expect, got: show(s.column.name), ok: s.column.name === f.expect };
    case 'pageKind':
      return { expected: f.expect, got: s.pageKind, ok: s.pageKind === f.expect };
    case 'itemCount':
      return {
        expected: String(f.expect),
        got: String(s.datedItems.count),
        ok: s.datedItems.count === f.expect,
      };
    case 'newestItem':
      return { expected: f.expect, got: show(s.datedItems.newest), ok: s.datedItems.newest === f.expect };
    case 'oldestItem':
      return { expected: f.expect, got: show(s.datedItems.oldest), ok: s.datedItems.oldest === f.expect };
    case 'pagerPages':
      return {
        expected: show(f.expect),
        got: show(s.pager?.pageCount),
        ok: (s.pager?.pageCount ?? null) === f.expect,
      };
    case 'pagerTargets': {
      const names = new Set((s.pager?.urls ?? []).map((u) => basename(new URL(u).pathname)));
      names.delete('index.html');
      const want = new Set(f.expect);
      const missing = f.expect.filter((n) => !names.has(n));
      const extra = [...names].filter((n) => !want.has(n));
      const got =
        missing.length || extra.length
          ? `${names.size} 个${missing.length ? `，缺 ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? '…' : ''}` : ''}${extra.length ? `，多 ${extra.slice(0, 3).join(', ')}${extra.length > 3 ? '…' : ''}` : ''}`
          : `${names.size} 个，全部一致`;
      const expected =
        f.expect.length > 3
          ? `${f.expect[0]} … ${f.expect[f.expect.length - 1]}（${f.expect.length} 个）`
          : f.expect.join(', ');
      return { expected, got, ok: !missing.length && !extra.length };
    }
    case 'attachments':
      return {
        expected: String(f.expect),
        got: String(s.attachments.length),
        ok: s.attachments.length === f.expect,
      };
    case 'attachmentTargets': {
      const missing = f.expect.filter((u) => !s.attachments.includes(u));
      return {
        expected: f.expect.join(', '),
        got: missing.length ? `缺 ${missing.join(', ')}` : '全部找到',
        ok: missing.length === 0,
      };
    }
    case 'notADate': {
      const hits = allDates(s, page).filter((d) => d.date === f.expect);
      return {
        expected: `${f.expect} 不作为发布日期/条目日期`,
        got: hits.length ? hits.map((h) => h.where).join('; ') : '未当作日期',
        ok: hits.length === 0,
      };
    }
    case 'templateLinksIgnored': {
      const bad = page.links.filter((l) => TEMPLATE.test(l.url)).length;
      return { expected: '无 {{…}} 链接', got: bad ? `${bad} 个 {{…}} 链接` : '无', ok: bad === 0 };
    }
    case 'noMobile':
      return { expected: '0 个手机号码', got: `${mobiles} 个`, ok: mobiles === 0 };
  }
}

export async function runPages(dir: string): Promise<PageRun> {
  const tmp = mkdtempSync(join(tmpdir(), 'xuncha-bench-real-pages-'));
  const results: FactResult[] = [];
  let msTotal = 0;
  try {
    for (const entry of PAGES) {
      const src = join(dir, entry.file);
      let bytes: Buffer;
      try {
        bytes = readFileSync(src);
      } catch {
        for (const f of entry.facts)
          results.push({
            file: entry.file,
            kind: f.kind,
            expected: '',
            got: '（文件不在语料中）',
            ok: false,
          });
        continue;
      }
      let input = src;
      if (entry.file.endsWith('.txt')) {
        input = join(tmp, entry.file.replace(/\.txt$/, '.html'));
        writeFileSync(input, excerptHtml(bytes.toString('utf8')));
      }
      const t0 = performance.now();
      const s = await extractPage(input, entry.url);
      msTotal += performance.now() - t0;
      // The links themselves (the summary only counts them), from the same decoding and parser.
      const page = parseHtmlPage(
        decodeHtml(readFileSync(input), undefined).text,
        entry.url ?? `http://localhost/${encodeURIComponent(basename(input))}`,
      );
      const needsScan = entry.facts.some((f) => f.kind === 'noMobile');
      let mobiles = 0;
      if (needsScan) {
        const { report } = await scanInputs([src]);
        mobiles = report.files.flatMap((f) => f.findings).filter((x) => x.type === 'mobile').length;
      }
      for (const f of entry.facts)
        results.push({ file: entry.file, kind: f.kind, ...judge(f, s, page, mobiles) });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { results, msTotal, pages: PAGES.length };
}

export interface KindFigure {
  kind: string;
  right: number;
  total: number;
}

export function byKind(results: FactResult[]): KindFigure[] {
  const m = new Map<string, KindFigure>();
  for (const r of results) {
    const k = m.get(r.kind) ?? { kind: r.kind, right: 0, total: 0 };
    k.total++;
    if (r.ok) k.right++;
    m.set(r.kind, k);
  }
  return [...m.values()];
}
