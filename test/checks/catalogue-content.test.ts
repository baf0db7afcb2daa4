import { describe, expect, it } from 'vitest';
import { catalogueContent } from '../../src/checks/catalogue-content.js';
import { evidence, listPage, runCheck, ORIGIN } from '../helpers/evidence.js';
import { published, row } from '../helpers/catalogues.js';

const link = (path: string) => ({ url: `${ORIGIN}${path}`, text: '查看' });

function unitWith(rows: ReturnType<typeof row>[], pages: Record<string, string>, extra = {}) {
  return evidence({
    unit: { name: '示范区民政局', level: '部门' },
    pages,
    catalogueDocuments: [{ path: '/ml.html', via: 'page', catalogues: [published('社会救助', rows)] }],
    ...extra,
  });
}

describe('catalogue-content', () => {
  it('passes items that lead to columns with content', () => {
    const rows = [row('最低生活保障', '政策文件', { links: [link('/zc/')] })];
    const pages = { '/zc/': listPage('政策文件', [{ title: '通知', date: '2026-10-01' }]) };
    expect(runCheck(catalogueContent, unitWith(rows, pages))).toEqual([]);
  });

  it('reports a dead link and an empty column', () => {
    const rows = [
      row('最低生活保障', '政策文件', { links: [link('/zc/')] }),
      row('最低生活保障', '办事指南', { links: [link('/gone/')] }),
    ];
    const pages = { '/zc/': listPage('政策文件', []) };
    const found = runCheck(
      catalogueContent,
      unitWith(rows, pages, { resources: [{ path: '/gone/', status: 404, contentHash: null }] }),
    );
    expect(found.map((f) => [f.kind, f.message])).toEqual([
      ['empty', '事项「最低生活保障 › 政策文件」对应栏目「政策文件」无内容'],
      ['broken', '事项「最低生活保障 › 办事指南」链接的内容无法访问'],
    ]);
  });

  it('reports a periodic item whose newest content is older than its period and time limit', () => {
    const quarterly = { text: '每季度结束后10个工作日内', workdays: 10, kind: 'workdays' as const };
    const rows = [
      row('最低生活保障', '审批信息', { links: [link('/sp/')], timeLimit: quarterly }),
      row('临时救助', '救助名单', { links: [link('/md/')], timeLimit: quarterly }),
    ];
    const pages = {
      '/sp/': listPage('审批信息', [{ title: '第一季度名单', date: '2026-04-10' }]),
      '/md/': listPage('救助名单', [{ title: '第三季度名单', date: '2026-10-09' }]),
    };
    const found = runCheck(catalogueContent, unitWith(rows, pages));
    expect(found.map((f) => [f.kind, f.message])).toEqual([
      ['stale', '事项「最低生活保障 › 审批信息」应每季度更新，栏目「审批信息」最新内容为 2026-04-10'],
    ]);
  });

  it('fails a catalogue that links none of its items and warns when some are unlinked', () => {
    const none = runCheck(catalogueContent, unitWith([row('a', 'b'), row('a', 'c')], {}));
    expect(none.map((f) => [f.outcome, f.kind, f.message])).toEqual([
      ['fail', 'unlinked', '目录中 2 个事项未链接到具体公开内容'],
    ]);
    const pages = { '/zc/': listPage('政策文件', [{ title: '通知', date: '2026-10-01' }]) };
    const some = runCheck(
      catalogueContent,
      unitWith([row('a', 'b', { links: [link('/zc/')] }), row('a', 'c')], pages),
    );
    expect(some.map((f) => [f.outcome, f.kind])).toEqual([['warn', 'unlinked']]);
  });

  it('leaves catalogues published as attachments alone', () => {
    const ev = evidence({
      unit: { name: '示范区民政局', level: '部门' },
      catalogueDocuments: [
        { path: '/ml.xlsx', via: 'attachment', catalogues: [published('社会救助', [row('a', 'b')])] },
      ],
    });
    expect(runCheck(catalogueContent, ev)).toEqual([]);
  });
});
