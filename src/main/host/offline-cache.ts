/**
 * Copies of the documents a clerk opened recently on a SlipVault server, kept on the workstation so they can
 * still be read when the server cannot be reached (docs/server-network.md, "When the server cannot be
 * reached"). Kept per server — in a folder named by the server's pinned fingerprint, so another server never
 * sees them — and per user, sealed with a key derived from that user's password (offline-crypto.ts): only the
 * server's answers to that user's own calls are stored, and only that password opens them again.
 *
 * Bounded: the last `documents` documents opened and `bytes` bytes in all; opening a document makes it the
 * newest, and the oldest are dropped first, with the page images no kept document shows. Page images are
 * content-addressed: one is served only when its bytes still hash to the name asked for.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SlipVaultError } from '../../shared/errors';
import type { DocumentDetail, SessionUser, VersionSummary } from '../../shared/model';
import type { OfflineDocument } from '../../shared/server-connection';
import { deriveSealingKey, newSalt, seal, sealedName, unseal, type SealingKey } from './offline-crypto';

export const OFFLINE_CACHE_FOLDER = 'offline-cache';
const LAST_USER_FILE = 'last-user.json';
const KEY_FILE = 'key.json';
const INDEX_LABEL = 'index';
const KEY_CHECK = Buffer.from('SlipVault offline copies');

export interface OfflineCacheLimits {
  documents: number;
  bytes: number;
}

export const DEFAULT_OFFLINE_LIMITS: OfflineCacheLimits = { documents: 200, bytes: 500 * 1024 * 1024 };

interface IndexEntry extends OfflineDocument {
  /** Sealed size of the document's own file. */
  bytes: number;
  pageImages: string[];
}

interface CacheIndex {
  user: SessionUser;
  /** Newest opened first. */
  documents: IndexEntry[];
  /** Sealed size of each page image kept. */
  images: Record<string, number>;
}

/** What is kept of one document: the server's answers to `documents:get` and `documents:history`. */
export interface DocumentCopy {
  detail: DocumentDetail;
  history: VersionSummary[] | null;
  copiedAt: string;
}

function folderName(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

async function writeAtomically(file: string, bytes: Buffer | string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, bytes, { mode: 0o600 });
  await rename(temporary, file);
}

