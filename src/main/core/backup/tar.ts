/**
 * POSIX ustar, just what backup sets need: regular files with paths under 100 bytes. GNU tar extracts
 * what the writer produces; the reader accepts only what the writer produces.
 */
const BLOCK = 512;
const MAX_SIZE = 8 ** 11 - 1; // 11 octal digits

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

export function tarFileHeader(name: string, size: number, mtimeMs: number): Buffer {
  if (Buffer.byteLength(name) > 99) throw new Error(`tar path too long: ${name}`);
  if (size > MAX_SIZE) throw new Error(`${name} is larger than 8 GiB, which ustar cannot hold`);
  const header = Buffer.alloc(BLOCK);
  header.write(name, 0, 'utf8');
  header.write(octal(0o644, 8), 100, 'latin1');
  header.write(octal(0, 8), 108, 'latin1');
  header.write(octal(0, 8), 116, 'latin1');
  header.write(octal(size, 12), 124, 'latin1');
  header.write(octal(Math.floor(mtimeMs / 1000), 12), 136, 'latin1');
  header.write('        ', 148, 'latin1');
  header.write('0', 156, 'latin1');
  header.write('ustar\x0000', 257, 'latin1');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return header;
}

export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

export const TAR_END = Buffer.alloc(2 * BLOCK);

export interface TarEntrySink {
  data(chunk: Buffer): void;
  end(): void;
}

/**
 * A push parser: feed bytes, get onEntry(name, size) per file and its data through the returned sink. The
 * sink gets views of the pushed bytes; nothing else is kept past push() (a header split between two pushes
 * is gathered in a block of its own), so the caller may then reuse them.
 */
export class TarReader {
  private readonly split = Buffer.alloc(BLOCK);
  /** Bytes of a header gathered in `split` so far. */
  private splitBytes = 0;
  private remaining = 0;
  private padding = 0;
  private sink: TarEntrySink | null = null;
  private ended = false;

  constructor(private readonly onEntry: (name: string, size: number) => TarEntrySink) {}

  push(data: Buffer): void {
    let rest = data;
    for (;;) {
      if (this.sink) {
        if (rest.length === 0) return;
        const take = Math.min(this.remaining, rest.length);
        this.sink.data(rest.subarray(0, take));
        rest = rest.subarray(take);
        this.remaining -= take;
        if (this.remaining > 0) return;
        this.sink.end();
        this.sink = null;
      }
      if (this.padding > 0) {
        const skip = Math.min(this.padding, rest.length);
        rest = rest.subarray(skip);
        this.padding -= skip;
        if (this.padding > 0) return;
      }
      let header: Buffer;
      if (this.splitBytes > 0 || rest.length < BLOCK) {
        const take = rest.copy(this.split, this.splitBytes, 0, BLOCK - this.splitBytes);
        rest = rest.subarray(take);
        this.splitBytes += take;
        if (this.splitBytes < BLOCK) return;
        this.splitBytes = 0;
        header = this.split;
      } else {
        header = rest.subarray(0, BLOCK);
        rest = rest.subarray(BLOCK);
      }
      if (header.every((byte) => byte === 0)) {
        this.ended = true;
        return;
      }
      if (this.ended) throw new Error('data after the end of the tar stream');
      this.readHeader(header);
    }
  }

  finish(): void {
    if (!this.ended || this.sink) throw new Error('the tar stream is incomplete');
  }

  private readHeader(header: Buffer): void {
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('latin1')
        .replace(/[\0 ]+$/, '');
    if (parseInt(field(148, 8), 8) !== sum || field(257, 6) !== 'ustar' || field(156, 1) !== '0') {
      throw new Error('a tar header is damaged or of an unexpected kind');
    }
    const name = header.subarray(0, 100).toString('utf8').replace(/\0+$/, '');
    const size = parseInt(field(124, 12), 8);
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    this.sink = this.onEntry(name, size);
    if (size === 0) {
      this.sink.end();
      this.sink = null;
    }
  }
}
