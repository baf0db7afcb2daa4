// Stores come from openTestStore (through coreFixture.ts), so this file also runs on PostgreSQL.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliEntry, runCli } from '../helpers/cli.js';
import { peekTestStore, testStoreLocation } from '../helpers/testStore.js';
import { consoleFixture, cookiesOf, formToken, login, loginAttempt, PASSWORD } from './coreFixture.js';
import { hashPassword, verifyPassword } from '../../src/console/auth/passwords.js';
import { LoginThrottle } from '../../src/console/auth/throttle.js';
import { listAudit } from '../../src/store/audit.js';

describe('console passwords and login', () => {
  it('stores passwords as salted scrypt hashes, never the text, and verifies them', async () => {
    const fx = await consoleFixture();
    const rows = await fx.db.selectFrom('accounts').select(['username', 'password_hash']).execute();
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(r.password_hash).not.toContain(PASSWORD);
    }
    const a = await hashPassword('same password!');
    const b = await hashPassword('same password!');
    expect(a).not.toBe(b); // random salt
    expect(await verifyPassword('same password!', a)).toBe(true);
    expect(await verifyPassword('same password?', a)).toBe(false);
    expect(await verifyPassword('same password!', 'plain')).toBe(false);
  });

  it('refuses a wrong password in Chinese and logs it; a good one opens a session', async () => {
    const fx = await consoleFixture();
    const bad = await loginAttempt(fx.app, 'inspector', 'wrong password');
    expect(bad.statusCode).toBe(401);
    expect(bad.body).toContain('用户名或密码错误');
    expect(cookiesOf(bad).xuncha_session).toBeUndefined();
    const unknown = await loginAttempt(fx.app, 'nobody', 'whatever12345');
    expect(unknown.statusCode).toBe(401);
    const ok = await loginAttempt(fx.app, 'inspector', PASSWORD);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/account');
    const audit = await listAudit(fx.db, {});
    expect(audit.map((r) => r.action)).toEqual(['login', 'login.failed', 'login.failed']);
    expect(audit[2]!.username).toBe('inspector');
  });

  it('rate-limits failures per username and per address (429, in Chinese), even for the right password', async () => {
    const fx = await consoleFixture({ loginThrottle: new LoginThrottle(5, 15 * 60 * 1000) });
    // Five failures for one name from five addresses: the name is locked everywhere.
    for (let i = 0; i < 5; i++)
      expect((await loginAttempt(fx.app, 'admin', 'nope nope nope', `10.0.0.${i + 1}`)).statusCode).toBe(401);
    const blocked = await loginAttempt(fx.app, 'admin', PASSWORD, '10.0.0.9');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('登录失败次数过多');
    expect(blocked.body).toMatch(/请 \d+ 分钟后再试/);
    // Other names from a fresh address still log in; five failures from one address lock that address.
    expect((await loginAttempt(fx.app, 'inspector', PASSWORD, '10.0.1.1')).statusCode).toBe(303);
    for (let i = 0; i < 5; i++) await loginAttempt(fx.app, `guess${i}`, 'nope nope nope', '10.0.2.1');
    expect((await loginAttempt(fx.app, 'inspector', PASSWORD, '10.0.2.1')).statusCode).toBe(429);
    // The window passes.
    fx.clock.now = new Date(fx.clock.now.getTime() + 16 * 60 * 1000);
    expect((await loginAttempt(fx.app, 'admin', PASSWORD, '10.0.0.9')).statusCode).toBe(303);
  });

  it('refuses a login form without its own token (login CSRF)', async () => {
    const fx = await consoleFixture();
    const res = await fx.app.inject({
      method: 'POST',
      url: '/login',
      payload: { username: 'admin', password: PASSWORD },
    });
    expect(res.statusCode).toBe(403);
    expect(cookiesOf(res).xuncha_session).toBeUndefined();
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, Secure when asked; stores only its sha256', async () => {
    for (const secureCookies of [false, true]) {
      const fx = await consoleFixture({ secureCookies });
      const res = await loginAttempt(fx.app, 'admin', PASSWORD);
      const c = res.cookies.find((x) => x.name === 'xuncha_session')!;
      expect(c.httpOnly).toBe(true);
      expect(c.sameSite).toBe('Strict');
      expect(c.path).toBe('/');
      expect(Boolean(c.secure)).toBe(secureCookies);
      expect(Buffer.from(c.value, 'base64url')).toHaveLength(32);
      const stored = await fx.db.selectFrom('sessions').select('token_hash').execute();
      expect(stored.map((s) => s.token_hash)).toEqual([createHash('sha256').update(c.value).digest('hex')]);
    }
  });

  it('does not follow next= off the site', async () => {
    const fx = await consoleFixture();
    const form = await fx.app.inject({ url: '/login' });
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const res = await fx.app.inject({
        method: 'POST',
        url: '/login',
        cookies: cookiesOf(form),
        payload: { _csrf: formToken(form.body), username: 'admin', password: PASSWORD, next },
      });
      expect(res.headers.location).toBe('/');
    }
  });

  it('ends sessions: idle, absolute, logout (with its token), disabled account, password reset', async () => {
    const fx = await consoleFixture();
    const page = (cookie: Record<string, string>) => fx.app.inject({ url: '/account', cookies: cookie });
    const s = await login(fx.app, 'inspector');
    fx.clock.now = new Date(fx.clock.now.getTime() + 90 * 60 * 1000);
    expect((await page(s.cookie)).statusCode).toBe(200);
    fx.clock.now = new Date(fx.clock.now.getTime() + 2 * 60 * 60 * 1000 + 1000);
    expect((await page(s.cookie)).headers.location).toBe('/login?next=%2Faccount');

    const t = await login(fx.app, 'inspector');
    for (let i = 0; i < 12; i++) {
      fx.clock.now = new Date(fx.clock.now.getTime() + 60 * 60 * 1000);
      await page(t.cookie);
    }
    expect((await page(t.cookie)).statusCode).toBe(302); // 12 h at most, however busy

    const u = await login(fx.app, 'inspector');
    const noToken = await fx.app.inject({ method: 'POST', url: '/logout', cookies: u.cookie, payload: {} });
    expect(noToken.statusCode).toBe(403);
    const out = await fx.app.inject({
      method: 'POST',
      url: '/logout',
      cookies: u.cookie,
      payload: { _csrf: u.csrf },
    });
    expect(out.headers.location).toBe('/login');
    expect((await page(u.cookie)).statusCode).toBe(302);

    const admin = await login(fx.app, 'admin');
    const victim = await login(fx.app, 'mzj_user');
    const inspector = await fx.db
      .selectFrom('accounts')
      .select('id')
      .where('username', '=', 'mzj_user')
      .executeTakeFirstOrThrow();
    const reset = await fx.app.inject({
      method: 'POST',
      url: `/accounts/${inspector.id}/password`,
      cookies: admin.cookie,
      payload: { _csrf: admin.csrf, password: 'a new password 1' },
    });
    expect(reset.statusCode).toBe(303);
    expect((await page(victim.cookie)).statusCode).toBe(302);
    expect((await loginAttempt(fx.app, 'mzj_user', PASSWORD)).statusCode).toBe(401);
    const again = await login(fx.app, 'mzj_user', 'a new password 1');
    await fx.app.inject({
      method: 'POST',
      url: `/accounts/${inspector.id}/disable`,
      cookies: admin.cookie,
      payload: { _csrf: admin.csrf, disabled: '1' },
    });
    expect((await page(again.cookie)).statusCode).toBe(302);
    expect((await loginAttempt(fx.app, 'mzj_user', 'a new password 1')).statusCode).toBe(401);
    const actions = (await listAudit(fx.db, {})).map((r) => r.action);
    expect(actions).toContain('account.password-reset');
    expect(actions).toContain('account.disable');
  });

  it('lets an administrator create accounts (hashed, with role and unit) and anyone change their own password', async () => {
    const fx = await consoleFixture();
    const admin = await login(fx.app, 'admin');
    const create = (payload: Record<string, string>) =>
      fx.app.inject({
        method: 'POST',
        url: '/accounts',
        cookies: admin.cookie,
        payload: { _csrf: admin.csrf, ...payload },
      });
    expect((await create({ username: 'wjj', role: 'unit', password: 'long enough pw' })).statusCode).toBe(
      400,
    );
    expect(
      (await create({ username: 'wjj', role: 'unit', unitId: 'wjj', password: 'short' })).statusCode,
    ).toBe(400);
    expect((await create({ username: 'admin', role: 'admin', password: 'long enough pw' })).statusCode).toBe(
      409,
    );
    // A unit outside the roster (here: the latest batch's units) is a typo, not a unit.
    const typo = await create({ username: 'wjj', role: 'unit', unitId: 'wjj', password: 'long enough pw' });
    expect(typo.statusCode).toBe(400);
    expect(typo.body).toContain('不在单位名单中');
    const ok = await create({
      username: 'wjj',
      displayName: '民政局联络员',
      role: 'unit',
      unitId: 'mzj',
      password: 'long enough pw',
    });
    expect(ok.headers.location).toBe('/accounts?done=created');
    const row = await fx.db
      .selectFrom('accounts')
      .selectAll()
      .where('username', '=', 'wjj')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: 'unit', unit_id: 'mzj', display_name: '民政局联络员' });
    expect(row.password_hash).not.toContain('long enough pw');

    const me = await login(fx.app, 'wjj', 'long enough pw');
    const change = (payload: Record<string, string>) =>
      fx.app.inject({
        method: 'POST',
        url: '/account/password',
        cookies: me.cookie,
        payload: { _csrf: me.csrf, ...payload },
      });
    expect(
      (await change({ current: 'wrong', password: 'another long one', confirm: 'another long one' }))
        .statusCode,
    ).toBe(400);
    expect(
      (await change({ current: 'long enough pw', password: 'another long one', confirm: 'different' }))
        .statusCode,
    ).toBe(400);
    const changed = await change({
      current: 'long enough pw',
      password: 'another long one',
      confirm: 'another long one',
    });
    expect(changed.headers.location).toBe('/login?changed=1');
    // The session that knew the old password has ended.
    expect((await fx.app.inject({ url: '/account', cookies: me.cookie })).statusCode).toBe(302);
    expect((await loginAttempt(fx.app, 'wjj', 'another long one')).statusCode).toBe(303);
  });
});

