/**
 * Imports kept on this computer while the server a window works on cannot be reached (docs/server-network.md,
 * "Files from this computer"). A folder beside server-connection.json holds, per import, a copy of the file
 * (`<id>.file`) and a small manifest (`<id>.json`); both are written to a temporary name, flushed to disk and
 * renamed, the manifest last, so an item exists exactly when its manifest does and a crash at any moment leaves
 * either the whole item or nothing of it (plus a temporary file removed at the next start). Ids start with the
 * time queued, so the folder lists in the order the clerk made them.
 *
 * The queue only keeps; sending is server-uploads.ts's `drainQueue`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ErrorPayload } from '../../shared/errors';
import { SlipVaultError } from '../../shared/errors';
import type { QueuedUpload, UploadQueueStatus } from '../../shared/server-connection';

export const OFFLINE_QUEUE_FOLDER = 'upload-queue';

/**
 * What the server is to do with a queued file: import it (an item without `purpose`, as every item queued
 * before scans were), import it as a scanner batch, or add its pages to a document.
 */
export type QueuePurpose = { kind: 'scan' } | { kind: 'pages'; ref: string | number; reason: string | null };

/** A queued import as kept on disk: what the page sees, the hash its file had when it was queued, and its purpose. */
export interface QueueItem extends QueuedUpload {
  sha256: string;
  purpose?: QueuePurpose;
}

const MANIFEST = '.json';
const FILE = '.file';
const TEMPORARY = '.tmp';
/** A temporary file this old is left over from a crash, not being written by another host of this OS user. */
const LEFTOVER_AGE_MS = 10 * 60 * 1000;

/** Flushes a file (or a folder's entries) to disk: a rename is durable only once the folder is. */
async function flush(path: string, flags: 'r' | 'r+' = 'r'): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function diskFull(name: string, folder: string): SlipVaultError {
  return new SlipVaultError(
    'DISK_FULL',
    `${name} could not be kept on this computer: its disk is full (${folder}). Nothing was imported and nothing was queued; the file is still where it was. Free some space and import it again.`,
    { file: name, folder, reason: 'queue-disk-full' },
  ).withMessage('uploadQueue.diskFull', { file: name });
}

export class OfflineQueue {
  /** The servers whose queue is being sent right now (one drain at a time per server, whichever page started it). */
  private readonly draining = new Set<string>();

  constructor(readonly folder: string) {
    this.removeLeftovers();
  }

  private removeLeftovers(): void {
    let names: string[];
    try {
      names = readdirSync(this.folder);
    } catch {
      return;
    }
    const manifests = new Set(names.filter((name) => name.endsWith(MANIFEST)).map((name) => name.slice(0, -MANIFEST.length)));
    const now = Date.now();
    for (const name of names) {
      const orphan = name.endsWith(TEMPORARY) || (name.endsWith(FILE) && !manifests.has(name.slice(0, -FILE.length)));
      if (!orphan) continue;
      const path = join(this.folder, name);
      try {
        if (now - statSync(path).mtimeMs > LEFTOVER_AGE_MS) rmSync(path, { force: true });
      } catch {
        // Gone meanwhile: nothing to remove.
      }
    }
  }

  fileOf(item: QueuedUpload): string {
    return join(this.folder, `${item.id}${FILE}`);
  }

  /** Keeps a copy of `source` for `server`; nothing is kept unless all of it is on disk. */
  async add(server: string, source: string, name: string, purpose?: QueuePurpose): Promise<QueueItem> {
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const id = `${Date.now().toString().padStart(15, '0')}-${randomBytes(6).toString('hex')}`;
    const file = join(this.folder, `${id}${FILE}`);
    const manifest = join(this.folder, `${id}${MANIFEST}`);
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        createReadStream(source),
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        }),
        createWriteStream(`${file}${TEMPORARY}`, { flags: 'wx', mode: 0o600 }),
      );
      await flush(`${file}${TEMPORARY}`);
      renameSync(`${file}${TEMPORARY}`, file);
      const item: QueueItem = {
        id,
        server,
        name,
        size,
        queuedAt: new Date().toISOString(),
        refusal: null,
        sha256: hash.digest('hex'),
        ...(purpose ? { purpose } : {}),
      };
      await this.writeManifest(item);
      return item;
    } catch (error) {
      rmSync(`${file}${TEMPORARY}`, { force: true });
      rmSync(`${manifest}${TEMPORARY}`, { force: true });
      rmSync(file, { force: true });
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC' || (error as NodeJS.ErrnoException).code === 'EDQUOT') throw diskFull(name, this.folder);
      throw error;
    }
  }

  private async writeManifest(item: QueueItem): Promise<void> {
    const manifest = join(this.folder, `${item.id}${MANIFEST}`);
    const handle = await open(`${manifest}${TEMPORARY}`, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(item, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    renameSync(`${manifest}${TEMPORARY}`, manifest);
    await flush(this.folder);
  }

  /**
   * The items of `server` (none for null, this computer's archive), oldest first. A manifest that cannot be read
   * is skipped, never removed: its file stays.
   */
  list(server: string | null): QueueItem[] {
    if (server === null) return [];
    let names: string[];
    try {
      names = readdirSync(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .filter((name) => name.endsWith(MANIFEST))
      .sort()
      .flatMap((name) => {
        try {
          const item = JSON.parse(readFileSync(join(this.folder, name), 'utf8')) as QueueItem;
          return item.server === server ? [item] : [];
        } catch {
          return [];
        }
      });
  }

  find(server: string | null, id: string): QueueItem {
    const item = this.list(server).find((candidate) => candidate.id === id);
    if (!item) {
      throw new SlipVaultError('NOT_FOUND', `No import ${id} is waiting on this computer for ${server}; it was sent or removed meanwhile.`, {
        id,
        server,
      }).withMessage('uploadQueue.notFound', {});
    }
    return item;
  }

  /** The manifest goes first: an item without one is no longer in the queue, and its file is a leftover. */
  async remove(item: QueuedUpload): Promise<void> {
    rmSync(join(this.folder, `${item.id}${MANIFEST}`), { force: true });
    await flush(this.folder);
    rmSync(this.fileOf(item), { force: true });
  }

  /** Records (or, for a retry, clears) the server's refusal; an item the clerk removed meanwhile stays removed. */
  async setRefusal(item: QueueItem, refusal: ErrorPayload | null): Promise<void> {
    if (!existsSync(join(this.folder, `${item.id}${MANIFEST}`))) return;
    await this.writeManifest({ ...item, refusal });
  }

  isDraining(server: string): boolean {
    return this.draining.has(server);
  }

  /** Runs `work` unless a drain of `server`'s queue is already running; answers whether it ran. */
  async exclusively(server: string, work: () => Promise<void>): Promise<boolean> {
    if (this.draining.has(server)) return false;
    this.draining.add(server);
    try {
      await work();
      return true;
    } finally {
      this.draining.delete(server);
    }
  }

  status(server: string | null): UploadQueueStatus {
    const items = this.list(server).map(({ sha256: _sha256, purpose: _purpose, ...item }) => item);
    const refused = items.filter((item) => item.refusal !== null).length;
    return { waiting: items.length - refused, refused, draining: server !== null && this.isDraining(server), items };
  }
}
