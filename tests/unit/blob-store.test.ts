/**
 * The content-addressed blob store on a real folder: naming, idempotence, verification, refusal of
 * non-hash names, clean-up of crashed writes, and a full disk (a real 1 MiB tmpfs).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore, isBlobHash } from '../../src/main/core/store/blobs';
import { SlipVaultError } from '../../src/shared/errors';
import { tempDir } from '../helpers/fixtures';

const hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function freshStore(): { dir: string; store: BlobStore } {
  const dir = tempDir('slipvault-blobs-');
  const store = new BlobStore(dir);
  store.prepare();
  return { dir, store };
}

/** Every file below `dir`, relative, sorted. */
function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .sort();
}

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(SlipVaultError);
    return (error as SlipVaultError).code;
  }
  return undefined;
}

describe('BlobStore', () => {
  it('put returns the SHA-256 hex of the bytes and stores them at blobs/ab/cdef…', () => {
    const { dir, store } = freshStore();
    const data = Buffer.from('送货单 SO-2026-0417, signed by 王五');
    const hash = store.put(data);
    expect(hash).toBe(hex(data));
    expect(isBlobHash(hash)).toBe(true);
    const expectedPath = join(dir, 'blobs', hash.slice(0, 2), hash.slice(2));
    expect(store.pathOf(hash)).toBe(expectedPath);
    expect(readFileSync(expectedPath)).toEqual(data);
    expect(filesUnder(join(dir, 'blobs'))).toEqual([`${hash.slice(0, 2)}/${hash.slice(2)}`]);
    expect(store.has(hash)).toBe(true);
    expect(store.list()).toEqual([hash]);
  });

  it('stores an empty blob and large binary blobs byte for byte', async () => {
    const { store } = freshStore();
    const empty = new Uint8Array(0);
    expect(store.put(empty)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const hash = store.put(big);
    expect(hash).toBe(hex(big));
    expect((await store.read(hash)).equals(big)).toBe(true);
    expect(await store.verify(hash)).toBe('ok');
    expect(store.list().sort()).toEqual([hash, hex(empty)].sort());
  });

  it('putting the same bytes twice is a no-op: the file is not rewritten', async () => {
    const { dir, store } = freshStore();
    const data = randomBytes(4096);
    const hash = store.put(data);
    const path = store.pathOf(hash);
    // Back-date the file so any rewrite (even within the same clock tick) would show.
    const old = new Date('2001-02-03T04:05:06Z');
    utimesSync(path, old, old);
    const before = statSync(path);

    expect(store.put(Buffer.from(data))).toBe(hash);

    const after = statSync(path);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.mtimeMs).toBe(old.getTime());
    expect(after.ctimeMs).toBe(before.ctimeMs);
    expect(filesUnder(join(dir, 'blobs'))).toHaveLength(1);
    expect(filesUnder(join(dir, 'tmp'))).toEqual([]);
    expect((await store.read(hash)).equals(data)).toBe(true);
  });

  it('read returns the stored bytes; reading an absent blob is NOT_FOUND', async () => {
    const { store } = freshStore();
    const data = randomBytes(1000);
    const hash = store.put(data);
    expect((await store.read(hash)).equals(data)).toBe(true);
    const absent = hex(Buffer.from('never stored'));
    await expect(store.read(absent)).rejects.toMatchObject({ code: 'NOT_FOUND', details: { blobHash: absent } });
  });

  it('verify reports ok, missing, and corrupt after one byte flips on disk', async () => {
    const { store } = freshStore();
    const data = randomBytes(70_000);
    const hash = store.put(data);
    expect(await store.verify(hash)).toBe('ok');

    const path = store.pathOf(hash);
    const onDisk = readFileSync(path);
    onDisk[12_345] = onDisk[12_345]! ^ 0x01;
    writeFileSync(path, onDisk);
    expect(await store.verify(hash)).toBe('corrupt');
    // Same size, same name: only the content check can tell.
    expect(statSync(path).size).toBe(data.length);

    const other = store.put(randomBytes(10));
    rmSync(store.pathOf(other));
    expect(await store.verify(other)).toBe('missing');
    expect(await store.verify(hex(Buffer.from('never stored')))).toBe('missing');
  });

  it('pathOf refuses strings that are not SHA-256 hex hashes', async () => {
    const { store } = freshStore();
    const valid = hex(Buffer.from('x'));
    for (const bad of [
      '../x',
      '../../etc/passwd',
      valid.toUpperCase(),
      valid.slice(0, 63),
      `${valid}0`,
      'abc',
      '',
      `${valid.slice(0, 62)}/x`,
      `../${valid.slice(3)}`,
    ]) {
      expect(
        codeOf(() => store.pathOf(bad)),
        JSON.stringify(bad),
      ).toBe('NOT_FOUND');
      expect(store.has(bad)).toBe(false);
      expect(await store.verify(bad)).toBe('missing');
      await expect(store.read(bad)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(store.pathOf(valid)).toMatch(/blobs[\\/][0-9a-f]{2}[\\/][0-9a-f]{62}$/);
  });

  it('prepare() removes blob-* files a crashed writer left in tmp/, and only those', () => {
    const { dir, store } = freshStore();
    const kept = store.put(Buffer.from('a real blob'));
    writeFileSync(join(dir, 'tmp', 'blob-0123456789abcdef-aabbccddeeff'), 'half a scan');
    writeFileSync(join(dir, 'tmp', 'blob-ffffffffffffffff-000000000000'), '');
    writeFileSync(join(dir, 'tmp', 'export-in-progress.zip'), 'not ours');

    new BlobStore(dir).prepare();

    expect(filesUnder(join(dir, 'tmp'))).toEqual(['export-in-progress.zip']);
    expect(store.list()).toEqual([kept]);
  });

  it('prepare() creates blobs/ and tmp/ in a new folder', () => {
    const dir = join(tempDir('slipvault-blobs-'), 'new');
    mkdirSync(dir);
    const store = new BlobStore(dir);
    store.prepare();
    expect(statSync(join(dir, 'blobs')).isDirectory()).toBe(true);
    expect(statSync(join(dir, 'tmp')).isDirectory()).toBe(true);
    expect(store.list()).toEqual([]);
  });

  it('leaves no temporary files behind after puts', () => {
    const { dir, store } = freshStore();
    const hashes = Array.from({ length: 20 }, (_, index) => store.put(randomBytes(100 + index * 1000)));
    expect(filesUnder(join(dir, 'tmp'))).toEqual([]);
    expect(store.list().sort()).toEqual([...hashes].sort());
    for (const hash of hashes) expect(store.has(hash)).toBe(true);
  });
});

describe('BlobStore on a full disk', () => {
  const mountPoint = tempDir('slipvault-tinydisk-');
  let mounted = false;
  let reason = '';

  beforeAll(() => {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint], { stdio: 'pipe' });
      mounted = true;
    } catch (error) {
      reason = `cannot mount a 1 MiB tmpfs here (needs root / CAP_SYS_ADMIN): ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
    }
  });

  afterAll(() => {
    if (mounted) execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('a put larger than the free space throws DISK_FULL and leaves no partial blob or tmp file', async (ctx) => {
    if (!mounted) ctx.skip(reason);
    const store = new BlobStore(mountPoint);
    store.prepare();
    const small = randomBytes(10_000);
    const smallHash = store.put(small);

    const tooBig = randomBytes(2 * 1024 * 1024);
    const tooBigHash = hex(tooBig);
    let error: unknown;
    try {
      store.put(tooBig);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SlipVaultError);
    expect((error as SlipVaultError).code).toBe('DISK_FULL');
    expect((error as SlipVaultError).message).toMatch(/disk is full/);

    expect(store.has(tooBigHash)).toBe(false);
    expect(existsSync(store.pathOf(tooBigHash))).toBe(false);
    expect(filesUnder(join(mountPoint, 'tmp'))).toEqual([]);
    expect(filesUnder(join(mountPoint, 'blobs'))).toEqual([`${smallHash.slice(0, 2)}/${smallHash.slice(2)}`]);
    // What was there before is intact, and the store still works once there is room.
    expect(await store.verify(smallHash)).toBe('ok');
    const after = randomBytes(1000);
    expect(store.put(after)).toBe(hex(after));
    expect(filesUnder(join(mountPoint, 'tmp'))).toEqual([]);
  });
});
