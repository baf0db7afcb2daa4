import { describe, expect, it } from 'vitest';
import { openTestStore } from '../helpers/testStore.js';
import { startScheduler, type Clock, type Scheduler } from '../../src/schedule/scheduler.js';
import { JobRefused } from '../../src/jobs/jobControl.js';
import { recheckSource } from '../../src/jobs/recheck.js';
import {
  getScheduleJob,
  insertScheduleJobs,
  listScheduleJobs,
  updateScheduleJob,
} from '../../src/store/scheduleJobs.js';
import { createRun, setRunStatus } from '../../src/store/runs.js';
import { listAudit, recordAudit } from '../../src/store/audit.js';
import type { ConsoleEnv, JobControl, RunningJob } from '../../src/console/types.js';
import type { Logger } from '../../src/log.js';
import type { Db } from '../../src/store/db.js';

/** Time moves only when the test says so; timers fire in order, each after the last settled. */
class FakeClock implements Clock {
  private timers = new Map<number, { at: number; fn: () => void }>();
  private seq = 0;
  constructor(public t: number) {}
  now = () => new Date(this.t);
  setTimer = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return () => this.timers.delete(id);
  };
  async advanceTo(iso: string, s: Scheduler): Promise<void> {
    const target = Date.parse(iso);
    for (;;) {
      await s.settled();
      const [id, next] = [...this.timers].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (id === undefined || !next || next.at > target) break;
      this.timers.delete(id);
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = target;
    await s.settled();
  }
}

/**
 * Work as the console's JobControl does it, without crawling: a batch is a row in the store that
 * the test finishes; a second start while one runs is refused with JobRefused (the real one is
 * tested in test/jobs); a 复查 is recorded in the audit log as the real one records it.
 */
class FakeJobs implements JobControl {
  batches: number[] = [];
  rechecks: number[] = [];
  probes = 0;
  refused = 0;
  active: RunningJob[] = [];
  constructor(
    private db: Db,
    private clock: FakeClock,
  ) {}
  private async start(kind: 'batch' | 'recheck', seedsFile = 'units.yaml'): Promise<number> {
    if (this.active.length) {
      this.refused++;
      throw new JobRefused(`第 ${this.active[0]!.runId} 批次正在进行，两个批次不能同时进行`);
    }
    const runId = await createRun(this.db, {
      inspectionDate: '2026-12-01',
      seedsFile,
      settings: {},
    });
    this.active.push({
      kind,
      runId,
      startedAt: this.clock.now().toISOString(),
      startedBy: '定时任务',
      stage: '抓取',
    });
    return runId;
  }
  async startBatch(): Promise<{ runId: number }> {
    const runId = await this.start('batch');
    this.batches.push(runId);
    return { runId };
  }
  async startRecheck(_by: unknown, previous: number): Promise<{ runId: number }> {
    const runId = await this.start('recheck', recheckSource(previous));
    this.rechecks.push(previous);
    await recordAudit(this.db, {
      account: null,
      username: 'scheduler',
      action: 'batch.recheck',
      target: `run:${previous}`,
    });
    return { runId };
  }
  startProbe(): Promise<void> {
    this.probes++;
    return Promise.resolve();
  }
  running = () => this.active.map((j) => ({ ...j }));
  async finish(runId: number): Promise<void> {
    await setRunStatus(this.db, runId, 'reported');
    this.active = this.active.filter((j) => j.runId !== runId);
  }
}

const silent: Logger = { info() {}, warn() {}, error() {}, progress() {}, done() {} };

function env(db: Db, clock: FakeClock, jobs: JobControl): ConsoleEnv {
  return {
    db,
    log: silent,
    rulesDir: 'rules',
    outDir: '/nonexistent',
    issuer: '示范区',
    now: clock.now,
    jobs,
  };
}

/** Beijing 00:30 on 1 December 2026. */
const START = '2026-11-30T16:30:00Z';

