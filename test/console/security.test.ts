// Stores come from openTestStore (through coreFixture.ts), so this file also runs on PostgreSQL.
import { describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { consoleFixture, HOSTILE, login, multipart, type Fixture } from './coreFixture.js';
import { coreRoutes } from '../../src/console/pages/coreRoutes.js';
import { viewRoutes } from '../../src/console/pages/viewRoutes.js';
import { settingsRoutes } from '../../src/console/pages/settingsRoutes.js';
import { safeName } from '../../src/console/pages/downloads.js';
import type { PageRoute } from '../../src/console/types.js';

const allRoutes: PageRoute[] = [...coreRoutes, ...viewRoutes, ...settingsRoutes];

/** A route path with its parameters filled: `:unitId` → unit, other `:x` → id, `*` → file. */
function fill(path: string, values: { unit: string; id: number; file?: string }): string {
  return path
    .replace(/:unitId\b/g, encodeURIComponent(values.unit))
    .replace(/:[A-Za-z]+/g, String(values.id))
    .replace('*', values.file ?? 'x');
}

/** Notices as writeReports names them, plus the rest of a batch folder. */
function writeBatchFiles(fx: Fixture): void {
  const dir = join(fx.outDir, String(fx.runId));
  mkdirSync(join(dir, '证据'), { recursive: true });
  writeFileSync(join(dir, '整改通知-示范区民政局.docx'), 'mzj notice');
  writeFileSync(join(dir, '整改通知-示范区民政局.pdf'), 'mzj notice pdf');
  writeFileSync(join(dir, `整改通知-${safeName(HOSTILE)}.docx`), 'czj notice');
  writeFileSync(join(dir, '督办通知-示范区民政局.pdf'), 'mzj supervision');
  writeFileSync(join(dir, `督办通知-${safeName(HOSTILE)}.pdf`), 'czj supervision');
  writeFileSync(join(dir, '网上巡查排名.xlsx'), 'workbook');
  writeFileSync(join(dir, '报告.html'), '<script>alert(1)</script>');
  writeFileSync(join(dir, '证据', 'a.png'), 'png');
  writeFileSync(join(fx.outDir, 'secret.txt'), 'outside the batch');
  symlinkSync(join(fx.outDir, 'secret.txt'), join(dir, '整改通知-示范区民政局-link.docx'));
}

const get = (fx: Fixture, url: string, cookie?: Record<string, string>) =>
  fx.app.inject({ method: 'GET', url, ...(cookie ? { cookies: cookie } : {}) });

describe('console security', () => {
  it('sends every path to the login page without a session, except the login page and its assets', async () => {
    const fx = await consoleFixture();
    const paths = allRoutes
      .filter((r) => r.method === 'GET')
      .map((r) => fill(r.path, { unit: 'mzj', id: 1 }));
    expect(paths.length).toBeGreaterThan(8);
    for (const path of [...paths, '/', '/no/such/page', '/assets/../server.ts', '/assets/x/../../etc']) {
      const res = await get(fx, path);
      expect(res.statusCode, path).toBe(302);
      // (inject normalises `/assets/../x` to `/x` before the server sees it.)
      expect(res.headers.location, path).toMatch(/^\/login\?next=%2F/);
    }
    for (const r of allRoutes.filter((x) => x.method === 'POST')) {
      const res = await fx.app.inject({
        method: 'POST',
        url: fill(r.path, { unit: 'mzj', id: 1 }),
        payload: {},
      });
      expect(res.statusCode, r.path).toBe(302);
      expect(res.headers.location).toBe('/login');
    }
    const loginPage = await get(fx, '/login');
    expect(loginPage.statusCode).toBe(200);
    expect(loginPage.body).toContain('登录');
    const css = await get(fx, '/assets/console.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect((await get(fx, '/assets/console.js')).headers['content-type']).toContain('javascript');
    expect((await get(fx, '/assets/nothing.css')).statusCode).toBe(404);
  });

  it('sends security headers and answers unknown paths and bad bodies in Chinese', async () => {
    const fx = await consoleFixture({ uploadLimitBytes: 1000 });
    const s = await login(fx.app, 'mzj_user');
    const res = await get(fx, '/account', s.cookie);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.body).not.toMatch(/<script>(?!<\/script>)|<script[^>]*>[^<]/); // no inline script
    const missing = await get(fx, '/no/such/page', s.cookie);
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('页面不存在');
    const big = multipart(
      { _csrf: s.csrf, note: '已整改' },
      { field: 'file', name: 'big.pdf', type: 'application/pdf', data: Buffer.alloc(5000) },
    );
    const tooLarge = await fx.app.inject({
      method: 'POST',
      url: `/findings/${fx.finding.mzj.id}/feedback`,
      cookies: s.cookie,
      ...big,
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.body).toContain('上传的文件过大');
    const badJson = await fx.app.inject({
      method: 'POST',
      url: `/findings/${fx.finding.mzj.id}/feedback`,
      cookies: s.cookie,
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.body).toContain('无法解析');
  });

  it('lets each role see what it should and refuses the rest (403)', async () => {
    const fx = await consoleFixture();
    const admin = await login(fx.app, 'admin');
    const inspector = await login(fx.app, 'inspector');
    const unit = await login(fx.app, 'mzj_user');
    const f = fx.finding.mzj.id;
    const expectations: [string, Record<string, string>, number][] = [
      ['/accounts', admin.cookie, 200],
      ['/audit', admin.cookie, 200],
      ['/accounts', inspector.cookie, 403],
      ['/audit', inspector.cookie, 403],
      [`/findings/${f}/review`, inspector.cookie, 200],
      ['/feedback', inspector.cookie, 200],
      ['/accounts', unit.cookie, 403],
      ['/audit', unit.cookie, 403],
      [`/findings/${f}/review`, unit.cookie, 403],
      [`/findings/${f}/feedback`, unit.cookie, 200],
      ['/feedback', unit.cookie, 200],
      ['/account', unit.cookie, 200],
    ];
    for (const [url, cookie, status] of expectations) {
      const res = await get(fx, url, cookie);
      expect(res.statusCode, url).toBe(status);
      if (status === 403) expect(res.body).toContain('无权访问');
    }
    // The menu offers only what the role may open.
    const unitPage = (await get(fx, '/account', unit.cookie)).body;
    expect(unitPage).not.toContain('href="/accounts"');
    expect(unitPage).toContain('href="/feedback"');
    expect((await get(fx, '/account', admin.cookie)).body).toContain('href="/accounts"');
    // One heading per page, whether the page brings its own or the layout adds it.
    for (const url of ['/', '/batches', '/accounts', '/feedback'])
      expect((await get(fx, url, admin.cookie)).body.match(/<h1[\s>]/g), url).toHaveLength(1);
  });

  it("refuses a unit user another unit's pages, findings, feedback file and notice by URL", async () => {
    const fx = await consoleFixture();
    writeBatchFiles(fx);
    const mzj = await login(fx.app, 'mzj_user');
    const other = fx.finding.czj.id;
    expect((await get(fx, `/findings/${other}/feedback`, mzj.cookie)).statusCode).toBe(403);
    const post = multipart({ _csrf: mzj.csrf, note: '已整改' });
    expect(
      (
        await fx.app.inject({
          method: 'POST',
          url: `/findings/${other}/feedback`,
          cookies: mzj.cookie,
          ...post,
        })
      ).statusCode,
    ).toBe(403);
    // Every registered page about a unit, asked for the other unit.
    for (const r of allRoutes.filter(
      (x) => x.method === 'GET' && x.path.includes(':unitId') && x.roles.includes('unit'),
    )) {
      const url = fill(r.path, { unit: 'czj', id: fx.runId });
      expect((await get(fx, url, mzj.cookie)).statusCode, url).toBe(403);
    }
    // Notices: its own by name, never the other unit's, the workbook, 报告.html, evidence, or a link out.
    const file = (name: string) =>
      `/batches/${fx.runId}/files/${name.split('/').map(encodeURIComponent).join('/')}`;
    const own = await get(fx, file('整改通知-示范区民政局.docx'), mzj.cookie);
    expect(own.statusCode).toBe(200);
    expect(own.body).toBe('mzj notice');
    expect(own.headers['content-disposition']).toContain("filename*=UTF-8''");
    expect((await get(fx, file('督办通知-示范区民政局.pdf'), mzj.cookie)).body).toBe('mzj supervision');
    for (const name of [
      `整改通知-${safeName(HOSTILE)}.docx`,
      `督办通知-${safeName(HOSTILE)}.pdf`,
      '网上巡查排名.xlsx',
      '报告.html',
      '证据/a.png',
      '整改通知-示范区民政局-link.docx',
    ])
      expect((await get(fx, file(name), mzj.cookie)).statusCode, name).toBe(403);
    const notices = await get(fx, '/notices', mzj.cookie);
    expect(notices.statusCode).toBe(200);
    expect(notices.body).toContain('整改通知-示范区民政局.docx');
    expect(notices.body).toContain('督办通知-示范区民政局.pdf');
    expect(notices.body).not.toContain(`整改通知-${safeName(HOSTILE)}`.replace(/"/g, '&quot;'));
    expect(notices.body).not.toContain('_script_');
    expect(notices.body).not.toContain('网上巡查排名');
    const list = await get(fx, `/batches/${fx.runId}/files`, mzj.cookie);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('整改通知-示范区民政局.pdf');
    expect(list.body).not.toContain('网上巡查排名');
    expect(list.body).not.toContain('link.docx');
    // An inspector fetches anything in the folder, but nothing outside it, even through a link.
    const insp = await login(fx.app, 'inspector');
    expect((await get(fx, file('网上巡查排名.xlsx'), insp.cookie)).statusCode).toBe(200);
    const report = await get(fx, file('报告.html'), insp.cookie);
    expect(report.headers['content-disposition']).toMatch(/^attachment/);
    expect(report.headers['content-security-policy']).toContain('sandbox');
    for (const bad of [
      `/batches/${fx.runId}/files/..%2Fsecret.txt`,
      `/batches/${fx.runId}/files/../secret.txt`,
      `/batches/${fx.runId}/files/%2E%2E/secret.txt`,
      `/batches/${fx.runId}/files/${encodeURIComponent('整改通知-示范区民政局-link.docx')}`,
      `/batches/${fx.runId}/files/%2Fetc%2Fpasswd`,
    ]) {
      const res = await get(fx, bad, insp.cookie);
      expect(res.statusCode, bad).toBeGreaterThanOrEqual(400);
      expect(res.body).not.toContain('outside the batch');
    }
  });

  it('fails closed when a route admitting unit users cannot name the unit', async () => {
    const fx = await consoleFixture({
      routes: [
        {
          method: 'GET',
          path: '/test/no-scope',
          roles: ['unit', 'inspector'],
          handle: async () => ({ kind: 'json', data: { ok: true } }),
        },
        {
          method: 'GET',
          path: '/test/undefined-scope',
          roles: ['unit'],
          unitOf: async () => undefined,
          handle: async () => ({ kind: 'json', data: { ok: true } }),
        },
      ],
    });
    const unit = await login(fx.app, 'mzj_user');
    expect((await get(fx, '/test/no-scope', unit.cookie)).statusCode).toBe(403);
    expect((await get(fx, '/test/undefined-scope', unit.cookie)).statusCode).toBe(403);
    const insp = await login(fx.app, 'inspector');
    expect((await get(fx, '/test/no-scope', insp.cookie)).statusCode).toBe(200);
  });

  it('refuses a POST without or with a wrong CSRF token, accepts the header form', async () => {
    const fx = await consoleFixture();
    const s = await login(fx.app, 'inspector');
    const url = `/findings/${fx.finding.mzj.id}/review`;
    const payload = { decision: 'dismissed', reason: '值班电话' };
    for (const extra of [{}, { _csrf: 'wrong' }, { _csrf: '' }]) {
      const res = await fx.app.inject({
        method: 'POST',
        url,
        cookies: s.cookie,
        payload: { ...payload, ...extra },
      });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('表单校验失败');
    }
    // Another session's token is not this one's.
    const other = await login(fx.app, 'admin');
    expect(
      (
        await fx.app.inject({
          method: 'POST',
          url,
          cookies: s.cookie,
          payload: { ...payload, _csrf: other.csrf },
        })
      ).statusCode,
    ).toBe(403);
    expect(await fx.db.selectFrom('reviews').selectAll().execute()).toHaveLength(0);
    const ok = await fx.app.inject({
      method: 'POST',
      url,
      cookies: s.cookie,
      headers: { 'x-csrf-token': s.csrf },
      payload,
    });
    expect(ok.statusCode).toBe(303);
  });

  it('shows a hostile unit name and finding message as text on every page it reaches', async () => {
    const fx = await consoleFixture();
    const insp = await login(fx.app, 'inspector');
    const czj = await login(fx.app, 'czj_user');
    await fx.app.inject({
      method: 'POST',
      url: `/findings/${fx.finding.czj.id}/feedback`,
      cookies: czj.cookie,
      ...multipart({ _csrf: czj.csrf, note: '<script>alert(2)</script>已整改' }),
    });
    for (const url of [
      `/findings/${fx.finding.czj.id}/review`,
      `/findings/${fx.finding.czj.id}/feedback`,
      '/feedback',
    ]) {
      const body = (await get(fx, url, insp.cookie)).body;
      expect(body, url).not.toContain('<script>alert');
      expect(body, url).not.toContain('<img src=x');
      expect(body, url).toContain('&lt;script&gt;');
    }
  });
});
