import { describe, expect, it } from 'vitest';
import { deadLinks } from '../../src/checks/dead-links.js';
import { evidence, runCheck, listPage } from '../helpers/evidence.js';

describe('dead-links', () => {
  it('passes when every link answered', () => {
    const ev = evidence({
      pages: { '/': listPage('首页', []), '/a/': listPage('通知', [{ title: 't', date: '2026-11-01' }]) },
    });
    expect(runCheck(deadLinks, ev)).toEqual([]);
  });

  it('reports each dead link with its kind, referrer and anchor text', () => {
    const ev = evidence({
      pages: { '/': listPage('首页', []), '/a/': listPage('通知', []) },
      resources: [
        { path: '/gone.html', status: 404, errorKind: 'http-4xx' },
        { path: '/err.html', status: 500, errorKind: 'http-5xx' },
        { path: '/f/x.xlsx', status: 404, errorKind: 'http-4xx', kind: 'attachment' },
        { path: '/slow.html', status: 0, errorKind: 'timeout' },
      ],
      links: [
        { from: '/', to: '/gone.html', anchor: '旧通知' },
        { from: '/a/', to: '/err.html', anchor: '出错页' },
        { from: '/a/', to: '/f/x.xlsx', anchor: '名单下载' },
        { from: '/a/', to: '/slow.html', anchor: '慢页面' },
      ],
    });
    const found = runCheck(deadLinks, ev);
    expect(found.map((f) => [f.url.replace(/^http:\/\/[^/]+/, ''), f.kind, f.outcome])).toEqual([
      ['/gone.html', 'home-page', 'fail'],
      ['/err.html', 'inner-page', 'fail'],
      ['/f/x.xlsx', 'attachment', 'fail'],
      ['/slow.html', 'inner-page', 'fail'],
    ]);
    expect(found[0]!.location).toContain('链接文字「旧通知」');
    expect(found[1]!.message).toBe('页面链接无法访问（HTTP 500）');
    expect(found[3]!.message).toContain('请求超时');
  });

  it('keeps robots-disallowed URLs out and reports blocked answers as warnings', () => {
    const ev = evidence({
      pages: { '/': listPage('首页', []) },
      resources: [
        { path: '/admin/', status: 0, errorKind: 'robots' },
        { path: '/waf.html', status: 403, errorKind: 'blocked' },
      ],
      links: [{ from: '/', to: '/waf.html' }],
    });
    const found = runCheck(deadLinks, ev);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ outcome: 'warn' });
  });

  it('says the home page itself is unreachable', () => {
    const ev = evidence({ resources: [{ path: '/', status: 0, errorKind: 'refused', kind: 'page' }] });
    expect(runCheck(deadLinks, ev)[0]).toMatchObject({
      kind: 'home-page',
      message: '首页无法访问（连接被拒绝）',
      location: '起始网址',
    });
  });
});
