/**
 * Files handed over as bytes, kept until an import used them: the preview host's uploads (a browser cannot
 * hand over file paths, so the page uploads each file and imports the returned path) and, on a server, the
 * uploads a workstation sends in pieces over its connection (`begin` / `appendPiece`, core/uploads/upload-calls.ts).
 * Each upload is a file in its own folder of this run's temp folder; it stays
 * only until a call that used it has finished (import or pages:add, success or failure), or until it has
 * waited unused past `maxAgeMs`. Together the waiting uploads may take at most `maxPendingBytes`, so a page
 * cannot fill the disk with files it never imports.
 */
import { createWriteStream } from 'node:fs';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const MIB = 1024 * 1024;
/** A single upload larger than this is refused (scans are a few MB; a 200-page PDF fits). */
export const MAX_UPLOAD_BYTES = 512 * MIB;
/** All uploads waiting to be imported together: a few hundred scans, far below a full disk. */
export const MAX_PENDING_UPLOAD_BYTES = 2 * 1024 * MIB;
/** An upload not imported within this time is removed: the page that made it has moved on. */
export const UPLOAD_MAX_AGE_MS = 60 * 60 * 1000;
/** How often unused uploads are looked for, at most. */
const SWEEP_INTERVAL_MS = 60 * 1000;

/** Why an upload was refused, for a caller that words it its own way (the contract's error details). */
export type UploadRefusal = 'too-large' | 'quota' | 'incomplete' | 'unknown-upload' | 'wrong-offset' | 'busy';

/** An upload that was not stored, with the HTTP status that says why. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
    readonly reason: UploadRefusal = status === 413 ? 'too-large' : 'incomplete',
  ) {
    super(message);
    this.name = 'UploadRefused';
  }
}

export interface StoredUpload {
  path: string;
  size: number;
}

export interface UploadLimits {
  maxFileBytes?: number;
  maxPendingBytes?: number;
  maxAgeMs?: number;
}

interface Upload {
  folder: string;
  size: number;
  /** Bytes written so far of an upload arriving in pieces; equal to `size` once complete. */
  received: number;
  /** Stored, or for one arriving in pieces its latest piece: the age the sweep goes by. */
  storedAt: number;
  /** A piece is being written: the next one waits its turn. */
  writing: boolean;
  /** A call is using it right now: it is not swept, it is removed when that call ends. */
  inUse: boolean;
}

