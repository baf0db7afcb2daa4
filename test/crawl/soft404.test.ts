import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { listResources } from '../../src/store/crawlData.js';
import { crawlUnits, unit } from '../helpers/crawlFixture.js';
import { pageSignature, softNotFoundReason } from '../../src/crawl/soft404.js';

const page = (title: string, body: string) =>
  `<html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
const sig = (title: string, body: string) => pageSignature(page(title, body));
const KNOWN: Record<string, string> = {
  '/': page(
    '示范区人民政府',
    '<a href="/zwgk/a.html">通知</a><a href="/zwgk/deleted.html">旧通知</a><a href="/old/">旧栏目</a>',
  ),
  '/zwgk/a.html': page('关于做好防汛工作的通知', '<p>各乡镇：为做好防汛工作……</p>'),
};

let site: RunningSite;
beforeAll(async () => {
  // A CMS that answers every unknown path with 200 and a friendly "not found" page, and
  // redirects unknown folders to the home page.
  site = await startSiteServer({
    dir: 'test/fixtures/sites/basic',
    handle: (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/robots.txt') return false;
      if (path.endsWith('/') && !KNOWN[path]) {
        res.writeHead(302, { Location: '/' });
        res.end();
        return true;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(
        KNOWN[path] ??
          page(
            '示范区人民政府',
            '<div class="err">抱歉，您访问的页面不存在或已删除！</div><a href="/">返回首页</a>',
          ),
      );
      return true;
    },
  });
});
afterAll(() => site.close());

describe('soft 404', () => {
  it('flags pages that look like the answer to a random URL, and keeps real pages', async () => {
    const { db, runId } = await crawlUnits([unit('s', [`${site.origin}/`])], { render: 'never' });
    const byPath = new Map((await listResources(db, runId, 's')).map((r) => [new URL(r.url).pathname, r]));
    expect(byPath.get('/zwgk/deleted.html')).toMatchObject({ status: 200, errorKind: 'soft-404' });
    expect(byPath.get('/zwgk/a.html')).toMatchObject({ status: 200, errorKind: null });
    expect(byPath.get('/')).toMatchObject({ errorKind: null });
    expect(site.requests.some((r) => r.path.startsWith('/xuncha-404-check-'))).toBe(true);
  });

  it('recognises a page that says it is not found', () => {
    expect(softNotFoundReason(sig('404 页面不存在', ''), 'http://x/a', 'http://x/a', undefined)).toMatch(
      /标题为「404 页面不存在」/,
    );
    expect(
      softNotFoundReason(
        sig('关于404号文件的解读', '<p>' + '正文'.repeat(20000) + '</p>'),
        'http://x/a',
        'http://x/a',
        undefined,
      ),
    ).toBeUndefined();
  });

  it('does not take document numbers for errors', () => {
    expect(
      softNotFoundReason(
        sig('示政办〔2026〕第404号', '<h1>关于第4045号建议的答复</h1>'),
        'http://x/a',
        'http://x/a',
        undefined,
      ),
    ).toBeUndefined();
    expect(
      softNotFoundReason(
        sig('关于印发第1404号文件的通知_某某县人民政府', ''),
        'http://x/a',
        'http://x/a',
        undefined,
      ),
    ).toBeUndefined();
    expect(softNotFoundReason(sig('404', ''), 'http://x/a', 'http://x/a', undefined)).toMatch(
      /标题为「404」/,
    );
    expect(
      softNotFoundReason(sig('错误 404 - 页面不存在', ''), 'http://x/a', 'http://x/a', undefined),
    ).toMatch(/错误 404/);
  });

  it('treats a redirect to where every missing URL goes as not found, but not the home page itself', () => {
    const probe = { finalUrl: 'http://x/', title: '首页', heading: '', size: 1000 };
    expect(softNotFoundReason(sig('首页', 'x'.repeat(5000)), 'http://x/old/', 'http://x/', probe)).toMatch(
      /跳转/,
    );
    expect(softNotFoundReason(sig('首页', ''), 'http://x/', 'http://x/', probe)).toBeUndefined();
  });
});
