import { AlignmentType, ImageRun, Paragraph, TextRun } from 'docx';
import type { NoticeShot } from './noticeShots.js';
import { DOCX_FONTS } from './gongwen.js';
import { escapeHtml } from './escape.js';
import { printable } from './noticeContent.js';

/**
 * Renderers of the 取证截图 annex of a notice (content in noticeShots.ts), for the PDF's HTML and
 * for the DOCX: the picture centred, its caption under it, two to a page.
 */

/** Screenshots are 1280 × 900 CSS pixels. */
const ASPECT = 900 / 1280;
/**
 * 120 mm wide (84 mm tall): two figures with their captions fit the 225 mm text block of a 公文
 * page, where a full-width one (156 × 110 mm) left room for one.
 */
const SHOT_WIDTH_MM = 120;

/** The annex in the PDF's HTML: one figure per screenshot, two to a page. */
export function noticeShotsHtml(shots: NoticeShot[], images: Map<string, Buffer>): string {
  return shots
    .map((s) => {
      const image = images.get(s.imageHash);
      const picture = image
        ? `<img class="shot" src="data:image/jpeg;base64,${image.toString('base64')}" alt="${escapeHtml(s.title)}">`
        : '<p class="shot-missing">（截图文件缺失）</p>';
      const caption = [s.title, s.record, s.proves]
        .filter(Boolean)
        .map((line) => `<div>${escapeHtml(line)}</div>`)
        .join('');
      return `<figure class="shot">${picture}<figcaption>${caption}</figcaption></figure>`;
    })
    .join('\n');
}

/** Style for the figures: two to a page, caption in 五号. */
export const NOTICE_SHOT_STYLE = `
figure.shot { margin: 0 0 6mm; break-inside: avoid; }
figure.shot img.shot { width: ${SHOT_WIDTH_MM}mm; height: auto; border: 0.3mm solid #999; display: block; margin: 0 auto; }
figure.shot figcaption { font-size: 10.5pt; line-height: 1.4; margin-top: 1.5mm; word-break: break-all; }
`;

/** The annex in the DOCX: the picture inline and centred, then its caption. */
export function noticeShotsDocx(shots: NoticeShot[], images: Map<string, Buffer>): Paragraph[] {
  // Images are sized in pixels at 96 per inch.
  const width = Math.round((SHOT_WIDTH_MM / 25.4) * 96);
  const height = Math.round(width * ASPECT);
  const caption = (text: string) =>
    new Paragraph({
      alignment: AlignmentType.LEFT,
      children: [new TextRun({ text: printable(text), font: DOCX_FONTS.body, size: 21 })],
    });
  return shots.flatMap((s) => {
    const image = images.get(s.imageHash);
    const picture = image
      ? new Paragraph({
          alignment: AlignmentType.CENTER,
          keepNext: true,
          children: [
            new ImageRun({
              type: 'jpg',
              data: image,
              transformation: { width, height },
              altText: { name: s.title, description: s.title, title: s.title },
            }),
          ],
        })
      : caption('（截图文件缺失）');
    return [picture, ...[s.title, s.record, s.proves].filter(Boolean).map(caption), new Paragraph({})];
  });
}