describe('startScheduler with a fake clock', () => {
  it('starts the monthly batch at its time and the probe every hour, and skips a batch due while one runs', async () => {
    const db = await openTestStore();
    const clock = new FakeClock(Date.parse(START));
    const jobs = new FakeJobs(db, clock);
    const s = startScheduler(env(db, clock, jobs), { clock, pollMs: 10 * 60_000 });
    await s.settled();
    // A second batch job due at 02:00 Beijing, while the monthly one (01:00) still runs.
    await insertScheduleJobs(db, [
      { name: 'extra-batch', kind: 'batch', cron: '0 2 1 * *', enabled: true, options: {} },
    ]);
    // The defaults, created on an empty table, and the one added.
    expect((await listScheduleJobs(db)).map((j) => j.name)).toEqual([
      'deadline-reminder',
      'extra-batch',
      'hourly-probe',
      'monthly-batch',
      'recheck-after-deadline',
    ]);
    expect(s.next().find((n) => n.name === 'monthly-batch')?.at).toBe('2026-11-30T17:00:00.000Z');

    await clock.advanceTo('2026-11-30T16:59:59Z', s);
    expect([jobs.batches.length, jobs.probes]).toEqual([0, 0]);
    await clock.advanceTo('2026-11-30T17:00:00Z', s);
    expect(jobs.batches).toHaveLength(1);
    expect(jobs.probes).toBe(1);
    const monthly = await getScheduleJob(db, 'monthly-batch');
    expect(monthly).toMatchObject({
      lastStartedAt: '2026-11-30T17:00:00.000Z',
      lastOutcome: '运行中',
      lastRunId: jobs.batches[0],
    });

    await clock.advanceTo('2026-11-30T20:30:00Z', s);
    expect(jobs.probes).toBe(4); // 01:00, 02:00, 03:00, 04:00
    expect(jobs.batches).toHaveLength(1);
    expect(jobs.refused).toBe(1);
    const extra = await getScheduleJob(db, 'extra-batch');
    expect(extra?.lastOutcome).toMatch(/^跳过：第 \d+ 批次正在进行/);
    expect(await listAudit(db, { action: 'schedule.skip' })).toMatchObject([
      { username: 'scheduler', target: 'schedule:extra-batch' },
    ]);

    // The batch ends: its outcome is stored within one poll.
    await jobs.finish(jobs.batches[0]!);
    await clock.advanceTo('2026-11-30T20:45:00Z', s);
    expect((await getScheduleJob(db, 'monthly-batch'))?.lastOutcome).toBe(`完成：第 ${jobs.batches[0]} 批次`);
    await s.stop();
    await clock.advanceTo('2026-11-30T23:00:00Z', s);
    expect(jobs.probes).toBe(4);
  });

  it('keeps the schedule across a restart and runs a job missed while down once', async () => {
    const db = await openTestStore();
    const clock = new FakeClock(Date.parse(START));
    const jobs = new FakeJobs(db, clock);
    const first = startScheduler(env(db, clock, jobs), { clock, pollMs: 10 * 60_000 });
    await clock.advanceTo('2026-11-30T17:30:00Z', first);
    expect(jobs.batches).toHaveLength(1);
    await jobs.finish(jobs.batches[0]!);
    // An administrator moves the monthly batch to 03:00 and turns off the daily jobs.
    await updateScheduleJob(db, 'monthly-batch', { cron: '0 3 1 * *' });
    await updateScheduleJob(db, 'recheck-after-deadline', { enabled: false });
    await updateScheduleJob(db, 'deadline-reminder', { enabled: false });
    await first.stop();

    // Down over 1 January; back on 2 January at 10:10 Beijing.
    clock.t = Date.parse('2027-01-02T02:10:00Z');
    const probesBefore = jobs.probes;
    const second = startScheduler(env(db, clock, jobs), { clock, pollMs: 10 * 60_000 });
    await second.settled();
    expect(jobs.batches).toHaveLength(2); // the missed January batch, once
    expect(jobs.probes).toBe(probesBefore + 1); // the missed 10:00 probe, once
    expect((await getScheduleJob(db, 'monthly-batch'))?.lastStartedAt).toBe('2027-01-02T02:10:00.000Z');
    expect(second.next().map((n) => n.name)).toEqual(['hourly-probe', 'monthly-batch']);
    expect(second.next()[1]!.at).toBe('2027-01-31T19:00:00.000Z'); // 1 February 03:00 Beijing
    await jobs.finish(jobs.batches[1]!);
    await clock.advanceTo('2027-01-02T05:00:00Z', second);
    expect(jobs.batches).toHaveLength(2);
    expect(jobs.probes).toBe(probesBefore + 4); // 11:00, 12:00, 13:00
    await second.stop();
  });

  it('starts the 复查 once the deadline has passed by the set working days, once per batch', async () => {
    const db = await openTestStore();
    const runId = await createRun(db, {
      inspectionDate: '2026-12-01',
      seedsFile: 'units.yaml',
      settings: {},
    });
    await setRunStatus(db, runId, 'reported');
    const clock = new FakeClock(Date.parse('2026-12-10T00:00:00Z'));
    const jobs = new FakeJobs(db, clock);
    await insertScheduleJobs(db, [
      {
        name: 'recheck-after-deadline',
        kind: 'recheck',
        cron: '0 2 * * *',
        enabled: true,
        options: { workdaysAfterDeadline: 2 },
      },
    ]);
    const s = startScheduler(env(db, clock, jobs), { clock, pollMs: 6 * 3600_000 });
    // 10 working days after 1 December 2026 is 15 December; 2 more is 17 December.
    await clock.advanceTo('2026-12-16T12:00:00Z', s);
    expect(jobs.rechecks).toEqual([]);
    expect((await getScheduleJob(db, 'recheck-after-deadline'))?.lastOutcome).toContain('2026-12-17 起复查');
    await clock.advanceTo('2026-12-16T18:00:00Z', s); // 02:00 Beijing on the 17th
    expect(jobs.rechecks).toEqual([runId]);
    await jobs.finish(jobs.active[0]!.runId!);
    await clock.advanceTo('2026-12-19T00:00:00Z', s);
    expect(jobs.rechecks).toEqual([runId]);
    expect((await getScheduleJob(db, 'recheck-after-deadline'))?.lastOutcome).toContain('已复查过');
    await s.stop();
  });
});