describe('xuncha serve --init-admin', () => {
  /** Start the console, wait for its URL, stop it with Ctrl+C; what it printed and its exit code. */
  function serveUntilReady(
    args: string[],
    env: Record<string, string>,
  ): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [...cliEntry(), 'serve', ...args], {
        env: { ...process.env, ...env, FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const onData = (c: Buffer) => {
        out += c.toString();
        const url = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
        if (url && !out.includes('#stopping')) {
          out += '#stopping';
          // The page answers before we stop it.
          void fetch(url[0] + 'login')
            .then((r) => r.text())
            .then((t) => (out += t.includes('登录') ? '#login-page' : '#no-login-page'))
            .finally(() => child.kill('SIGINT'));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
  }

  it('creates the first administrator from XUNCHA_ADMIN_PASSWORD, serves, and refuses a second', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-serve-'));
    const db = join(dir, 'x.db');
    const store = testStoreLocation(db);
    const rest = ['--out', join(dir, 'out'), '--port', '0', '--no-scheduler'];
    // runCli maps --db to the test's store itself; the hand-spawned console gets it mapped.
    const args = ['--db', db, ...rest];
    const short = await runCli(['serve', ...args, '--init-admin', 'boss'], 60_000);
    expect(short.code).toBe(2); // no password given on a pipe
    expect(short.stderr).toContain('XUNCHA_ADMIN_PASSWORD');
    const first = await serveUntilReady(['--db', store, ...rest, '--init-admin', 'boss'], {
      XUNCHA_ADMIN_PASSWORD: 'a good password 1',
    });
    expect(first.out).toContain('已创建管理员 boss');
    expect(first.out).toContain('#login-page');
    expect(first.code).toBe(0);
    const rows = await peekTestStore(db, (s) => s.selectFrom('accounts').selectAll().execute());
    expect(rows).toHaveLength(1);
    expect(rows![0]).toMatchObject({ username: 'boss', role: 'admin' });
    expect(rows![0]!.password_hash).not.toContain('a good password 1');
    process.env.XUNCHA_ADMIN_PASSWORD = 'another good one';
    try {
      const second = await runCli(['serve', ...args, '--init-admin', 'boss2'], 60_000);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain('已有管理员');
    } finally {
      delete process.env.XUNCHA_ADMIN_PASSWORD;
    }
  }, 120_000);
});