/** A file name from the page, reduced to one harmless path segment that keeps its extension. */
function safeUploadName(raw: string | null): string {
  const printable = [...(raw ?? '')].map((char) => (char.charCodeAt(0) < 0x20 ? '_' : char)).join('');
  const base = basename(printable.replace(/\\/g, '/'))
    .replace(/[<>:"|?*]/g, '_')
    .trim();
  const name = base === '' || base === '.' || base === '..' ? 'upload' : base;
  return name.length > 180 ? name.slice(name.length - 180) : name;
}

const inMiB = (bytes: number) => `${Math.ceil(bytes / MIB)} MiB`;

export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  /** Bytes of stored uploads plus those of uploads still arriving. */
  private pending = 0;
  private readonly maxFileBytes: number;
  private readonly maxPendingBytes: number;
  private readonly maxAgeMs: number;
  private readonly sweeper: NodeJS.Timeout;

  private constructor(
    readonly dir: string,
    limits: UploadLimits,
    private readonly onRemoved: (path: string) => void,
  ) {
    this.maxFileBytes = limits.maxFileBytes ?? MAX_UPLOAD_BYTES;
    this.maxPendingBytes = limits.maxPendingBytes ?? MAX_PENDING_UPLOAD_BYTES;
    this.maxAgeMs = limits.maxAgeMs ?? UPLOAD_MAX_AGE_MS;
    this.sweeper = setInterval(() => void this.sweep(), Math.min(this.maxAgeMs, SWEEP_INTERVAL_MS));
    this.sweeper.unref();
  }

  /** A store in a new temp folder; `onRemoved` hears of every upload removed (used, swept or closed). */
  static async create(limits: UploadLimits = {}, onRemoved: (path: string) => void = () => undefined): Promise<UploadStore> {
    return new UploadStore(await mkdtemp(join(tmpdir(), 'slipvault-preview-uploads-')), limits, onRemoved);
  }

  /** Bytes the waiting uploads take (and those arriving). */
  get pendingBytes(): number {
    return this.pending;
  }

  private quotaMessage(): string {
    return (
      `Uploads waiting to be imported already take ${inMiB(this.pending)} of the ${inMiB(this.maxPendingBytes)} allowed; ` +
      `import them first (unused uploads are removed after ${Math.round(this.maxAgeMs / 60000)} minutes).`
    );
  }

  /** Stores one upload from `body`; `declaredBytes` (Content-Length) lets an oversized one be refused unread. */
  async receive(body: Readable, name: string | null, declaredBytes: number | null): Promise<StoredUpload> {
    const tooLarge = `A file can be at most ${inMiB(this.maxFileBytes)}; this upload is larger.`;
    if (declaredBytes !== null && declaredBytes > this.maxFileBytes) throw new UploadRefused(413, tooLarge);
    if (declaredBytes !== null && this.pending + declaredBytes > this.maxPendingBytes) throw new UploadRefused(413, this.quotaMessage(), 'quota');
    const folder = await mkdtemp(join(this.dir, 'u-'));
    const path = join(folder, safeUploadName(name));
    let received = 0;
    let refusal: UploadRefused | null = null;
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        received += chunk.length;
        this.pending += chunk.length;
        if (received > this.maxFileBytes) refusal = new UploadRefused(413, tooLarge);
        else if (this.pending > this.maxPendingBytes) refusal = new UploadRefused(413, this.quotaMessage(), 'quota');
        done(refusal, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(path, { flags: 'wx' }));
    } catch {
      this.pending -= received;
      await rm(folder, { recursive: true, force: true });
      throw refusal ?? new UploadRefused(400, 'The upload did not complete.');
    }
    this.uploads.set(resolve(path), { folder, size: received, received, storedAt: Date.now(), inUse: false, writing: false });
    return { path, size: received };
  }

  /**
   * Starts an upload that arrives in pieces (`appendPiece`), as over a connection that carries one message at
   * a time. Its whole declared size counts against the caps from the start, so pieces cannot outgrow them.
   */
  async begin(name: string, declaredBytes: number): Promise<StoredUpload> {
    if (declaredBytes > this.maxFileBytes) throw new UploadRefused(413, `A file can be at most ${inMiB(this.maxFileBytes)}; this upload is larger.`);
    if (this.pending + declaredBytes > this.maxPendingBytes) throw new UploadRefused(413, this.quotaMessage(), 'quota');
    // Reserved before the first await, so uploads begun at the same moment cannot pass the cap together.
    this.pending += declaredBytes;
    let folder: string;
    try {
      folder = await mkdtemp(join(this.dir, 'u-'));
    } catch (error) {
      this.pending -= declaredBytes;
      throw error;
    }
    const path = join(folder, safeUploadName(name));
    try {
      await writeFile(path, '', { flag: 'wx' });
    } catch (error) {
      this.pending -= declaredBytes;
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
    this.uploads.set(resolve(path), { folder, size: declaredBytes, received: 0, storedAt: Date.now(), inUse: false, writing: false });
    return { path, size: declaredBytes };
  }

  /** Writes the next piece of an upload started with `begin`; answers the bytes received so far. */
  async appendPiece(path: string, offset: number, bytes: Buffer): Promise<number> {
    const upload = this.uploads.get(resolve(path));
    if (!upload) throw new UploadRefused(400, 'There is no such upload: it was imported, refused or removed unused; upload the file again.', 'unknown-upload');
    if (upload.writing) throw new UploadRefused(400, 'The previous piece of this upload is still being written; send the next one after its answer.', 'busy');
    if (offset !== upload.received)
      throw new UploadRefused(400, `The next piece of this upload starts at byte ${upload.received}, not ${offset}.`, 'wrong-offset');
    if (upload.received + bytes.length > upload.size) {
      throw new UploadRefused(413, `This upload was begun as ${upload.size} bytes; the piece would make it ${upload.received + bytes.length}.`);
    }
    upload.writing = true;
    try {
      await appendFile(path, bytes);
    } finally {
      upload.writing = false;
    }
    upload.received += bytes.length;
    upload.storedAt = Date.now();
    return upload.received;
  }

  /** Refuses an upload begun with `begin` whose declared bytes have not all arrived. */
  assertComplete(path: string): void {
    const upload = this.uploads.get(resolve(path));
    if (!upload) throw new UploadRefused(400, 'There is no such upload: it was imported, refused or removed unused; upload the file again.', 'unknown-upload');
    if (upload.received !== upload.size) {
      throw new UploadRefused(
        400,
        `Only ${upload.received} of the ${upload.size} bytes of this upload have arrived; send the rest before importing it.`,
        'incomplete',
      );
    }
  }

  /** Removes an upload now (refused before any call used it). */
  async discard(path: string): Promise<void> {
    await this.remove(resolve(path));
  }

  /**
   * Runs a call that uses `paths` and removes those of them that are uploads once it has finished, whether
   * it succeeded or not: the archive keeps its own copy, and a retry uploads again.
   */
  async use<T>(paths: string[], run: () => Promise<T>): Promise<T> {
    const keys = [...new Set(paths.map((path) => resolve(path)))].filter((key) => this.uploads.has(key));
    for (const key of keys) this.uploads.get(key)!.inUse = true;
    try {
      return await run();
    } finally {
      await Promise.all(keys.map((key) => this.remove(key)));
    }
  }

  private async remove(key: string): Promise<void> {
    const upload = this.uploads.get(key);
    if (!upload) return;
    this.uploads.delete(key);
    this.pending -= upload.size;
    await rm(upload.folder, { recursive: true, force: true });
    this.onRemoved(key);
  }

  /** Removes the uploads that have waited unused longer than the limit; answers their paths. */
  async sweep(now = Date.now()): Promise<string[]> {
    const stale = [...this.uploads].filter(([, upload]) => !upload.inUse && !upload.writing && now - upload.storedAt > this.maxAgeMs).map(([key]) => key);
    await Promise.all(stale.map((key) => this.remove(key)));
    return stale;
  }

  /** Stops sweeping and removes every upload with the temp folder. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const key of [...this.uploads.keys()]) this.onRemoved(key);
    this.uploads.clear();
    this.pending = 0;
    await rm(this.dir, { recursive: true, force: true });
  }
}
