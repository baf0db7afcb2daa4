import type { Logger } from '../log.js';

/**
 * The pipeline says what it is doing only in its log lines (runAllStages has no hooks), so the
 * console learns a batch's stage by watching them: a logger that passes everything on and notes
 * the stage each stage's first line announces, and the latest progress line.
 */
const STAGE_LINES: [RegExp, string][] = [
  [/开始抓取/, '抓取'],
  [/开始检查/, '检查'],
  [/开始截图取证/, '截图'],
  // The scoring and report stages write nothing when they start; they follow the evidence.
  [/截图取证完成|未截图取证/, '评分与报告'],
  [/整改复查：第/, '整改复查'],
];

export interface StageLogger extends Logger {
  stage(): string;
  setStage(stage: string): void;
}

export function stageLogger(log: Logger, initial: string): StageLogger {
  let stage = initial;
  let progress = '';
  const watch = (message: string) => {
    for (const [re, s] of STAGE_LINES)
      if (re.test(message)) {
        stage = s;
        progress = '';
      }
  };
  return {
    info(m, d) {
      watch(m);
      log.info(m, d);
    },
    warn: (m, d) => log.warn(m, d),
    error: (m, d) => log.error(m, d),
    progress(lines, d) {
      // The crawl's last line is its total (合计 … 已抓 … 待抓 …).
      progress =
        lines
          .filter((l) => l.trim())
          .at(-1)
          ?.trim() ?? '';
      log.progress(lines, d);
    },
    done: () => log.done(),
    stage: () => (progress ? `${stage}（${progress}）` : stage),
    setStage(s) {
      stage = s;
      progress = '';
    },
  };
}
