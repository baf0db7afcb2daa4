export type AttachmentFormat =
  'pdf' | 'docx' | 'xlsx' | 'pptx' | 'ofd' | 'doc' | 'xls' | 'html' | 'text' | 'zip' | 'image' | 'unknown';

export interface TextSegment {
  /** Chinese, e.g. 第3页, 正文, 页眉, 工作表「名单」第3行, 第2张幻灯片备注, 压缩包内 a.xlsx：工作表「名单」第3行. */
  location: string;
  text: string;
  /** Text that labels this segment (a table's header row); PII detection counts its context words. */
  context?: string;
}

export interface AttachmentText {
  format: AttachmentFormat;
  segments: TextSegment[];
  /**
   * Chinese; never raw personal data (all pass through maskText). Most mean "not fully checked, a
   * person must look"; a few only say what was read besides the obvious — see needsReview().
   */
  warnings: string[];
}

export interface AttachmentHint {
  url: string;
  contentType?: string;
}

/** What one format's parser returns; the facade masks the warnings. */
export interface Parsed {
  segments: TextSegment[];
  warnings: string[];
}
