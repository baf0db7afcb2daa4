/**
 * What a published 基层政务公开标准目录 says, as the parser understood it — the one shape every
 * source format (HTML table, XLSX, DOCX, PDF, page text) is read into, and what the catalogue
 * checks and `xuncha catalogue` consume.
 */
import type { CatalogueTimeLimit } from '../catalogueTimeLimit.js';

export type { CatalogueTimeLimit } from '../catalogueTimeLimit.js';

/** The eight elements 明溪 (明政办〔2020〕34号) requires of every row, by the name reports use. */
export const CATALOGUE_ELEMENTS = [
  '事项名称',
  '公开内容',
  '公开依据',
  '公开时限',
  '公开主体',
  '公开方式',
  '公开渠道和载体',
  '公开对象',
] as const;
export type CatalogueElement = (typeof CATALOGUE_ELEMENTS)[number];

export interface CatalogueLink {
  url: string;
  text: string;
}

export interface PublishedCatalogueRow {
  /** 一级事项 (carried down over merged cells). */
  first: string;
  /** 二级事项; a three-level table joins 二级 and 三级 as `二级／三级`. */
  second: string;
  third?: string;
  content?: string;
  basis?: string;
  timeLimit?: CatalogueTimeLimit;
  subject?: string;
  /** Ticked channels (■/√/☑… cells, or a plain list), in the table's order. */
  channels: string[];
  /** Ticked 公开对象: 全社会 / 特定群体 … */
  audience: string[];
  /** Ticked 公开方式: 主动 / 依申请 … */
  mode: string[];
  /** Ticked 公开层级: 县级 / 乡级 … */
  levels: string[];
  /** Hyperlinks in the row (HTML sources), for following an item to its content. */
  links: CatalogueLink[];
  /** Elements that are missing, empty or a placeholder, in the words of CATALOGUE_ELEMENTS. */
  problems: CatalogueElement[];
  /** Where the row is in its source: `表1第5行`, `工作表「社会救助」第7行`, `第3页`, `第12行`. */
  location: string;
}

export type CatalogueFormat = 'html' | 'xlsx' | 'docx' | 'pdf' | 'text';

export interface PublishedCatalogue {
  /** The 26-domain name the title or heading names (CATALOGUE_DOMAINS spelling), when one does. */
  domain?: string;
  /** The document's own title, when it has one. */
  title?: string;
  format: CatalogueFormat;
  rows: PublishedCatalogueRow[];
  /** What could not be read, in Chinese, for a person (e.g. `表2无法识别表头`, `第4页无文字层`). */
  problems: string[];
}
