/**
 * The README's pictures, redrawn from a demo run's outputs (never by hand):
 *   npx tsx scripts/readme-pictures.ts [reports/out/<batch>] [docs/pictures]
 * - notice.png: the first page of a 整改通知 PDF (pdftoppm, poppler-utils)
 * - report.png: the top of 报告.html in Chromium (ranking and charts)
 * - screenshot.png: the evidence screenshot of a personal-data finding (证据/*.jpg), as the reports embed it
 * Chromium is Debian's /usr/bin/chromium; nothing is fetched from the network.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, LAUNCH_ARGS } from '../src/render/htmlToPdf.js';
import type { InspectionReport } from '../src/report/model.js';

function latestRun(root: string): string {
  const runs = readdirSync(root)
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .sort((a, b) => b - a);
  // The first batch of the demo holds the notices (the second is the re-check's).
  const withNotices = runs.find((r) => readdirSync(join(root, String(r))).some((f) => f.endsWith('.pdf')));
  if (withNotices === undefined) throw new Error(`${root} 下没有含整改通知的批次`);
  return join(root, String(withNotices));
}

async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? latestRun('reports/out'));
  const out = resolve(process.argv[3] ?? 'docs/pictures');
  mkdirSync(out, { recursive: true });
  const notice = readdirSync(dir)
    .filter((f) => f.startsWith('整改通知-') && f.endsWith('.pdf'))
    .sort()[0];
  if (!notice) throw new Error(`${dir} 下没有整改通知 PDF`);
  // First page only, at a resolution that keeps the PNG small but the text legible.
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '60',
    '-f',
    '1',
    '-l',
    '1',
    '-singlefile',
    join(dir, notice),
    join(out, 'notice'),
  ]);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1100 } });
    await page.goto(`file://${join(dir, '报告.html')}`);
    await page.screenshot({ path: join(out, 'report.png') });
    // The screenshot proving a personal-data finding (the article carrying a roster), else the first.
    const report = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as InspectionReport;
    const pii = new Set(
      report.units.flatMap((u) =>
        u.findings.filter((f) => f.checkId === 'personal-data-exposure').map((f) => f.findingId),
      ),
    );
    const shot =
      report.screenshots.find((s) => s.located && s.findingIds.some((id) => pii.has(id))) ??
      report.screenshots[0];
    if (shot) {
      const jpeg = readFileSync(join(dir, shot.image));
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.setContent(
        `<body style="margin:0"><img src="data:image/jpeg;base64,${jpeg.toString('base64')}"></body>`,
      );
      await page.screenshot({ path: join(out, 'screenshot.png') });
    }
  } finally {
    await browser.close();
  }
  console.log(
    `已生成：${join(out, 'notice.png')}、${join(out, 'report.png')}、${join(out, 'screenshot.png')}`,
  );
}

await main();
