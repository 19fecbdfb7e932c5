/**
 * Scanned batches as an office scanner drops them (scan-to-folder): one multi-page TIFF, or one PDF
 * whose pages are images (written object by object, each page a Flate-compressed RGB image filling it).
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** A white sheet, the separator a clerk puts between slips. */
export function blankSheet(width = 900, height = 300): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
}

export function multiPageTiff(pages: Buffer[]): Promise<Buffer> {
  return sharp(pages, { join: { animated: true } })
    .tiff({ compression: 'lzw' })
    .toBuffer();
}

export async function imagePdf(pages: Buffer[]): Promise<Buffer> {
  const images = await Promise.all(
    pages.map((page) => sharp(page).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true })),
  );
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  const offsets: number[] = [];
  let length = chunks[0]!.length;
  const add = (id: number, head: string, stream?: Buffer) => {
    offsets[id] = length;
    const parts = stream
      ? [Buffer.from(`${id} 0 obj\n${head}\nstream\n`, 'latin1'), stream, Buffer.from('\nendstream\nendobj\n', 'latin1')]
      : [Buffer.from(`${id} 0 obj\n${head}\nendobj\n`, 'latin1')];
    for (const part of parts) {
      chunks.push(part);
      length += part.length;
    }
  };
  // Objects: 1 catalog, 2 page tree, then per page: page, content stream, image.
  const pageIds = images.map((_, index) => 3 + index * 3);
  add(1, '<< /Type /Catalog /Pages 2 0 R >>');
  add(2, `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${images.length} >>`);
  images.forEach(({ data, info }, index) => {
    const id = pageIds[index]!;
    // 72 pixels per inch: the page is as many points as the image is pixels.
    const { width, height } = info;
    const content = Buffer.from(`q ${width} 0 0 ${height} 0 0 cm /Im0 Do Q`, 'latin1');
    const pixels = deflateSync(data);
    add(id, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Resources << /XObject << /Im0 ${id + 2} 0 R >> >> /Contents ${id + 1} 0 R >>`);
    add(id + 1, `<< /Length ${content.length} >>`, content);
    add(
      id + 2,
      `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length ${pixels.length} >>`,
      pixels,
    );
  });
  const count = 3 + images.length * 3;
  let trailer = `xref\n0 ${count}\n0000000000 65535 f \n`;
  for (let id = 1; id < count; id += 1) trailer += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  trailer += `trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  chunks.push(Buffer.from(trailer, 'latin1'));
  return Buffer.concat(chunks);
}
