// Stores come from openTestStore (through coreFixture.ts), so this file also runs on PostgreSQL.
import { describe, expect, it } from 'vitest';
import { consoleFixture, login, multipart } from './coreFixture.js';
import { listFeedback } from '../../src/store/feedback.js';
import { listAudit } from '../../src/store/audit.js';
import { listReviewedFindings } from '../../src/store/reviews.js';
import { findingKey } from '../../src/review/findingIdentity.js';

describe('整改反馈 and review in the console', () => {
  it('takes a unit’s feedback with a file, lets an inspector accept it, and logs both', async () => {
    const fx = await consoleFixture();
    const unit = await login(fx.app, 'mzj_user');
    const f = fx.finding.mzj;
    const pdf = Buffer.from('%PDF-1.4 整改截图');
    const sent = await fx.app.inject({
      method: 'POST',
      url: `/findings/${f.id}/feedback`,
      cookies: unit.cookie,
      ...multipart(
        { _csrf: unit.csrf, note: '死链已删除，联系人 13812345678' },
        { field: 'file', name: 'C:\\Users\\x\\整改说明.pdf', type: 'application/x-evil', data: pdf },
      ),
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/findings/${f.id}/feedback?sent=1`);
    const [fb] = await listFeedback(fx.db, { unitId: 'mzj' });
    expect(fb).toMatchObject({
      runId: fx.runId,
      unitId: 'mzj',
      findingId: f.id,
      findingKey: findingKey(f),
      fileName: '整改说明.pdf',
      fileType: 'application/pdf',
      hasFile: true,
      state: 'submitted',
      submittedBy: 'mzj_user',
    });
    expect(fb!.note).not.toContain('13812345678'); // masked like every output
    // A second submission waits for the decision on the first.
    const twice = await fx.app.inject({
      method: 'POST',
      url: `/findings/${f.id}/feedback`,
      cookies: unit.cookie,
      ...multipart({ _csrf: unit.csrf, note: '再次提交' }),
    });
    expect(twice.statusCode).toBe(409);

    // The file: the unit and the inspector, not another unit.
    const fileUrl = `/feedback/${fb!.id}/file`;
    const own = await fx.app.inject({ url: fileUrl, cookies: unit.cookie });
    expect(own.statusCode).toBe(200);
    expect(own.rawPayload.equals(pdf)).toBe(true);
    expect(own.headers['content-disposition']).toMatch(/^attachment/);
    const czj = await login(fx.app, 'czj_user');
    expect((await fx.app.inject({ url: fileUrl, cookies: czj.cookie })).statusCode).toBe(403);
    expect((await fx.app.inject({ url: `/feedback/${fb!.id}`, cookies: czj.cookie })).statusCode).toBe(403);
    const czjList = await fx.app.inject({ url: '/feedback', cookies: czj.cookie });
    expect(czjList.body).not.toContain('整改说明.pdf');
    const mzjList = await fx.app.inject({ url: '/feedback', cookies: unit.cookie });
    expect(mzjList.body).toContain('整改说明.pdf');

    // Units cannot decide; an inspector can, once; a rejection needs a reason.
    const decide = (cookie: Record<string, string>, csrf: string, payload: Record<string, string>) =>
      fx.app.inject({
        method: 'POST',
        url: `/feedback/${fb!.id}/decide`,
        cookies: cookie,
        payload: { _csrf: csrf, ...payload },
      });
    expect((await decide(unit.cookie, unit.csrf, { decision: 'accepted' })).statusCode).toBe(403);
    const insp = await login(fx.app, 'inspector');
    expect((await fx.app.inject({ url: fileUrl, cookies: insp.cookie })).statusCode).toBe(200);
    expect((await decide(insp.cookie, insp.csrf, { decision: 'rejected' })).statusCode).toBe(400);
    expect((await decide(insp.cookie, insp.csrf, { decision: 'accepted', note: '已核实' })).statusCode).toBe(
      303,
    );
    expect((await decide(insp.cookie, insp.csrf, { decision: 'rejected', note: '改主意' })).statusCode).toBe(
      409,
    );
    const [decided] = await listFeedback(fx.db, { state: 'accepted' });
    expect(decided).toMatchObject({ id: fb!.id, decidedBy: 'inspector', decisionNote: '已核实' });
    expect(decided!.decidedAt).toBe(fx.clock.now.toISOString());

    const audit = await listAudit(fx.db, {});
    const submit = audit.find((a) => a.action === 'feedback.submit')!;
    const accept = audit.find((a) => a.action === 'feedback.decide')!;
    expect(submit).toMatchObject({
      username: 'mzj_user',
      target: `feedback:${fb!.id}`,
      address: '127.0.0.1',
    });
    expect(submit.detail).toMatchObject({ findingId: f.id, unitId: 'mzj', file: '整改说明.pdf' });
    expect(JSON.stringify(submit.detail)).not.toContain('13812345678');
    expect(accept).toMatchObject({ username: 'inspector', target: `feedback:${fb!.id}` });
    expect(accept.detail).toMatchObject({ decision: 'accepted', note: '已核实' });
    // The accepted feedback page says so, to the unit too.
    const page = await fx.app.inject({ url: `/findings/${f.id}/feedback`, cookies: unit.cookie });
    expect(page.body).toContain('已认可');
  });

  it('refuses a file type that is not a document, picture or archive', async () => {
    const fx = await consoleFixture();
    const unit = await login(fx.app, 'mzj_user');
    const res = await fx.app.inject({
      method: 'POST',
      url: `/findings/${fx.finding.mzj.id}/feedback`,
      cookies: unit.cookie,
      ...multipart(
        { _csrf: unit.csrf, note: '已整改' },
        { field: 'file', name: 'fix.exe', type: 'application/pdf', data: Buffer.from('MZ') },
      ),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('文件类型不支持');
    expect(await listFeedback(fx.db, {})).toHaveLength(0);
  });

  it('saves a review in the ledger `xuncha review` reads, and logs it', async () => {
    const fx = await consoleFixture();
    const insp = await login(fx.app, 'inspector');
    const f = fx.finding.mzj;
    const post = (payload: Record<string, string>) =>
      fx.app.inject({
        method: 'POST',
        url: `/findings/${f.id}/review`,
        cookies: insp.cookie,
        payload: { _csrf: insp.csrf, ...payload },
      });
    expect((await post({ decision: 'dismissed' })).statusCode).toBe(400); // a reason is required
    expect((await post({ decision: 'maybe', reason: 'x' })).statusCode).toBe(400);
    const saved = await post({ decision: 'dismissed', reason: '该页面已按要求下线', next: '/units/mzj#f1' });
    expect(saved.headers.location).toBe('/units/mzj#f1');
    const reviewed = (await listReviewedFindings(fx.db, fx.runId)).find((x) => x.id === f.id)!;
    expect(reviewed.outcome).toBe('dismissed');
    expect(reviewed.review).toMatchObject({
      decision: 'dismissed',
      reason: '该页面已按要求下线',
      reviewer: 'inspector',
      runId: fx.runId,
    });
    const log = await fx.db.selectFrom('review_log').selectAll().execute();
    expect(log).toHaveLength(1);
    const page = await fx.app.inject({ url: `/findings/${f.id}/review`, cookies: insp.cookie });
    expect(page.body).toContain('已排除');
    // Withdrawn: the ledger forgets it, the log keeps both.
    expect((await post({ decision: 'clear', reason: '复核有误' })).statusCode).toBe(303);
    expect((await listReviewedFindings(fx.db, fx.runId)).find((x) => x.id === f.id)!.outcome).toBe('fail');
    expect(await fx.db.selectFrom('review_log').selectAll().execute()).toHaveLength(2);
    const audit = await listAudit(fx.db, {});
    expect(audit.filter((a) => a.action.startsWith('review')).map((a) => a.action)).toEqual([
      'review.clear',
      'review',
    ]);
    expect(audit.find((a) => a.action === 'review')!.detail).toMatchObject({
      decision: 'dismissed',
      reason: '该页面已按要求下线',
    });
    // The audit page shows it to an administrator, newest first.
    const admin = await login(fx.app, 'admin');
    const auditPage = await fx.app.inject({ url: '/audit', cookies: admin.cookie });
    expect(auditPage.statusCode).toBe(200);
    const cell = (label: string) => auditPage.body.indexOf(`<td>${label}</td>`);
    expect(cell('撤销复核')).toBeGreaterThan(0);
    expect(cell('撤销复核')).toBeLessThan(cell('复核'));
  });
});
