import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer, type RunningSite } from '../../src/demo/siteServer.js';
import { maskUrl } from '../../src/pii/mask.js';
import { closeStore } from '../../src/store/db.js';
import { runCli } from '../helpers/cli.js';
import { validId } from '../helpers/fakeIds.js';
import { readZipEntries } from '../helpers/readBack.js';
import { openTestStore } from '../helpers/testStore.js';

/** Personal data where no page body holds it: in URLs, titles, link texts and attachment names. */
const ID_QUERY = validId('35050219900101123');
const ID_FILE = validId('11010519850304567');
const ID_ENCODED = validId('44030419770707321');
const MOBILE_QUERY = '13812345678';
const MOBILE_ANCHOR = '13987654321';
const MOBILE_TITLE = '15011112222';
const RAW = [ID_QUERY, ID_FILE, ID_ENCODED, MOBILE_QUERY, MOBILE_ANCHOR, MOBILE_TITLE];
const percentEncoded = (s: string) =>
  [...s].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');

const HOME = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>低保公示 联系电话${MOBILE_TITLE}</title></head><body>
<h1>某县民政局</h1>
<ul>
<li><a href="/apply?sfz=${ID_QUERY}&amp;tel=${MOBILE_QUERY}">在线申请</a> 2026-12-01</li>
<li><a href="/gone/notice.html">联系人王某${MOBILE_ANCHOR}</a> 2026-12-01</li>
<li><a href="/files/低保名单_${ID_FILE}.xls">低保名单_${ID_FILE}.xls</a> 2026-12-01</li>
<li><a href="/files/${percentEncoded(ID_ENCODED)}.pdf">公示附件</a> 2026-12-01</li>
</ul></body></html>`;

let site: RunningSite;
let dir: string;

beforeAll(async () => {
  site = await startSiteServer({
    dir: 'test/fixtures/sites/basic',
    handle: (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/' || path === '/index.html') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(HOME);
        return true;
      }
      if (path === '/robots.txt') return false;
      // Everything the home page links to is dead: each becomes a dead-link finding.
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<html><body>404</body></html>');
      return true;
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'xuncha-url-leaks-'));
});
afterAll(() => site.close());

describe('personal data in URLs, titles, link texts and attachment names', () => {
  it('maskUrl masks plain and percent-encoded values and leaves clean URLs alone', () => {
    expect(maskUrl(`http://a.gov.cn/apply?sfz=${ID_QUERY}&tel=${MOBILE_QUERY}`)).toBe(
      `http://a.gov.cn/apply?sfz=${ID_QUERY.slice(0, 6)}********${ID_QUERY.slice(-4)}&tel=138****5678`,
    );
    const encoded = maskUrl(`http://a.gov.cn/files/${percentEncoded(ID_ENCODED)}.pdf`);
    expect(encoded).not.toContain(percentEncoded(ID_ENCODED));
    expect(encoded).toContain(`${ID_ENCODED.slice(0, 6)}********`);
    const clean = 'http://a.gov.cn/xxgk/%E9%80%9A%E7%9F%A5/art_2026_1201.html?id=3';
    expect(maskUrl(clean)).toBe(clean);
  });

  it('reaches no output, log line or stored finding unmasked', async () => {
    const seeds = join(dir, 'seeds.yaml');
    writeFileSync(
      seeds,
      `units:\n  - id: mzj\n    name: 某县民政局\n    level: 部门\n    start: ["${site.origin}/"]\n`,
    );
    const db = join(dir, 'x.db');
    const out = join(dir, 'out');
    const cli = await runCli([
      'run',
      '--seeds',
      seeds,
      '--db',
      db,
      '--out',
      out,
      '--render',
      'never',
      '--delay',
      '0',
    ]);
    expect(cli.code, cli.stderr).toBe(0);

    const texts: [string, string][] = [
      ['stdout', cli.stdout],
      ['stderr', cli.stderr],
    ];
    const store = await openTestStore(db);
    const findings = await store
      .selectFrom('findings')
      .select(['message', 'url', 'location', 'evidence'])
      .orderBy('id')
      .execute();
    texts.push(['findings', JSON.stringify(findings)]);
    texts.push([
      'check_errors',
      JSON.stringify(await store.selectFrom('check_errors').selectAll().execute()),
    ]);
    await closeStore(store);
    // Every file the reports wrote, folders included (the 证据 folder of saved pages and screenshots).
    const files = readdirSync(out, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
    for (const file of files) {
      const buf = readFileSync(file);
      const name = file.slice(out.length + 1);
      if (/\.(png|jpe?g|webp)$/i.test(file)) continue; // pixels, not text: nothing to search
      if (/\.(xlsx|docx)$/i.test(file))
        for (const [entry, xml] of await readZipEntries(buf)) texts.push([`${name}:${entry}`, xml]);
      else if (file.endsWith('.pdf'))
        texts.push([
          name,
          execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], { input: buf }).toString(),
        ]);
      // JSON, HTML, CSV and anything else: searched as text.
      else texts.push([name, buf.toString('utf8')]);
    }
    expect(texts.some(([n]) => /\.xlsx:xl\/worksheets\/_rels\/sheet\d+\.xml\.rels$/.test(n))).toBe(true);
    const all = texts.map(([, t]) => t).join('\n');
    for (const [where, text] of texts)
      for (const value of [...RAW, percentEncoded(ID_ENCODED)])
        expect(text.includes(value), `${value.slice(0, 3)}… in ${where}`).toBe(false);
    // The values did travel into the outputs (masked): otherwise this test could not fail.
    for (const id of [ID_QUERY, ID_FILE, ID_ENCODED])
      expect(all).toContain(`${id.slice(0, 6)}********${id.slice(-4)}`);
    for (const mobile of [MOBILE_QUERY, MOBILE_ANCHOR])
      expect(all).toContain(`${mobile.slice(0, 3)}****${mobile.slice(-4)}`);
  });
});
