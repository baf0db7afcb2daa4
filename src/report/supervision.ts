import type { InspectionReport, ReportUnit } from './model.js';
import { unfinished, type RecheckReport, type RecheckUnit } from './recheck.js';

/**
 * 督办: after a 整改复查, every unit that left problems of its 整改通知 unfixed gets a 督办通知 with a
 * shorter deadline. This is the pure plan (who, which dates); supervisionContent words it and the
 * notice renderers lay it out like any 整改通知.
 */

/** A unit that gets a 督办通知: as the re-check inspection found it, and its re-check result. */
export interface SupervisionUnit {
  unit: ReportUnit;
  /** Its name in the earlier inspection (the 整改通知's title), when it was there. */
  previousName: string;
  recheck: RecheckUnit;
}

export interface SupervisionReport {
  /**
   * The re-check inspection's report: issuer, 文号 (--doc-number of `xuncha recheck`), categories,
   * unverified figures and the units' standing now.
   */
  report: InspectionReport;
  /** The 整改通知 the 督办 follows up: its issue date and deadline (YYYY-MM-DD). */
  first: { issueDate: string; deadline: string; deadlineWorkdays: number };
  /** The re-check inspection's date (YYYY-MM-DD, Beijing). */
  recheckDate: string;
  /** Working days after the first deadline up to the re-check date; 0 when it had not passed. */
  overdueWorkdays: number;
  /** The 督办通知's issue date and its deadline (YYYY-MM-DD). */
  issueDate: string;
  deadline: string;
  deadlineWorkdays: number;
  /** Units with 未整改 problems (unfinished > 0), in the re-check's order. */
  units: SupervisionUnit[];
}

/** What the plan needs of the WorkdayCalendar (src/workdays). */
export interface Workdays {
  addWorkdays(from: string, n: number): string;
  countWorkdays(from: string, to: string): number;
}

/**
 * Who gets a 督办通知 and by when. Units whose problems were all fixed (or can only be told
 * unverifiable or dismissed) get none. The new deadline counts `deadlineWorkdays` working days from
 * the issue date (default: the re-check's inspection date, as the 整改通知 counts from its own),
 * and is never earlier than the first deadline.
 */
export function planSupervision(
  recheck: RecheckReport,
  previous: InspectionReport,
  current: InspectionReport,
  calendar: Workdays,
  deadlineWorkdays: number,
  issueDate: string = current.notice.issueDate ?? current.inspectionDate,
): SupervisionReport {
  const first = {
    issueDate: previous.notice.issueDate ?? previous.inspectionDate,
    deadline: previous.notice.deadline,
    deadlineWorkdays: previous.notice.deadlineWorkdays,
  };
  const recheckDate = recheck.currentDate;
  const overdueWorkdays =
    recheckDate > first.deadline ? calendar.countWorkdays(first.deadline, recheckDate) : 0;
  const counted = calendar.addWorkdays(issueDate, deadlineWorkdays);
  // A re-check before the first deadline has passed does not shorten it.
  const deadline = counted < first.deadline ? first.deadline : counted;
  const workdays = deadline === counted ? deadlineWorkdays : calendar.countWorkdays(issueDate, deadline);
  const now = new Map(current.units.map((u) => [u.id, u]));
  const before = new Map(previous.units.map((u) => [u.id, u]));
  const units = recheck.units.flatMap((r): SupervisionUnit[] => {
    const unit = now.get(r.id);
    if (!unit || unfinished(r.counts) === 0) return [];
    return [{ unit, previousName: before.get(r.id)?.name ?? unit.name, recheck: r }];
  });
  return {
    report: current,
    first,
    recheckDate,
    overdueWorkdays,
    issueDate,
    deadline,
    deadlineWorkdays: workdays,
    units,
  };
}
