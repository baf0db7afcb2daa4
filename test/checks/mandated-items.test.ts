import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mandatedItems } from '../../src/checks/mandated-items.js';
import { evidence, runCheck, listPage, ORIGIN } from '../helpers/evidence.js';
import { loadCatalogues } from '../../src/config/catalogues.js';

const catalogue = loadCatalogues('rules/catalogues').find((c) => c.domain === '社会救助')!;

/** A 标准目录 table with 一级事项 merged (rowspan) over its rows, as county sites publish it. */
function cataloguePage(items: typeof catalogue.items, href = (id: string) => `/c/${id}/`): string {
  const rows: string[] = [];
  let last = '';
  items.forEach((item, i) => {
    const first = item.first === last ? '' : `<td rowspan="2">${item.first}</td>`;
    last = item.first;
    rows.push(
      `<tr><td>${i + 1}</td>${first}<td>${item.second}</td><td>依据</td><td>10个工作日</td><td><a href="${href(item.id)}">查看</a></td></tr>`,
    );
  });
  return `<html><head><meta charset="utf-8"><title>社会救助标准目录</title></head><body><table>
<tr><th>序号</th><th>一级事项</th><th>二级事项</th><th>公开依据</th><th>公开时限</th><th>查看</th></tr>${rows.join('\n')}</table></body></html>`;
}

function unitWithCatalogue() {
  return { catalogues: [{ domain: '社会救助', url: `${ORIGIN}/xxgk/ml.html` }] };
}

function contentPages(ids: string[]): Record<string, string> {
  return Object.fromEntries(
    ids.map((id) => [
      `/c/${id}/`,
      listPage(id, [{ title: '名单', date: '2026-11-01', href: `./${id}.html` }]),
    ]),
  );
}

describe('mandated-items', () => {
  it('passes a catalogue carrying every item with content behind it', () => {
    const pages = {
      '/xxgk/ml.html': cataloguePage(catalogue.items),
      ...contentPages(catalogue.items.map((i) => i.id)),
    };
    expect(runCheck(mandatedItems, evidence({ unit: unitWithCatalogue(), pages }))).toEqual([]);
  });

  it('lists each missing item by name', () => {
    const kept = catalogue.items.filter((i) => i.id !== 'tekun-zhongzhi' && i.id !== 'linshi-zhinan');
    const pages = { '/xxgk/ml.html': cataloguePage(kept), ...contentPages(kept.map((i) => i.id)) };
    const found = runCheck(mandatedItems, evidence({ unit: unitWithCatalogue(), pages }));
    expect(found.map((f) => f.message)).toEqual([
      '目录缺少事项「特困人员救助供养 › 终止供养名单」',
      '目录缺少事项「临时救助 › 办事指南」',
    ]);
  });

  it('reports an item whose link is dead or whose column is blank', () => {
    const ids = catalogue.items.map((i) => i.id);
    const pages = {
      '/xxgk/ml.html': cataloguePage(catalogue.items),
      ...contentPages(ids.filter((i) => i !== 'dibao-shenpi' && i !== 'linshi-mingdan')),
      '/c/linshi-mingdan/': listPage('救助名单', []),
    };
    const found = runCheck(
      mandatedItems,
      evidence({
        unit: unitWithCatalogue(),
        pages,
        resources: [{ path: '/c/dibao-shenpi/', status: 404, errorKind: 'http-4xx' }],
      }),
    );
    expect(found.map((f) => [f.kind, f.evidence])).toEqual([
      ['broken', '事项链接无法访问（HTTP 404）（dibao-shenpi）'],
      ['broken', '事项对应栏目「救助名单」无内容（linshi-mingdan）'],
    ]);
  });

  it('reports an unreachable catalogue page', () => {
    const found = runCheck(
      mandatedItems,
      evidence({
        unit: unitWithCatalogue(),
        resources: [{ path: '/xxgk/ml.html', status: 500, errorKind: 'http-5xx' }],
      }),
    );
    expect(found).toEqual([expect.objectContaining({ kind: 'catalogue-missing', evidence: 'HTTP 500' })]);
  });
});

describe('mandated-items with every catalogue in rules/catalogues', () => {
  const all = loadCatalogues('rules/catalogues');

  it('has catalogues beyond 社会救助, each with unique item ids and names', () => {
    expect(all.length).toBeGreaterThanOrEqual(7);
    for (const c of all) {
      expect(new Set(c.items.map((i) => i.id)).size, c.domain).toBe(c.items.length);
      expect(new Set(c.items.map((i) => `${i.first}/${i.second}`)).size, c.domain).toBe(c.items.length);
    }
  });

  it('refuses a catalogue file with a repeated item id, naming the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-cat-'));
    const text = readFileSync('rules/catalogues/affordable-housing.yaml', 'utf8').replace(
      'id: peiji-xuanfang',
      'id: peiji-zige',
    );
    writeFileSync(join(dir, 'housing.yaml'), text);
    const line = text.split('\n').findLastIndex((l) => l.includes('id: peiji-zige')) + 1;
    expect(() => loadCatalogues(dir)).toThrow(
      `housing.yaml:${line} 字段 items[2].id：事项编号 peiji-zige 重复`,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(all.map((c) => [c.domain, c] as const))(
    '%s: a full catalogue passes, a missing item is named',
    (domain, c) => {
      const unit = { catalogues: [{ domain, url: `${ORIGIN}/xxgk/ml.html` }] };
      const full = { '/xxgk/ml.html': cataloguePage(c.items), ...contentPages(c.items.map((i) => i.id)) };
      expect(runCheck(mandatedItems, evidence({ unit, pages: full }))).toEqual([]);
      const last = c.items.at(-1)!;
      const kept = c.items.slice(0, -1);
      const partial = { '/xxgk/ml.html': cataloguePage(kept), ...contentPages(kept.map((i) => i.id)) };
      expect(runCheck(mandatedItems, evidence({ unit, pages: partial })).map((f) => f.message)).toEqual([
        `目录缺少事项「${last.first} › ${last.second}」`,
      ]);
    },
  );
});
