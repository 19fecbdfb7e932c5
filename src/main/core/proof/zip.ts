/**
 * A minimal ZIP writer and reader (PKWARE APPNOTE 6.3) for proof packages, so that `unzip` or any archive
 * tool opens them. The writer stores members uncompressed (method 0): originals are already compressed
 * images and PDFs, and stored bytes are what SHA256SUMS describes, byte for byte. The reader also inflates
 * method 8, so a package someone re-zipped with a standard tool still verifies. No ZIP64: a package is at
 * most 4 GiB and 65,535 members.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { SlipVaultError } from '../../../shared/errors';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const UTF8_NAMES = 0x0800;
const ENCRYPTED = 0x0001;
const STORE = 0;
const DEFLATE = 8;
const VERSION_NEEDED = 20;
/** Made by "UNIX" (3) so the external attributes below are read as permissions: rw-r--r--. */
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED;
const REGULAR_FILE_ATTRIBUTES = (0o100644 << 16) >>> 0;
const MAX_SIZE = 0xffffffff;
const MAX_MEMBERS = 0xffff;
/** A deflated member may claim up to 4 GiB; inflating more than this from a file of unknown origin is refused. */
const MAX_INFLATED = 1 << 30;

interface WrittenMember {
  name: Buffer;
  stamp: { date: number; time: number };
  crc: number;
  size: number;
  offset: number;
}

/** MS-DOS date and time fields, in UTC (ZIP has no time zone). */
function dosDateTime(at: Date): { date: number; time: number } {
  return {
    date: ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
  };
}

function tooLarge(): SlipVaultError {
  return new SlipVaultError('VALIDATION', 'A proof package is limited to 4 GiB and 65,535 files; export fewer documents at a time.').withMessage(
    'proof.tooLarge',
  );
}

/**
 * Writes members one after another to a file that must not exist yet; call finish() or abandon().
 * The SHA-256 of everything written is kept as it goes, so the caller learns the package's hash.
 */
export class ZipFileWriter {
  private readonly fd: number;
  private readonly digest = createHash('sha256');
  private readonly members: WrittenMember[] = [];
  private offset = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'wx');
  }

  private write(data: Uint8Array): void {
    let done = 0;
    while (done < data.length) done += writeSync(this.fd, data, done, data.length - done);
    this.digest.update(data);
    this.offset += data.length;
  }

  add(name: string, data: Uint8Array, modified: Date): void {
    if (this.members.length === MAX_MEMBERS || data.length > MAX_SIZE || this.offset + data.length > MAX_SIZE) throw tooLarge();
    const stamp = dosDateTime(modified);
    const member: WrittenMember = { name: Buffer.from(name, 'utf8'), stamp, crc: crc32(data), size: data.length, offset: this.offset };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(VERSION_NEEDED, 4);
    header.writeUInt16LE(UTF8_NAMES, 6);
    header.writeUInt16LE(STORE, 8);
    header.writeUInt16LE(stamp.time, 10);
    header.writeUInt16LE(stamp.date, 12);
    header.writeUInt32LE(member.crc, 14);
    header.writeUInt32LE(member.size, 18);
    header.writeUInt32LE(member.size, 22);
    header.writeUInt16LE(member.name.length, 26);
    header.writeUInt16LE(0, 28);
    this.write(header);
    this.write(member.name);
    this.write(data);
    this.members.push(member);
  }

  /** Writes the central directory, flushes the file to disk and closes it. */
  finish(): { bytes: number; sha256: string } {
    const directoryStart = this.offset;
    for (const member of this.members) {
      const header = Buffer.alloc(46);
      header.writeUInt32LE(CENTRAL_HEADER, 0);
      header.writeUInt16LE(VERSION_MADE_BY, 4);
      header.writeUInt16LE(VERSION_NEEDED, 6);
      header.writeUInt16LE(UTF8_NAMES, 8);
      header.writeUInt16LE(STORE, 10);
      header.writeUInt16LE(member.stamp.time, 12);
      header.writeUInt16LE(member.stamp.date, 14);
      header.writeUInt32LE(member.crc, 16);
      header.writeUInt32LE(member.size, 20);
      header.writeUInt32LE(member.size, 24);
      header.writeUInt16LE(member.name.length, 28);
      header.writeUInt32LE(REGULAR_FILE_ATTRIBUTES, 38);
      header.writeUInt32LE(member.offset, 42);
      this.write(header);
      this.write(member.name);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
    end.writeUInt16LE(this.members.length, 8);
    end.writeUInt16LE(this.members.length, 10);
    end.writeUInt32LE(this.offset - directoryStart, 12);
    end.writeUInt32LE(directoryStart, 16);
    this.write(end);
    fsyncSync(this.fd);
    closeSync(this.fd);
    return { bytes: this.offset, sha256: this.digest.digest('hex') };
  }

  /** Closes the file after a failure; the caller removes it. */
  abandon(): void {
    closeSync(this.fd);
  }
}

