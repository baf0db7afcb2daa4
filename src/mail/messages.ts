import type { InspectionReport, ReportUnit } from '../report/model.js';
import { countProblems } from '../report/counts.js';
import { formatChineseDate } from '../report/noticeContent.js';
import { maskText } from '../pii/mask.js';
import { unfinished, type RecheckReport } from '../report/recheck.js';

/**
 * The words of the console's mails, in the tone of a 公文 cover letter: addressee, what happened,
 * what is asked and by when, sender and date. Every text passes through maskText — a unit's name
 * or a scraped title may carry a phone number — so nothing personal leaves in a mail body.
 */
export interface MailText {
  subject: string;
  text: string;
}

function masked(m: MailText): MailText {
  return { subject: maskText(m.subject), text: maskText(m.text) };
}

function signature(issuer: string, date: string): string {
  return `\n\n${issuer}\n${formatChineseDate(date)}\n\n（本邮件由网上巡查系统自动发送，请勿直接回复。）`;
}

function scored(report: InspectionReport): ReportUnit[] {
  return report.units.filter((u) => u.unscored === undefined).sort((a, b) => a.rank - b.rank);
}

function rankLine(u: ReportUnit): string {
  return `第${u.rank}名  ${u.name}  ${u.score.toFixed(1)}分（${u.grade}），问题${countProblems(u.findings)}个`;
}

/** To the office: ranking top and bottom, counts, the deadline, where the rest is. */
export function summaryMail(
  report: InspectionReport,
  o: {
    today: string;
    consoleUrl?: string;
    noticesSent: number;
    noticeUnits: number;
    recheck?: RecheckReport;
  },
): MailText {
  const ranked = scored(report);
  const top = ranked.slice(0, 5);
  const bottom = ranked.length > 5 ? ranked.slice(-Math.min(5, ranked.length - 5)) : [];
  const problems = report.units.reduce((n, u) => n + countProblems(u.findings), 0);
  const unreachable = report.units.filter((u) => u.unscored !== undefined);
  const vetoed = ranked.filter((u) => u.vetoed);
  const lines = [
    '政务公开办：',
    '',
    `\u3000\u3000第${report.runId}批次政府网站网上巡查已完成（检查日期${formatChineseDate(report.inspectionDate)}）。` +
      `本次共巡查${report.units.length}个单位，发现问题${problems}个` +
      (vetoed.length ? `，${vetoed.length}个单位触发单项否决` : '') +
      (unreachable.length ? `，${unreachable.length}个单位网站无法访问未评分` : '') +
      '。现将有关情况报告如下。',
    '',
    '\u3000\u3000一、排名靠前的单位',
    ...top.map((u) => `\u3000\u3000${rankLine(u)}`),
  ];
  if (bottom.length)
    lines.push('', '\u3000\u3000二、排名靠后的单位', ...bottom.map((u) => `\u3000\u3000${rankLine(u)}`));
  if (unreachable.length)
    lines.push(
      '',
      `\u3000\u3000${bottom.length ? '三' : '二'}、未评分的单位：${unreachable.map((u) => u.name).join('、')}`,
    );
  if (o.recheck) lines.push('', recheckParagraph(o.recheck));
  lines.push(
    '',
    `\u3000\u3000${o.recheck ? '整改通知和督办通知' : '整改通知'}共${o.noticeUnits}份，已向${o.noticesSent}个单位的联系人发送（未能发送的见控制台邮件记录）。` +
      `整改期限为${formatChineseDate(report.notice.deadline)}（${report.notice.deadlineWorkdays}个工作日）。`,
    '',
    '\u3000\u3000排名表见附件。' +
      (o.consoleUrl
        ? `详细情况请登录巡查控制台查看：${o.consoleUrl.replace(/\/$/, '')}/batches/${report.runId}`
        : ''),
  );
  return masked({
    subject: `关于第${report.runId}批次政府网站网上巡查情况的报告（${formatChineseDate(report.inspectionDate)}）`,
    text: lines.join('\n') + signature(report.notice.issuer, o.today),
  });
}

/** After a 复查: how the units did, for the office's summary (one paragraph). */
export function recheckParagraph(recheck: RecheckReport): string {
  const sum = (f: (u: RecheckReport['units'][number]) => number) =>
    recheck.units.reduce((n, u) => n + f(u), 0);
  const left = recheck.units.filter((u) => unfinished(u.counts) > 0).length;
  return (
    `\u3000\u3000本批次为第${recheck.previousRunId}批次的整改复查：已整改${sum((u) => u.counts.fixed)}个问题，` +
    `未整改${sum((u) => unfinished(u.counts))}个，新发现${sum((u) => u.counts.new)}个；` +
    (left ? `${left}个单位仍有未整改问题，已向其发送督办通知。` : '各单位均已完成整改。') +
    '整改复查表见附件。'
  );
}

/** To a unit after a 复查 that left problems unfixed: its 督办通知 attached. */
export function supervisionMail(
  report: InspectionReport,
  unit: ReportUnit,
  previousRunId: number,
  today: string,
): MailText {
  return masked({
    subject: `关于${unit.name}网站问题整改情况的督办通知`,
    text:
      `${unit.name}：\n\n` +
      `\u3000\u3000我办于${formatChineseDate(report.inspectionDate)}对第${previousRunId}批次网上巡查发现的问题进行了整改复查，` +
      '你单位仍有问题未整改到位，具体问题及督办要求详见附件《督办通知》。请高度重视，按期整改到位，' +
      '并登录巡查控制台逐项提交整改反馈。' +
      signature(report.notice.issuer, today),
  });
}

/** To a unit: its 整改通知 attached. */
export function noticeMail(report: InspectionReport, unit: ReportUnit, today: string): MailText {
  const problems = countProblems(unit.findings);
  return masked({
    subject: `关于${unit.name}政府网站网上巡查发现问题的整改通知`,
    text:
      `${unit.name}：\n\n` +
      `\u3000\u3000根据政府网站和政务公开工作有关要求，我办于${formatChineseDate(report.inspectionDate)}对你单位网站开展了网上巡查，` +
      `发现问题${problems}个，具体问题及整改要求详见附件《整改通知》。\n\n` +
      `\u3000\u3000请你单位对照问题逐项整改，于${formatChineseDate(report.notice.deadline)}前完成，` +
      '并登录巡查控制台逐项提交整改反馈。逾期未完成整改的，将在整改复查后发出督办通知。' +
      signature(report.notice.issuer, today),
  });
}

/** To a unit, some working days before its deadline. */
export function reminderMail(
  report: InspectionReport,
  unit: ReportUnit,
  today: string,
  workdaysLeft: number,
): MailText {
  return masked({
    subject: `关于${unit.name}网站问题整改期限即将届满的提醒`,
    text:
      `${unit.name}：\n\n` +
      `\u3000\u3000我办第${report.runId}批次网上巡查《整改通知》要求你单位于${formatChineseDate(report.notice.deadline)}前完成网站问题整改，` +
      `距整改期限还有${workdaysLeft}个工作日。请抓紧整改，并登录巡查控制台逐项提交整改反馈；` +
      '整改期满后将进行复查，仍未整改的问题将予以督办。' +
      signature(report.notice.issuer, today),
  });
}

export function testMail(issuer: string, today: string, by: string): MailText {
  return masked({
    subject: '网上巡查系统测试邮件',
    text:
      '您好：\n\n\u3000\u3000这是网上巡查控制台发出的测试邮件（由' +
      by +
      '发起），收到本邮件说明邮件发送设置正确，无需回复。' +
      signature(issuer, today),
  });
}
