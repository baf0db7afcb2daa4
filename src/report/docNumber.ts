/**
 * GB/T 9704 文号: 机关代字〔年份〕序号号, e.g. 示政办〔2026〕12号. On its own (not in gongwen.ts) so that
 * the CLI can check --doc-number without loading the DOCX library.
 */
export const DOC_NUMBER_PATTERN = /^\S+〔\d{4}〕\d+号$/;
