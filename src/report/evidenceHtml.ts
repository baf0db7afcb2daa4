import type { ReportFinding, ReportUnit } from './model.js';
import type { ReportScreenshot } from './evidenceFiles.js';
import { escapeHtml } from './escape.js';

/**
 * 取证截图 in the offline HTML report: each screenshot of a unit embedded as a data: image (the
 * report stays one file that needs no network), with the record beside it, and the findings it
 * proves. Past `maxEmbeddedBytes` over the whole report, pictures are linked to the 证据 folder
 * instead, so a province-sized report stays openable.
 */
export interface EvidenceImages {
  images: Map<string, Buffer>;
  /** Bytes left to embed in the whole report (shared across units; decremented as used). */
  budget: { bytes: number };
}

export const DEFAULT_EMBED_BYTES = 40 * 1024 * 1024;

/** The anchor of a screenshot inside the report. */
export function shotAnchor(shot: ReportScreenshot): string {
  return `shot-${shot.imageHash.slice(0, 12)}`;
}

export function evidenceSectionHtml(
  unit: ReportUnit,
  shots: ReportScreenshot[],
  embed: EvidenceImages,
): string {
  const own = shots.filter((s) => s.unitId === unit.id);
  if (!own.length) return '';
  const out = ['<h4>取证截图</h4>', '<div class="shots">'];
  for (const s of own) {
    const image = embed.images.get(s.imageHash);
    const inline = image && image.length <= embed.budget.bytes;
    if (inline) embed.budget.bytes -= image.length;
    const alt = `页面截图：${s.pageUrl}`;
    const picture = inline
      ? `<img src="data:image/jpeg;base64,${image.toString('base64')}" alt="${escapeHtml(alt)}" loading="lazy">`
      : `<p><a href="${escapeHtml(s.image)}">${escapeHtml(`打开截图文件 ${s.image}`)}</a></p>`;
    const proves = s.findingIds
      .map((id) => unit.findings.find((f) => f.findingId === id))
      .filter((f): f is ReportFinding => !!f)
      .map((f) => f.message);
    const record = [
      `页面：${s.pageUrl}`,
      `抓取时间：${s.fetchedAt}（北京时间），HTTP ${s.status}`,
      `页面副本：${s.copy}（原始页面 SHA-256 ${s.bodyHash}）`,
      s.masked ? `截图中已遮蔽个人信息 ${s.masked} 处` : '',
      s.targets && !s.located ? '未能在页面上定位到问题元素，截图为页面顶部' : '',
      proves.length ? `所证明的问题：${[...new Set(proves)].slice(0, 5).join('；')}` : '',
    ].filter(Boolean);
    out.push(
      `<figure class="shot" id="${shotAnchor(s)}">${picture}<figcaption>`,
      record.map((line) => `<div>${escapeHtml(line)}</div>`).join(''),
      '</figcaption></figure>',
    );
  }
  out.push('</div>');
  return out.join('\n');
}

export const EVIDENCE_STYLE = `
.shots { display: flex; flex-direction: column; gap: 16px; }
figure.shot { margin: 0; border: 1px solid #ccc; padding: 8px; }
figure.shot img { max-width: 100%; height: auto; display: block; border: 1px solid #eee; }
figure.shot figcaption { font-size: 13px; color: #444; margin-top: 6px; overflow-wrap: anywhere; }
`;
