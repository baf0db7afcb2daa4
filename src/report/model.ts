import type { Category, Outcome } from '../checks/types.js';
import type { ReportScreenshot } from './evidenceFiles.js';

/**
 * InspectionReport: the single contract every output file reads (the xuncha "LHR").
 * Renderers take only this object; they never touch the store and never see raw personal data.
 */
export interface ReportFinding {
  /** The finding's 编号 in the store (what `xuncha review dismiss|confirm` takes). */
  findingId?: number;
  unitId: string;
  checkId: string;
  checkTitle: string;
  category: Category;
  categoryTitle: string;
  outcome: Outcome;
  kind: string;
  message: string;
  url: string;
  location: string;
  /** Already masked. */
  evidence: string;
  basis: string;
  advice: string;
  /** false when a figure behind the check is marked unverified in rules/. */
  verified: boolean;
  /**
   * For a finding in an attachment: the page (article) that links to it, title and URL, masked;
   * added when the report is built, from the run's stored links. Absent for pages and when no
   * crawled page links to the attachment.
   */
  foundOn?: { title: string; url: string };
  /** A person's decision on this finding (the outcome already reflects it). */
  review?: { decision: 'dismissed' | 'confirmed'; reason: string; reviewer: string; decidedAt: string };
}

export interface IndicatorResult {
  indicatorId: string;
  title: string;
  kind: 'veto' | 'deduct' | 'bonus';
  /** Points deducted (deduct), awarded (bonus) or 0; veto items report triggered instead. */
  points: number;
  triggered: boolean;
  findingCount: number;
  reason: string;
  verified: boolean;
}

/** One part of the unit's 政府信息公开专栏 and where it was found (the disclosure-column detection). */
export interface ReportDisclosurePart {
  /** disclosure-column part id: column, guide, rules, mandatory, annual-report, request, interpretation, catalogue. */
  part: string;
  /** Chinese name, e.g. 政府信息公开指南, 基层政务公开标准目录（社会救助）. */
  title: string;
  /** The best address found (masked); absent when the part was not found. */
  url?: string;
  /** How it was found: pinned, title, link-text or url-pattern. */
  signal?: string;
  /** The link text, page title or address part that matched (masked). */
  text?: string;
}

export interface ReportUnit {
  id: string;
  name: string;
  level: string;
  parent?: string;
  contact?: string;
  startUrls: string[];
  score: number;
  grade: string;
  rank: number;
  vetoed: boolean;
  vetoReason: string;
  reasons: IndicatorResult[];
  /**
   * Set when the home page could not be fetched: the crawl's evidence (masked). Such a unit has no
   * score and no grade (`grade` holds indicatorSystem.unreachable.title) and ranks below all others.
   */
  unscored?: string;
  /** Findings per category (category title → count). */
  counts: Record<string, number>;
  /** links: distinct link targets checked; deadLinks: those that failed (死链率 = deadLinks / links). */
  crawl: { pages: number; attachments: number; failures: number; links?: number; deadLinks?: number };
  findings: ReportFinding[];
  /** The 专栏 parts found or not (absent when the disclosure-column check is disabled or the run is older). */
  disclosure?: ReportDisclosurePart[];
  /**
   * 月度对比: the unit in the previous run (InspectionReport.previousRunId); absent when there is none
   * or the unit was not in it. rank and score are absent when the unit could not be scored then.
   * problems counts 问题 as src/report/counts.ts defines them.
   */
  previous?: ReportUnitPrevious;
  /** 问题 found now that the previous run did not have (matched by check, kind and URL). */
  opened?: number;
  /** 问题 of the previous run that are gone now (the re-check's 已整改). */
  closed?: number;
}

export interface ReportUnitPrevious {
  rank?: number;
  score?: number;
  grade?: string;
  problems: number;
}

export interface InspectionReport {
  tool: { name: 'xuncha'; version: string };
  runId: number;
  /** The latest earlier finished run sharing units with this one (月度对比); absent when none. */
  previousRunId?: number;
  /** That run's inspection date (YYYY-MM-DD). */
  previousInspectionDate?: string;
  /** The inspection date (YYYY-MM-DD) all freshness is measured against. */
  inspectionDate: string;
  startedAt: string;
  finishedAt: string;
  indicatorSystem: {
    id: string;
    title: string;
    failBelow: number;
    verified: boolean;
    /** How a unit whose home page could not be fetched is shown, and the indicator cited for it. */
    unreachable: { title: string; basis: string };
  };
  categories: { id: Category; title: string }[];
  units: ReportUnit[];
  /**
   * Rule figures that are marked unverified (shown in every report so users can correct them).
   * file is the rules file (for maintainers, kept out of the outputs an office sends); label names
   * the data for people, e.g. 检查项「栏目更新情况」.
   */
  unverified: { file: string; note: string; label?: string }[];
  /** Calendar coverage warnings, e.g. 2027 年节假日数据缺失，按周末推算. */
  calendarWarnings: string[];
  /** Evidence screenshots and saved copies of the pages behind the findings (src/evidence/). */
  screenshots: ReportScreenshot[];
  notice: {
    issuer: string;
    /** 整改时限 in working days and the computed date (YYYY-MM-DD). */
    deadlineWorkdays: number;
    deadline: string;
    /** The date the notices are issued (YYYY-MM-DD), shown under the issuer; defaults to inspectionDate. */
    issueDate?: string;
    /** 文号 of the notices (e.g. 示政办〔2026〕12号, from --doc-number); the notice template's otherwise. */
    docNumber?: string;
  };
}
