/** Hostile and broken inputs for the ingest bad-input tests, each written by hand in a few bytes. */
import { deflateSync } from 'node:zlib';
import { pdfBytes } from './fixtures';

/**
 * A PDF protected by a user password (standard security handler, RC4 40-bit): its /U entry does not
 * match the empty password, so a reader must ask for one.
 */
export function encryptedPdf(): Buffer {
  const plain = pdfBytes(1, 'secret').toString('latin1');
  const hex = (length: number, seed: number) => Array.from({ length }, (_, i) => ((i * 73 + seed) % 256).toString(16).padStart(2, '0')).join('');
  const encrypt = `<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <${hex(32, 11)}> /U <${hex(32, 97)}> >>`;
  const id = hex(16, 5);
  return Buffer.from(
    plain.replace(/trailer\n<< (.*?) >>/s, (_, entries: string) => `trailer\n<< ${entries} /Encrypt ${encrypt} /ID [<${id}> <${id}>] >>`),
    'latin1',
  );
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A decompression bomb: a valid PNG header for width × height greyscale pixels, with the first rows of data only (a few KB on disk). */
export function bombPng(width = 30_000, height = 30_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  const rows = deflateSync(Buffer.alloc((width + 1) * 16));
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]);
}