export interface ZipMember {
  name: string;
  /** The member's bytes, or null when they cannot be read back (see `damage`). */
  data: Buffer | null;
  /** Why the bytes are unusable: CRC-32 mismatch, unsupported compression, encryption. */
  damage: string | null;
}

function notAZip(reason: string): SlipVaultError {
  return new SlipVaultError('CORRUPT_FILE', `This is not a readable ZIP file: ${reason}.`).withMessage('proof.notAZip');
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const lowest = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= lowest; at -= 1) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY && at + 22 + zip.readUInt16LE(at + 20) === zip.length) return at;
  }
  throw notAZip('it has no end-of-central-directory record');
}

function memberBytes(zip: Buffer, name: string, flags: number, method: number, compressed: Buffer, size: number, crc: number): ZipMember {
  if (flags & ENCRYPTED) return { name, data: null, damage: `${name} is encrypted` };
  let data: Buffer;
  if (method === STORE) {
    data = compressed;
  } else if (method === DEFLATE) {
    if (size > MAX_INFLATED) return { name, data: null, damage: `${name} would inflate to ${size} bytes, more than this reader unpacks` };
    try {
      data = inflateRawSync(compressed, { maxOutputLength: Math.max(1, size) });
    } catch {
      return { name, data: null, damage: `${name} cannot be decompressed` };
    }
  } else {
    return { name, data: null, damage: `${name} uses compression method ${method}, which this reader does not know` };
  }
  if (data.length !== size) return { name, data: null, damage: `${name} is ${data.length} bytes long, but the ZIP directory says ${size}` };
  if (crc32(data) !== crc) return { name, data: null, damage: `${name} is damaged: its bytes do not match the ZIP file's CRC-32 for it` };
  return { name, data, damage: null };
}

/** Every member, in central-directory order. A broken ZIP structure is a CORRUPT_FILE error. */
export function readZip(zip: Buffer): ZipMember[] {
  if (zip.length < 22) throw notAZip('it is too short');
  const end = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const members: ZipMember[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < count; index += 1) {
    if (at + 46 > end || zip.readUInt32LE(at) !== CENTRAL_HEADER) throw notAZip(`its central directory is damaged at entry ${index + 1}`);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    if (at + 46 + nameLength > end) throw notAZip(`its central directory is damaged at entry ${index + 1}`);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (seen.has(name)) throw notAZip(`it holds two members named ${name}`);
    seen.add(name);
    if (localAt + 30 > zip.length || zip.readUInt32LE(localAt) !== LOCAL_HEADER) throw notAZip(`the local header of ${name} is missing`);
    const localNameLength = zip.readUInt16LE(localAt + 26);
    if (zip.toString('utf8', localAt + 30, localAt + 30 + localNameLength) !== name) throw notAZip(`the local header of ${name} names another member`);
    const dataAt = localAt + 30 + localNameLength + zip.readUInt16LE(localAt + 28);
    if (dataAt + compressedSize > zip.length) throw notAZip(`${name} runs past the end of the file`);
    members.push(memberBytes(zip, name, flags, method, zip.subarray(dataAt, dataAt + compressedSize), size, crc));
    at += 46 + nameLength + skip;
  }
  return members;
}
