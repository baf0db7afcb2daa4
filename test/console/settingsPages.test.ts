import { describe, expect, it } from 'vitest';
import { consoleFixture, login, multipart } from './coreFixture.js';
import { listAudit } from '../../src/store/audit.js';
import { getScheduleJob } from '../../src/store/scheduleJobs.js';
import { getSmtpSettings } from '../../src/store/consoleSettings.js';
import { rosterUnits } from '../../src/jobs/roster.js';

// The stores come from openTestStore (through consoleFixture): the PostgreSQL pass runs this file too.

const YAML = `units:
  - id: mzj
    name: 示范区民政局
    level: 部门
    start: ["http://mzj.example.gov.cn/"]
    contact: 办公室 张三 13812345678 zs@mzj.example.gov.cn
  - id: czj
    name: 示范区财政局
    level: 部门
    start: ["http://czj.example.gov.cn/"]
`;

const BAD_CSV =
  '单位名称,级别,网址\n示范区民政局,部门,http://mzj.example.gov.cn/\n示范区财政局,部门,czj.example.gov.cn\n';

describe('settings pages', () => {
  it('imports the roster from a seed file, shows errors by line and column, edits a unit', async () => {
    const fx = await consoleFixture();
    const s = await login(fx.app, 'admin');
    const get = (url: string) => fx.app.inject({ url, cookies: s.cookie });
    const before = await get('/settings/units');
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('暂用第 1 批次的单位名单');
    expect(before.body).not.toContain('<script>alert');
    expect(before.body).toContain('&lt;script&gt;');

    const bad = multipart(
      { _csrf: s.csrf },
      { field: 'file', name: '名单.csv', type: 'text/csv', data: Buffer.from(BAD_CSV) },
    );
    const refused = await fx.app.inject({
      method: 'POST',
      url: '/settings/units',
      cookies: s.cookie,
      ...bad,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('名单.csv');
    expect(refused.body).toMatch(/<td class="num">3<\/td>\s*<td>网址<\/td>/);
    expect((await rosterUnits(fx.db))?.source).toBe('第 1 批次的单位名单');

    const good = multipart(
      { _csrf: s.csrf },
      { field: 'file', name: 'units.yaml', type: 'text/yaml', data: Buffer.from(YAML) },
    );
    const imported = await fx.app.inject({
      method: 'POST',
      url: '/settings/units',
      cookies: s.cookie,
      ...good,
    });
    expect(imported.statusCode).toBe(303);
    const list = await get('/settings/units?done=imported');
    expect(list.body).toContain('单位名单已导入');
    expect(list.body).toContain('138****5678');
    expect(list.body).not.toContain('13812345678');

    const edit = (fields: Record<string, string>) =>
      fx.app.inject({
        method: 'POST',
        url: '/settings/units/czj',
        cookies: s.cookie,
        payload: { _csrf: s.csrf, ...fields },
      });
    const wrong = await edit({
      name: '示范区财政局',
      level: '部门',
      start: 'czj.example.gov.cn',
      contact: '',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('http:// 或 https://');
    const saved = await edit({
      name: '示范区财政局（国资办）',
      level: '部门',
      start: 'https://czj.example.gov.cn/',
      contact: 'cz@example.gov.cn',
    });
    expect(saved.statusCode).toBe(303);
    const czj = (await rosterUnits(fx.db))!.units.find((u) => u.id === 'czj')!;
    expect(czj).toMatchObject({
      name: '示范区财政局（国资办）',
      startUrls: ['https://czj.example.gov.cn/'],
      contact: 'cz@example.gov.cn',
    });
    expect((await listAudit(fx.db)).map((a) => a.action)).toEqual(
      expect.arrayContaining(['settings.units.import', 'settings.units.edit']),
    );
    const yaml = await get('/settings/units.yaml');
    expect(yaml.body).toContain('示范区财政局（国资办）');

    const inspector = await login(fx.app, 'inspector');
    expect((await fx.app.inject({ url: '/settings/units', cookies: inspector.cookie })).statusCode).toBe(403);
  });

  it('edits a job with a checked cron and keeps the SMTP password write-only', async () => {
    const fx = await consoleFixture();
    const s = await login(fx.app, 'admin');
    const page = await fx.app.inject({ url: '/settings/schedule', cookies: s.cookie });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('monthly-batch');
    const post = (url: string, fields: Record<string, string>) =>
      fx.app.inject({ method: 'POST', url, cookies: s.cookie, payload: { _csrf: s.csrf, ...fields } });
    const wrong = await post('/settings/schedule/monthly-batch', { cron: '0 1 1 * * *', enabled: '1' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('应为 5 个字段');
    expect((await post('/settings/schedule/monthly-batch', { cron: '30 2 2 * *' })).statusCode).toBe(303);
    expect(await getScheduleJob(fx.db, 'monthly-batch')).toMatchObject({
      cron: '30 2 2 * *',
      enabled: false,
    });
    expect(
      (
        await post('/settings/schedule/recheck-after-deadline', {
          cron: '0 2 * * *',
          enabled: '1',
          days: '5',
        })
      ).statusCode,
    ).toBe(303);
    expect((await getScheduleJob(fx.db, 'recheck-after-deadline'))?.options).toEqual({
      workdaysAfterDeadline: 5,
    });

    const smtp = {
      host: 'smtp.example.gov.cn',
      port: '25',
      user: 'gkb',
      from: '政务公开办 <gkb@example.gov.cn>',
      office: 'gkb@example.gov.cn\nleader@example.gov.cn',
    };
    expect((await post('/settings/mail', { ...smtp, password: 'secret-pass-1' })).statusCode).toBe(303);
    const mail = await fx.app.inject({ url: '/settings/mail', cookies: s.cookie });
    expect(mail.body).not.toContain('secret-pass-1');
    expect(mail.body).toContain('已设置，留空则不修改');
    expect((await post('/settings/mail', { ...smtp, port: '587', password: '' })).statusCode).toBe(303);
    expect(await getSmtpSettings(fx.db)).toMatchObject({
      port: 587,
      password: 'secret-pass-1',
      office: ['gkb@example.gov.cn', 'leader@example.gov.cn'],
    });
    expect(JSON.stringify(await listAudit(fx.db, { action: 'settings.mail' }))).not.toContain(
      'secret-pass-1',
    );
    expect((await post('/settings/mail', { ...smtp, office: 'not-an-address' })).statusCode).toBe(400);
  });
});
