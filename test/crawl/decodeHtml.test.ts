import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { decodeHtml } from '../../src/crawl/decodeHtml.js';

const PAGE =
  '<html><head>{meta}<title>示范区财政局</title></head><body><p>关于二〇二六年部门预算公开的说明：镕、堃、喆等字在 GBK 中有而 GB2312 中没有。</p></body></html>';

describe('decodeHtml', () => {
  it('decodes GBK declared in a meta tag even without a header charset, as GB18030', () => {
    const bytes = iconv.encode(
      PAGE.replace('{meta}', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'),
      'gbk',
    );
    const d = decodeHtml(bytes, 'text/html');
    expect(d).toMatchObject({ charset: 'gb18030', source: 'meta' });
    expect(d.text).toContain('镕、堃、喆');
  });

  it('trusts the BOM over every declaration', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(PAGE.replace('{meta}', '<meta charset="gbk">')),
    ]);
    expect(decodeHtml(bytes, 'text/html; charset=gbk')).toMatchObject({ charset: 'utf-8', source: 'bom' });
  });

  it('keeps UTF-8 when Word HTML pasted into a UTF-8 page declares gb2312 further down', () => {
    const html = PAGE.replace('{meta}', '<meta charset="utf-8">').replace(
      '<p>',
      '<div><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></div><p>',
    );
    const d = decodeHtml(Buffer.from(html), 'text/html');
    expect(d.charset).toBe('utf-8');
    expect(d.text).toContain('镕、堃、喆');
  });

  it('does not believe a server-default utf-8 header over GBK bytes', () => {
    const bytes = iconv.encode(PAGE.replace('{meta}', '<meta charset="gb2312">'), 'gbk');
    const d = decodeHtml(bytes, 'text/html; charset=UTF-8');
    expect(d.charset).toBe('gb18030');
    expect(d.text).toContain('示范区财政局');
  });

  it('detects undeclared GBK and Big5 pages', () => {
    expect(decodeHtml(iconv.encode(PAGE.replace('{meta}', ''), 'gbk'), null)).toMatchObject({
      charset: 'gb18030',
    });
    const big5 =
      '<html><body><p>臺灣地區政府資訊公開，機關組織與職掌，預算與決算書，施政計畫與業務統計。</p></body></html>'.repeat(
        4,
      );
    const d = decodeHtml(iconv.encode(big5, 'big5'), null);
    expect(d.charset).toBe('big5');
    expect(d.text).toContain('政府資訊公開');
  });

  it('keeps an undecodable page and flags it instead of failing', () => {
    const noise = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256));
    const d = decodeHtml(noise, null);
    expect(d.text.length).toBeGreaterThan(1000);
    expect(d.warning).toMatch(/页面编码无法可靠识别/);
    expect(decodeHtml(Buffer.from(PAGE.replace('{meta}', '')), null).warning).toBeUndefined();
  });
});
