import { describe, expect, it } from 'vitest';
import { crawlSettings } from '../../src/config/settings.js';
import { closeStore } from '../../src/store/db.js';
import { createRun, loadUnits, saveUnits } from '../../src/store/runs.js';
import type { Unit } from '../../src/seeds/unit.js';
import { openTestStore } from '../helpers/testStore.js';

describe('units in the store', () => {
  it('keep their scope: extra paths and pinned 专栏 pages', async () => {
    const db = await openTestStore();
    const runId = await createRun(db, {
      inspectionDate: '2026-12-07',
      seedsFile: 't',
      settings: crawlSettings(),
    });
    const mzj: Unit = {
      id: '民政局',
      name: '示范区民政局',
      level: '部门',
      startUrls: ['http://www.xx.gov.cn/zwgk/bm/mzj/'],
      catalogues: [],
      hosts: [],
      paths: ['http://www.xx.gov.cn/xwzx/mzdt/'],
      disclosure: { guide: 'http://www.xx.gov.cn/xxgk/zn/mzj.html' },
    };
    const plain: Unit = { ...mzj, id: 'czj', paths: [], disclosure: undefined };
    delete plain.disclosure;
    await saveUnits(db, runId, [mzj, plain]);
    const [a, b] = await loadUnits(db, runId);
    expect(a).toMatchObject({ id: '民政局', paths: mzj.paths, disclosure: mzj.disclosure });
    expect(b!.paths).toEqual([]);
    expect(b!.disclosure).toBeUndefined();
    await closeStore(db);
  });
});
