/**
 * The preview host's uploads (a browser cannot hand over file paths, so the page uploads each file and
 * imports the returned path). Each upload is a file in its own folder of this run's temp folder; it stays
 * only until a call that used it has finished (import or pages:add, success or failure), or until it has
 * waited unused past `maxAgeMs`. Together the waiting uploads may take at most `maxPendingBytes`, so a page
 * cannot fill the disk with files it never imports.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
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

/** An upload that was not stored, with the HTTP status that says why. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
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
  storedAt: number;
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
    if (declaredBytes !== null && this.pending + declaredBytes > this.maxPendingBytes) throw new UploadRefused(413, this.quotaMessage());
    const folder = await mkdtemp(join(this.dir, 'u-'));
    const path = join(folder, safeUploadName(name));
    let received = 0;
    let refusal: UploadRefused | null = null;
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        received += chunk.length;
        this.pending += chunk.length;
        if (received > this.maxFileBytes) refusal = new UploadRefused(413, tooLarge);
        else if (this.pending > this.maxPendingBytes) refusal = new UploadRefused(413, this.quotaMessage());
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
    this.uploads.set(resolve(path), { folder, size: received, storedAt: Date.now(), inUse: false });
    return { path, size: received };
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
    const stale = [...this.uploads].filter(([, upload]) => !upload.inUse && now - upload.storedAt > this.maxAgeMs).map(([key]) => key);
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
