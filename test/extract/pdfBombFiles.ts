import { constants, deflateRawSync, deflateSync } from 'node:zlib';

// PDFs for the decompression-bomb test and bench (bench/pdf-bomb.ts), built in milliseconds.
//
// Deflating gigabytes of zeros would take the test seconds per GiB. After a full flush a deflate
// stream is byte-aligned and refers to nothing before it, so the compressed form of 1 MiB of zeros
// can be repeated as often as needed; only the Adler-32 trailer has to cover the whole output.

const MIB = 1024 * 1024;
const ADLER_MOD = 65521;

function adler32(zeros: number, tail: Buffer): number {
  let a = 1;
  // Zeros leave a alone (a = 1) and add a to b once per byte.
  let b = zeros % ADLER_MOD;
  for (const byte of tail) {
    a = (a + byte) % ADLER_MOD;
    b = (b + a) % ADLER_MOD;
  }
  return ((b << 16) | a) >>> 0;
}

/** A zlib stream that inflates to `zeros` zero bytes followed by `tail`. */
export function zerosThenDeflate(zeros: number, tail: Buffer = Buffer.alloc(0)): Buffer {
  const full = deflateSync(Buffer.alloc(MIB), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const header = full.subarray(0, 2);
  const mib = full.subarray(2);
  const parts: Buffer[] = [header];
  for (let i = 0; i < Math.floor(zeros / MIB); i++) parts.push(mib);
  const rest = zeros % MIB;
  if (rest > 0) parts.push(deflateRawSync(Buffer.alloc(rest), { finishFlush: constants.Z_FULL_FLUSH }));
  parts.push(deflateRawSync(tail)); // ends with the final block
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(adler32(zeros, tail));
  parts.push(trailer);
  return Buffer.concat(parts);
}

export type PdfPart = string | Buffer;

/** A PDF of the given objects (object i+1 is objects[i]; object 1 must be the catalogue), with an xref table. */
export function pdfFrom(objects: PdfPart[][]): Buffer {
  const chunks: Buffer[] = [Buffer.from('%PDF-1.5\n', 'latin1')];
  let length = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((parts, i) => {
    offsets.push(length);
    const body = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
      ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)),
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    chunks.push(body);
    length += body.length;
  });
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  return Buffer.concat([...chunks, Buffer.from(xref, 'latin1')]);
}

/** A stream object's parts: `dict` is the inside of its dictionary, without /Length. */
export function streamObject(dict: string, data: Buffer): PdfPart[] {
  return [`<< ${dict} /Length ${data.length} >>\nstream\n`, data, '\nendstream'];
}

/** Text drawn in Helvetica at the top of a page, one line per entry. */
export function textContent(lines: string[]): string {
  return lines.map((l, i) => `BT /F1 12 Tf 20 ${780 - 16 * i} Td (${l}) Tj ET`).join('\n');
}

/**
 * A PDF with one page per content stream; each entry is the page's content stream as stored
 * (`filter` says how: '' for plain text). `extra` objects follow the pages (an /ObjStm, an image…).
 */
export function pagesPdf(pages: { data: Buffer; filter: string }[], extra: PdfPart[][] = []): Buffer {
  const kids = pages.map((_, i) => `${4 + 2 * i} 0 R`).join(' ');
  const objects: PdfPart[][] = [
    ['<< /Type /Catalog /Pages 2 0 R >>'],
    [`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`],
    ['<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'],
  ];
  pages.forEach((p, i) => {
    objects.push([
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] ` +
        `/Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * i} 0 R >>`,
    ]);
    objects.push(streamObject(p.filter, p.data));
  });
  return pdfFrom([...objects, ...extra]);
}

/** A one-page PDF whose content stream inflates to `zeros` zero bytes and then draws `lines`. */
export function bombPdf(zeros: number, lines: string[] = []): Buffer {
  const content = zerosThenDeflate(zeros, Buffer.from(`\n${textContent(lines)}\n`, 'latin1'));
  return pagesPdf([{ data: content, filter: '/Filter /FlateDecode' }]);
}

/** A page whose content stream is plain (uncompressed) text. */
export function plainPage(lines: string[]): { data: Buffer; filter: string } {
  return { data: Buffer.from(textContent(lines), 'latin1'), filter: '' };
}
