/** Scan-sized files fast: a small real JPEG padded with incompressible APP15 segments (decoders skip them). */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import sharp from 'sharp';

export async function writePaddedJpeg(path: string, bytes: number): Promise<string> {
  const base = await sharp({ create: { width: 64, height: 96, channels: 3, background: { r: 240, g: 236, b: 220 } } })
    .jpeg()
    .toBuffer();
  const segments: Buffer[] = [];
  for (let left = bytes; left > 0; left -= 65533) {
    const size = Math.min(65533, left);
    const header = Buffer.from([0xff, 0xef, 0, 0]);
    header.writeUInt16BE(size + 2, 2);
    segments.push(header, randomBytes(size));
  }
  writeFileSync(path, Buffer.concat([base.subarray(0, 2), ...segments, base.subarray(2)]));
  return path;
}
