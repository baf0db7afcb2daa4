import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_PATH, LAUNCH_ARGS } from '../../src/render/htmlToPdf.js';
import { Camera, maskUrlAttributes, personalDataSpans, shootPage } from '../../src/evidence/shootPage.js';
import { HostGate } from '../../src/evidence/hostGate.js';
import { validId } from '../helpers/fakeIds.js';

const ID = validId('35050219900101123');
const MOBILE = '13812345678';

const ROSTER = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>公示</title>
<link rel="stylesheet" href="/style.css"><link rel="stylesheet" href="http://127.0.0.2:1/far.css"></head>
<body style="font-size:28px"><h1>低保对象公示</h1>
<table border="1"><tr><th>姓名</th><th>身份证号</th><th>联系电话</th></tr>
<tr><td>王某某</td><td>${ID}</td><td>${MOBILE}</td></tr></table>
<p><a href="/gone.html">失效链接</a></p>
<p>发布日期：2025-03-02</p>
<script>document.body.innerHTML = 'SCRIPT RAN';</script>
</body></html>`;

let browser: Browser;
let server: Server;
let origin: string;
const requested: string[] = [];

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS });
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    if (req.url === '/style.css') {
      res.writeHead(200, { 'Content-Type': 'text/css' });
      res.end('h1 { color: rgb(0, 128, 0); }');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

/** Pixels of a JPEG, read back by the same browser (no image library needed). */
async function pixels(image: Buffer, box: { x: number; y: number; width: number; height: number }) {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ src, box }) => {
        const img = new Image();
        img.src = src;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const data = ctx.getImageData(
          Math.round(box.x),
          Math.round(box.y),
          Math.round(box.width),
          Math.round(box.height),
        ).data;
        let dark = 0;
        let red = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i]! < 60 && data[i + 1]! < 60 && data[i + 2]! < 60) dark++;
          if (data[i]! > 180 && data[i + 1]! < 80 && data[i + 2]! < 80) red++;
        }
        return { dark: dark / (data.length / 4), red };
      },
      { src: `data:image/jpeg;base64,${image.toString('base64')}`, box },
    );
  } finally {
    await page.close();
  }
}

/** What tesseract reads in an image (digits and Latin; the numbers are what matter). */
function ocr(image: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-ocr-'));
  const file = join(dir, 'shot.jpg');
  writeFileSync(file, image);
  return execFileSync('tesseract', [file, 'stdout', '-l', 'eng', '--psm', '11'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

const digits = (s: string) => s.replace(/\D+/g, ' ');

describe('evidence screenshots', () => {
  it('finds personal data across the page texts and maps it back to each text', () => {
    const spans = personalDataSpans(['身份证号', ID, '电话：', MOBILE, '项目代码 2020-350502-48-01-001234']);
    expect(spans.map((s) => s.index).sort()).toEqual([1, 3]);
    const id = spans.find((s) => s.index === 1)!;
    expect([id.start, id.end]).toEqual([0, 18]);
    expect(id.masked).not.toContain(ID.slice(6, 14));
  });

  it('masks personal data in the image itself: OCR cannot read the number, the box is solid', async () => {
    const shot = await shootPage(browser, {
      url: `${origin}/roster.html`,
      html: ROSTER,
      targets: [{ pii: true }],
      banner: ['网上巡查取证截图', '抓取时间 2026-12-01 09:00'],
      userAgent: 'xuncha-test',
      gate: new HostGate(0),
    });
    expect(shot.masked).toBe(2);
    expect(shot.outlined).toBe(2);
    expect(shot.located).toBe(true);
    expect(shot.maskedHtml).not.toContain(ID);
    expect(shot.maskedHtml).not.toContain(MOBILE);
    // Page scripts never ran, and the saved copy keeps them inert (a CSP before them), no banner.
    expect(shot.maskedHtml).toContain('<h1>低保对象公示</h1>');
    expect(shot.maskedHtml).toMatch(
      /<head><meta http-equiv="Content-Security-Policy" content="script-src 'none'/,
    );
    expect(shot.maskedHtml).not.toContain('网上巡查取证截图');
    // The image: each masked value sits in a solid dark box...
    for (const box of shot.boxes) {
      const p = await pixels(shot.image, box);
      expect(p.dark).toBeGreaterThan(0.5);
    }
    // ...and OCR reads neither number (the birth date and the middle of the mobile are gone).
    const read = digits(ocr(shot.image));
    expect(read).not.toContain(ID.slice(6, 14));
    expect(read).not.toContain(MOBILE.slice(3, 7) + MOBILE.slice(7));
  });

  it('masks addresses in the saved copy, percent-encoded values included', () => {
    const encoded = [...ID].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
    const html = `<a href="/files/${encoded}.pdf">名单</a><img src='/p?id=${ID}'><a href="/ok/%E9%80%9A.html">通知</a>`;
    const out = maskUrlAttributes(html);
    expect(out).not.toContain(encoded);
    expect(out).not.toContain(ID);
    expect(out).toContain(`${ID.slice(0, 6)}********`);
    expect(out).toContain('href="/ok/%E9%80%9A.html"');
  });

  it('the OCR check can fail: the same page drawn without masking shows the number', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.setContent(ROSTER.replace(/<script>.*<\/script>/, ''));
      const image = Buffer.from(await page.screenshot({ type: 'jpeg', quality: 80 }));
      expect(digits(ocr(image))).toContain(ID.slice(6, 14));
    } finally {
      await page.close();
    }
  });

  it('outlines a dead link and a date, loads only same-host styles, never runs page scripts', async () => {
    requested.length = 0;
    const shot = await shootPage(browser, {
      url: `${origin}/list.html`,
      html: ROSTER,
      targets: [{ href: `${origin}/gone.html` }, { text: ['2025年3月2日', '2025-03-02'] }],
      banner: ['网上巡查取证截图'],
      userAgent: 'xuncha-test',
      gate: new HostGate(0),
    });
    expect(shot.outlined).toBe(2);
    expect(shot.located).toBe(true);
    expect(requested).toEqual(['/style.css']);
    expect(shot.maskedHtml).toContain('outline:3px solid #e00000');
  });

  it('without a gate, no sub-resource is requested at all', async () => {
    requested.length = 0;
    const shot = await shootPage(browser, {
      url: `${origin}/list.html`,
      html: ROSTER,
      targets: [],
      banner: [],
      userAgent: 'xuncha-test',
    });
    expect(requested).toEqual([]);
    expect(shot.located).toBe(false);
  });

  it('one camera, shot after shot: nothing of a shot reaches the next, and a failed one spoils none', async () => {
    const camera = new Camera(browser, 'xuncha-test');
    const plain =
      '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><h1>政务动态</h1></body></html>';
    try {
      requested.length = 0;
      const first = await camera.shoot({
        url: `${origin}/roster.html`,
        html: ROSTER,
        targets: [{ pii: true }, { href: `${origin}/gone.html` }],
        banner: ['网上巡查取证截图（一）'],
        gate: new HostGate(0),
      });
      expect(first.masked).toBe(2);
      // The same camera draws a page without the roster: no marks, no banner, no style of the first.
      const second = await camera.shoot({
        url: `${origin}/news.html`,
        html: plain,
        targets: [{ href: `${origin}/gone.html` }],
        banner: ['网上巡查取证截图（二）'],
      });
      expect(second.masked).toBe(0);
      expect(second.outlined).toBe(0);
      expect(second.located).toBe(false);
      expect(second.maskedHtml).toContain('<h1>政务动态</h1>');
      expect(second.maskedHtml).not.toContain('低保对象公示');
      expect(second.maskedHtml).not.toContain('outline:3px solid');
      expect(requested).toEqual(['/style.css']);
      // A shot that cannot load (no such scheme) fails alone; the next one is drawn as usual.
      await expect(
        camera.shoot({ url: 'ftp://127.0.0.1/x', html: plain, targets: [], banner: [] }),
      ).rejects.toThrow();
      const third = await camera.shoot({
        url: `${origin}/roster.html`,
        html: ROSTER,
        targets: [{ pii: true }],
        banner: ['网上巡查取证截图（三）'],
      });
      expect(third.masked).toBe(2);
      expect(third.maskedHtml).not.toContain(ID);
    } finally {
      await camera.close();
    }
  });

  it('the host gate spaces requests to one host and stops after 429', async () => {
    const gate = new HostGate(120);
    const times: number[] = [];
    const ok = { status: () => 200 };
    await Promise.all([1, 2, 3].map(() => gate.run('a', async () => (times.push(Date.now()), ok))));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(110);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(110);
    await gate.run('b', async () => ({ status: () => 429 }));
    expect(await gate.run('b', async () => ok)).toBeUndefined();
    expect(gate.backedOff()).toEqual(['b']);
  });
});