async function readIfThere(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function pageImagesOf(detail: DocumentDetail): string[] {
  return [...new Set(detail.pages.flatMap((page) => (page.thumbnailHash ? [page.blobHash, page.thumbnailHash] : [page.blobHash])))];
}

function noCopies(server: string, username: string): SlipVaultError {
  return new SlipVaultError(
    'FORBIDDEN',
    `This computer keeps no offline copies of ${server} for ${username}: only the user who last logged in on that server here can read them.`,
    { server, username, reason: 'no-offline-copies' },
  ).withMessage('offline.noCopies', { server, username });
}

/** The offline copies of every server this OS user worked on, under `root` (beside server-connection.json). */
export class OfflineCaches {
  /** The copies pages hold now, one instance per folder (its writes run in order), with the key only while held. */
  private readonly open = new Map<string, { cache: UserCache; holders: number }>();

  constructor(
    private readonly root: string,
    private readonly limits: OfflineCacheLimits = DEFAULT_OFFLINE_LIMITS,
  ) {}

  private serverFolder(fingerprint: string): string {
    return join(this.root, fingerprint.replace(/:/g, '').toLowerCase());
  }

  /** Who last logged in on the server with this fingerprint from this computer, or null. */
  lastUser(fingerprint: string): string | null {
    try {
      const parsed = JSON.parse(readFileSync(join(this.serverFolder(fingerprint), LAST_USER_FILE), 'utf8')) as { username?: unknown };
      return typeof parsed.username === 'string' ? parsed.username : null;
    } catch {
      // None yet, or a file not ours: nobody is offered the offline copies.
      return null;
    }
  }

  /**
   * After `user` logged in on the server with `password`: the copies to keep what the server answers them.
   * A password changed since (the old key opens nothing) starts the copies afresh.
   */
  async afterLogin(fingerprint: string, user: SessionUser, password: string): Promise<UserCache> {
    const serverFolder = this.serverFolder(fingerprint);
    const folder = join(serverFolder, 'users', folderName(user.username));
    await mkdir(folder, { recursive: true, mode: 0o700 });
    let cache = await this.unlock(folder, password);
    if (!cache) {
      // Another page may still hold the copies under the old password: they are gone, so is its writing.
      this.open.get(folder)?.cache.retire();
      this.open.delete(folder);
      await rm(folder, { recursive: true, force: true });
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const salt = newSalt();
      const key = await deriveSealingKey(password, salt);
      await writeAtomically(join(folder, KEY_FILE), JSON.stringify({ salt: salt.toString('base64'), check: seal(key, 'check', KEY_CHECK).toString('base64') }));
      cache = new UserCache(folder, key, this.limits, { user, documents: [], images: {} });
      await cache.saveIndex();
    }
    await cache.setUser(user);
    this.hold(folder, cache);
    await writeAtomically(join(serverFolder, LAST_USER_FILE), JSON.stringify({ username: user.username }));
    return cache;
  }

  /** The copies for reading while `server` cannot be reached: only the user who last logged in there, with their password. */
  async unlockOffline(fingerprint: string, server: string, username: string, password: string): Promise<UserCache> {
    if (this.lastUser(fingerprint) !== username) throw noCopies(server, username);
    const folder = join(this.serverFolder(fingerprint), 'users', folderName(username));
    const cache = await this.unlock(folder, password);
    if (cache === null) {
      throw new SlipVaultError(
        'UNAUTHENTICATED',
        `Wrong password for the offline copies of ${username}: they open only with the password last used on ${server}.`,
        {
          server,
          username,
          reason: 'offline-wrong-password',
        },
      ).withMessage('offline.wrongPassword', { server, username });
    }
    if (cache.user.username !== username) throw noCopies(server, username);
    return this.hold(folder, cache);
  }

  /** A page no longer needs `cache`: once no page holds it, its key is forgotten. */
  release(cache: UserCache): void {
    for (const [folder, held] of this.open) {
      if (held.cache !== cache) continue;
      held.holders -= 1;
      if (held.holders === 0) this.open.delete(folder);
    }
  }

  private hold(folder: string, cache: UserCache): UserCache {
    const held = this.open.get(folder);
    if (held?.cache === cache) held.holders += 1;
    else this.open.set(folder, { cache, holders: 1 });
    return cache;
  }

  /** The copies in `folder` when `password` opens them; null when there are none or the password is not theirs. */
  private async unlock(folder: string, password: string): Promise<UserCache | null> {
    const keyFile = await readIfThere(join(folder, KEY_FILE));
    if (!keyFile) return null;
    let stored: { salt?: unknown; check?: unknown };
    try {
      stored = JSON.parse(keyFile.toString('utf8')) as typeof stored;
    } catch {
      return null;
    }
    if (typeof stored.salt !== 'string' || typeof stored.check !== 'string') return null;
    const key = await deriveSealingKey(password, Buffer.from(stored.salt, 'base64'));
    if (!unseal(key, 'check', Buffer.from(stored.check, 'base64'))?.equals(KEY_CHECK)) return null;
    const known = this.open.get(folder)?.cache;
    if (known) return known;
    const sealedIndex = await readIfThere(join(folder, sealedName(key, INDEX_LABEL)));
    const index = sealedIndex ? unseal(key, INDEX_LABEL, sealedIndex) : null;
    if (!index) return null;
    return new UserCache(folder, key, this.limits, JSON.parse(index.toString('utf8')) as CacheIndex);
  }
}

/** One user's copies from one server, unlocked. Writes run one after another, so the index never loses one. */
export class UserCache {
  private queue: Promise<unknown> = Promise.resolve();
  /** Set when the copies were started afresh under another password: this instance writes nothing more. */
  private retired = false;

  constructor(
    private readonly folder: string,
    private readonly key: SealingKey,
    private readonly limits: OfflineCacheLimits,
    private index: CacheIndex,
  ) {}

  get user(): SessionUser {
    return this.index.user;
  }

  /** The documents kept, newest opened first. */
  documents(): OfflineDocument[] {
    return this.index.documents.map(({ id, archiveNo, title, copiedAt }) => ({ id, archiveNo, title, copiedAt }));
  }

  /** When the server last answered anything kept here, or null when nothing is. */
  newestCopy(): string | null {
    return this.index.documents.reduce<string | null>((newest, entry) => (newest === null || entry.copiedAt > newest ? entry.copiedAt : newest), null);
  }

  setUser(user: SessionUser): Promise<void> {
    return this.serially(async () => {
      this.index.user = user;
      await this.saveIndex();
    });
  }

  /** The server's answer to `documents:get`: kept, and the document becomes the newest opened. */
  recordDocument(detail: DocumentDetail): Promise<void> {
    return this.serially(async () => {
      const previous = this.index.documents.find((entry) => entry.id === detail.id);
      const history = previous ? ((await this.readCopy(previous.id))?.history ?? null) : null;
      await this.writeCopy({ detail, history, copiedAt: new Date().toISOString() });
    });
  }

  /** The server's answer to `documents:history` for a document kept (a document not opened is not kept). */
  recordHistory(ref: number | string, history: VersionSummary[]): Promise<void> {
    return this.serially(async () => {
      const entry = this.entryOf(ref);
      const copy = entry ? await this.readCopy(entry.id) : null;
      if (copy) await this.writeCopy({ ...copy, history, copiedAt: new Date().toISOString() });
    });
  }

  /** A page image the server sent (already checked against its hash), kept when a kept document shows it. */
  recordPageImage(sha256: string, bytes: Buffer): Promise<void> {
    return this.serially(async () => {
      if (sha256 in this.index.images || !this.index.documents.some((entry) => entry.pageImages.includes(sha256))) return;
      const sealed = seal(this.key, `image:${sha256}`, bytes);
      await writeAtomically(join(this.folder, sealedName(this.key, `image:${sha256}`)), sealed);
      this.index.images[sha256] = sealed.length;
      await this.evictBeyondLimits();
      await this.saveIndex();
    });
  }

  /** The kept copy of a document by id or archive number, or null when it is not kept. */
  async document(ref: number | string): Promise<DocumentCopy | null> {
    const entry = this.entryOf(ref);
    return entry ? this.readCopy(entry.id) : null;
  }

  /** A kept page image, only if its bytes still hash to `sha256`; null when it is not kept or was changed. */
  async pageImage(sha256: string): Promise<Buffer | null> {
    if (!(sha256 in this.index.images)) return null;
    const label = `image:${sha256}`;
    const sealed = await readIfThere(join(this.folder, sealedName(this.key, label)));
    const bytes = sealed ? unseal(this.key, label, sealed) : null;
    if (!bytes || createHash('sha256').update(bytes).digest('hex') !== sha256) return null;
    return bytes;
  }

  async saveIndex(): Promise<void> {
    await writeAtomically(join(this.folder, sealedName(this.key, INDEX_LABEL)), seal(this.key, INDEX_LABEL, Buffer.from(JSON.stringify(this.index))));
  }

  retire(): void {
    this.retired = true;
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const run = () => (this.retired ? Promise.resolve() : work());
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private entryOf(ref: number | string): IndexEntry | undefined {
    return this.index.documents.find((entry) => (typeof ref === 'number' ? entry.id === ref : entry.archiveNo === ref));
  }

  private async readCopy(id: number): Promise<DocumentCopy | null> {
    const label = `document:${id}`;
    const sealed = await readIfThere(join(this.folder, sealedName(this.key, label)));
    const plain = sealed ? unseal(this.key, label, sealed) : null;
    return plain ? (JSON.parse(plain.toString('utf8')) as DocumentCopy) : null;
  }

  private async writeCopy(copy: DocumentCopy): Promise<void> {
    const { detail } = copy;
    const label = `document:${detail.id}`;
    const sealed = seal(this.key, label, Buffer.from(JSON.stringify(copy)));
    await writeAtomically(join(this.folder, sealedName(this.key, label)), sealed);
    const entry: IndexEntry = {
      id: detail.id,
      archiveNo: detail.archiveNo,
      title: detail.title,
      copiedAt: copy.copiedAt,
      bytes: sealed.length,
      pageImages: pageImagesOf(detail),
    };
    this.index.documents = [entry, ...this.index.documents.filter((kept) => kept.id !== detail.id)];
    await this.evictBeyondLimits();
    await this.saveIndex();
  }

  private totalBytes(): number {
    return this.index.documents.reduce((sum, entry) => sum + entry.bytes, 0) + Object.values(this.index.images).reduce((sum, size) => sum + size, 0);
  }

  /** Drops the oldest opened documents until both limits hold, then the page images no kept document shows. */
  private async evictBeyondLimits(): Promise<void> {
    while (this.index.documents.length > 0 && (this.index.documents.length > this.limits.documents || this.totalBytes() > this.limits.bytes)) {
      const oldest = this.index.documents.pop()!;
      await rm(join(this.folder, sealedName(this.key, `document:${oldest.id}`)), { force: true });
      const shown = new Set(this.index.documents.flatMap((entry) => entry.pageImages));
      for (const sha256 of Object.keys(this.index.images).filter((hash) => !shown.has(hash))) {
        await rm(join(this.folder, sealedName(this.key, `image:${sha256}`)), { force: true });
        delete this.index.images[sha256];
      }
    }
  }
}
