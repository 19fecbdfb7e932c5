/**
 * Fills a new archive for bench:backup quickly: DOCS documents imported through the core, each a small
 * real JPEG padded with incompressible APP15 segments to about KB KiB (like a scan's size, without the
 * cost of encoding a large image). Usage: tsx bench/backup-archive.ts DIR DOCS KB
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import sharp from 'sharp';
import { initArchive } from '../src/main/core/archive';

const [dir, docsText, kbText] = process.argv.slice(2);
const DOCS = Number(docsText);
const KB = Number(kbText);
const SEGMENT = 65533; // the largest JPEG segment payload

/** `base` with APP15 segments of random bytes right after SOI; decoders skip them. */
function padded(base: Buffer, bytes: number): Buffer {
  const segments: Buffer[] = [];
  for (let left = Math.max(0, bytes - base.length); left > 0; left -= SEGMENT) {
    const size = Math.min(SEGMENT, left);
    const header = Buffer.from([0xff, 0xef, 0, 0]);
    header.writeUInt16BE(size + 2, 2);
    segments.push(header, randomBytes(size));
  }
  return Buffer.concat([base.subarray(0, 2), ...segments, base.subarray(2)]);
}

async function main(): Promise<void> {
  const base = await sharp({ create: { width: 64, height: 96, channels: 3, background: { r: 240, g: 236, b: 220 } } })
    .jpeg()
    .toBuffer();
  const archive = await initArchive(dir!, { actor: 'bench' });
  // The first admin, as bench:backup's CLI runs log in (SLIPVAULT_USER / SLIPVAULT_PASSWORD of its environment).
  await archive.accounts.setup({ username: process.env.SLIPVAULT_USER ?? 'bench', password: process.env.SLIPVAULT_PASSWORD ?? '' });
  const scratch = join(dir!, '..', 'bench-images');
  mkdirSync(scratch, { recursive: true });
  try {
    for (let i = 0; i < DOCS; i++) {
      const path = join(scratch, `slip-${i}.jpg`);
      writeFileSync(path, padded(base, KB * 1024));
      await archive.documents.importFile(path);
      rmSync(path);
    }
  } finally {
    archive.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
