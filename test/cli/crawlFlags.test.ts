import { describe, expect, it } from 'vitest';
import { settingsFromFlags, UserError } from '../../src/cli/common.js';

describe('crawl flags', () => {
  it('maps flags onto crawl settings', () => {
    const s = settingsFromFlags({
      perHost: 4,
      delay: 200,
      parseThreads: 0,
      external: false,
      render: 'never',
    });
    expect(s).toMatchObject({
      perHostConcurrency: 4,
      perHostDelayMs: 200,
      analysisWorkers: 0,
      checkExternalLinks: false,
      render: 'never',
    });
    expect(settingsFromFlags({}).analysisWorkers).toBeUndefined();
  });

  it('names the flag and the problem in Chinese instead of printing a schema error', () => {
    const message = (flags: Record<string, unknown>) => {
      try {
        settingsFromFlags(flags);
      } catch (err) {
        expect(err).toBeInstanceOf(UserError);
        return (err as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(message({ parseThreads: 99 })).toBe('参数 --parse-threads 无效：不能大于 16');
    expect(message({ perHost: 0 })).toBe('参数 --per-host 无效：不能小于 1');
    expect(message({ maxDepth: 1.5 })).toBe('参数 --max-depth 无效：应为整数');
    expect(message({ delay: Number('abc') })).toBe('参数 --delay 应为数字');
  });
});
