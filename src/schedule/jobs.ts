import { Cron } from 'croner';
import type { ScheduleJob, ScheduleKind } from '../store/scheduleJobs.js';

/** Every schedule is read in Beijing time, whatever the machine's zone. */
export const SCHEDULE_TZ = 'Asia/Shanghai';

export const KIND_LABELS: Record<ScheduleKind, string> = {
  batch: '定期巡查',
  probe: '可用性监测',
  recheck: '整改复查',
  reminder: '整改期限提醒',
};

export type NewJob = Pick<ScheduleJob, 'name' | 'kind' | 'cron' | 'enabled' | 'options'>;

/**
 * The schedule a new console starts with: the monthly batch on the 1st at 01:00, a probe round
 * every hour (24 a day meets the indicator's ≥ 20), a daily look at whether the latest batch's
 * 整改 deadline has passed by `workdaysAfterDeadline` working days (then its 复查 starts), and a
 * daily look at whether the deadline is `workdaysBefore` working days away (then the reminder).
 */
export const DEFAULT_JOBS: NewJob[] = [
  { name: 'monthly-batch', kind: 'batch', cron: '0 1 1 * *', enabled: true, options: {} },
  { name: 'hourly-probe', kind: 'probe', cron: '0 * * * *', enabled: true, options: {} },
  {
    name: 'recheck-after-deadline',
    kind: 'recheck',
    cron: '0 2 * * *',
    enabled: true,
    options: { workdaysAfterDeadline: 2 },
  },
  {
    name: 'deadline-reminder',
    kind: 'reminder',
    cron: '0 9 * * *',
    enabled: true,
    options: { workdaysBefore: 3 },
  },
];

/** A job's title for people: 定期巡查（monthly-batch）. */
export function jobTitle(job: Pick<ScheduleJob, 'name' | 'kind'>): string {
  return `${KIND_LABELS[job.kind] ?? job.kind}（${job.name}）`;
}

/** The pattern as croner reads it in Beijing time; only for computing times, it never runs. */
export function cronOf(pattern: string): Cron {
  return new Cron(pattern, { timezone: SCHEDULE_TZ, paused: true });
}

/**
 * Why a cron pattern is refused (Chinese), or undefined when it is fine: five fields (minute hour
 * day month weekday) as in crontab — croner's optional seconds field would allow a batch every
 * second — and at least one future time.
 */
export function cronProblem(pattern: string): string | undefined {
  const fields = pattern.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5)
    return `应为 5 个字段（分 时 日 月 周，如 0 1 1 * * 表示每月 1 日 01:00），实际为 ${fields.length} 个`;
  try {
    if (!cronOf(pattern).nextRun()) return '该表达式以后不会再到期';
  } catch {
    // croner's own reason is in English: say in Chinese what a field may hold.
    return '无法识别：每个字段应为数字、*、范围（如 1-5）、列表（如 1,15）或步长（如 */2），且在该字段的取值范围内';
  }
  return undefined;
}

/** The first due time strictly after `after`. */
export function nextDue(pattern: string, after: Date): Date | null {
  try {
    return cronOf(pattern).nextRun(after);
  } catch {
    return null;
  }
}

/** The latest due time at or before `at`. */
export function previousDue(pattern: string, at: Date): Date | undefined {
  try {
    return cronOf(pattern).previousRuns(1, at)[0];
  } catch {
    return undefined;
  }
}

/** Beijing wall-clock time for messages: 2026-12-01 01:00. */
export function beijingMinute(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
