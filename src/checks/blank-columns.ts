import { z } from 'zod';
import { defineCheck } from './defineCheck.js';

const options = z.object({}).strict();

export const blankColumns = defineCheck({
  id: 'blank-columns',
  title: '空白栏目',
  failureTitle: '栏目有、内容无（空白栏目）',
  category: 'update',
  options,
  run(e) {
    return e.columns
      .filter((c) => c.items.length === 0)
      .map((c) => ({
        outcome: 'fail' as const,
        kind: 'blank',
        message: `栏目「${c.name}」没有任何信息（空白栏目）`,
        url: c.url,
        location: `栏目「${c.name}」`,
        evidence: c.blankMarker ? '页面显示「暂无信息」' : '栏目列表为空',
      }));
  },
});
