/**
 * Backup faults on real archives and real files: byte flips, truncated, missing and swapped volumes,
 * wrong identity, full and read-only targets, leftovers of interrupted runs. Each is refused with a clear
 * error naming what is wrong, and nothing half-written becomes visible.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { generateIdentity, parseIdentityFile, parseRecipient, type AgeIdentity } from '../../src/main/core/backup/age';
import { createBackup } from '../../src/main/core/backup/create';
import { readSet, restoreBackup } from '../../src/main/core/backup/read';
import { archiveSigner } from '../../src/main/core/backup/set-signature';
import { listSets, type Catalog } from '../../src/main/core/backup/target';
import { BlobStore } from '../../src/main/core/store/blobs';
import { tempDir, writeJpeg, writePng } from '../helpers/fixtures';
import { canMountTmpfs, mountTmpfs } from '../helpers/tmpfs';
import { flipByte, refusalFrom, rewriteSet, type SetEntry } from '../helpers/tamper';

const VOLUME = 64 * 1024;

async function addDocuments(archive: Archive, count: number): Promise<void> {
  const files = tempDir('slipvault-files-');
  for (let i = 0; i < count; i++) {
    // Noise-free but sizeable PNGs make volumes of real size quickly.
    await archive.documents.importFile(i % 2 ? await writePng(files, `p${i}.png`, 400, 500) : await writeJpeg(files, `j${i}.jpg`, 600, 800));
  }
}

describe('backup faults', () => {
  let archive: Archive;
  let identity: AgeIdentity[];
  let recipient: string;
  let target: string;
  let first: Catalog;

  beforeAll(async () => {
    archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    await addDocuments(archive, 6);
    const keys = generateIdentity();
    identity = parseIdentityFile(keys.identity);
    recipient = keys.recipient;
    target = tempDir('slipvault-target-');
    await createBackup(archive, { target, recipients: [parseRecipient(recipient)], volumeBytes: VOLUME });
    first = listSets(target)[0]!;
    expect(first.volumes.length).toBeGreaterThanOrEqual(3);
  });

  afterAll(() => archive.close());

  // 100 full verifications of the set: fixed work, whose time grows with the machine's load.
  it('refuses a set with one byte flipped at 100 random positions, naming the volume each time', async () => {
    const sizes = first.volumes.map((volume) => volume.bytes);
    const total = sizes.reduce((a, b) => a + b, 0);
    for (let trial = 0; trial < 100; trial++) {
      let position = Math.floor(Math.random() * total);
      let index = 0;
      while (position >= sizes[index]!) position -= sizes[index++]!;
      const volume = first.volumes[index]!.file;
      const path = join(target, first.setId, volume);
      flipByte(path, position);
      try {
        const error = await refusalFrom(() => readSet(target, first, identity, { signers: [archiveSigner(archive)] }));
        expect(['CORRUPT_FILE', 'WRONG_KEY']).toContain(error.code);
        expect(error.message, `flip at ${volume}:${position}`).toContain(volume);
      } finally {
        flipByte(path, position);
      }
    }
    // 6 originals + their 6 page thumbnails + database + manifest.
    expect((await readSet(target, first, identity, { signers: [archiveSigner(archive)] })).files).toBe(14);
  }, 240_000);

  it('refuses a truncated volume (also when its catalog is edited to match) and a missing one', async () => {
    const last = first.volumes[first.volumes.length - 1]!;
    const path = join(target, first.setId, last.file);
    const original = readFileSync(path);
    const catalogPath = join(target, first.setId, 'catalog.json');
    const catalogText = readFileSync(catalogPath, 'utf8');
    try {
      truncateSync(path, last.bytes - 100);
      expect((await refusalFrom(() => readSet(target, first, identity, { signers: [archiveSigner(archive)] }))).message).toMatch(
        new RegExp(`${last.file} has \\d+ bytes, expected ${last.bytes} \\(truncated\\)`),
      );
      const edited = { ...first, volumes: first.volumes.map((v) => (v.file === last.file ? { ...v, bytes: v.bytes - 100 } : v)) };
      const error = await refusalFrom(() => readSet(target, edited, identity, { signers: [archiveSigner(archive)] }));
      expect(error.code).toBe('CORRUPT_FILE');
      expect(error.message).toContain(last.file);

      rmSync(path);
      expect((await refusalFrom(() => readSet(target, first, identity, { signers: [archiveSigner(archive)] }))).message).toContain(`${last.file} is missing`);
    } finally {
      writeFileSync(path, original);
      writeFileSync(catalogPath, catalogText);
    }
  });

  it('refuses volumes swapped between two sets, and restore then leaves nothing behind', async () => {
    await addDocuments(archive, 1);
    const otherTarget = tempDir('slipvault-target-');
    await createBackup(archive, { target: otherTarget, recipients: [parseRecipient(recipient)], volumeBytes: VOLUME });
    const other = listSets(otherTarget)[0]!;
    const swapped = first.volumes[1]!.file;
    const mine = join(target, first.setId, swapped);
    const theirs = join(otherTarget, other.setId, swapped);
    const saved = readFileSync(mine);
    try {
      writeFileSync(mine, readFileSync(theirs));
      const error = await refusalFrom(() => readSet(target, first, identity, { signers: [archiveSigner(archive)] }));
      expect(error.code).toBe('CORRUPT_FILE');
      expect(error.message).toContain(swapped);

      const parent = tempDir('slipvault-parent-');
      expect((await refusalFrom(() => restoreBackup(target, join(parent, 'restored'), identity, { signers: [archiveSigner(archive)] }))).code).toBe(
        'CORRUPT_FILE',
      );
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      writeFileSync(mine, saved);
    }
  });

  it('refuses a wrong identity with a clear error and writes nothing', async () => {
    const parent = tempDir('slipvault-parent-');
    const error = await refusalFrom(() =>
      restoreBackup(target, join(parent, 'restored'), parseIdentityFile(generateIdentity().identity), { signers: [archiveSigner(archive)] }),
    );
    expect(error.code).toBe('WRONG_KEY');
    expect(error.message).toMatch(/does not open backup set/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('removes the leftovers of an interrupted run on the next run and keeps earlier sets', async () => {
    const leftover = join(target, `.20260101T000000000Z-abcdef.partial`);
    mkdirSync(leftover);
    writeFileSync(join(leftover, 'volume-001.age'), Buffer.alloc(1000));
    const staleSnapshot = join(archive.dir, 'tmp', 'backup-20260101T000000000Z-abcdef.db');
    writeFileSync(staleSnapshot, Buffer.alloc(4096));
    const result = await createBackup(archive, { target, recipients: [parseRecipient(recipient)], volumeBytes: VOLUME });
    expect(result.leftoversRemoved).toEqual(['20260101T000000000Z-abcdef']);
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(staleSnapshot)).toBe(false);
    expect(listSets(target).map((set) => set.setId)).toContain(first.setId);
    expect((await readSet(target, first, identity, { signers: [archiveSigner(archive)] })).files).toBe(14);
  });
});

// Needs root (CI runs as root); elsewhere these two are reported as skipped, not passed.
describe.skipIf(!canMountTmpfs)('backup to a full or read-only drive', () => {
  it('a full target gives DISK_FULL, leaves no leftovers, and the previous set still restores', async () => {
    const archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    const mountPoint = tempDir('slipvault-usb-');
    expect(mountTmpfs(mountPoint, 'size=64m')).toBe(true);
    try {
      await addDocuments(archive, 2);
      const keys = generateIdentity();
      const recipients = [parseRecipient(keys.recipient)];
      const earlier = await createBackup(archive, { target: mountPoint, recipients });
      // Fill the drive up to about 64 KiB before adding more than that.
      const free = Number(execFileSync('df', ['--output=avail', '-B1', mountPoint], { encoding: 'utf8' }).split('\n')[1]);
      writeFileSync(join(mountPoint, 'filler.bin'), Buffer.alloc(free - 64 * 1024));
      await addDocuments(archive, 4);
      const error = await refusalFrom(() => createBackup(archive, { target: mountPoint, recipients }));
      expect(error.code).toBe('DISK_FULL');
      expect(error.message).toMatch(/the disk is full/);
      expect(readdirSync(mountPoint).sort()).toEqual([earlier.set.setId, 'filler.bin'].sort());
      rmSync(join(mountPoint, 'filler.bin'));
      const restored = join(tempDir(), 'restored');
      expect((await restoreBackup(mountPoint, restored, parseIdentityFile(keys.identity), { signers: [archiveSigner(archive)] })).setId).toBe(
        earlier.set.setId,
      );
      expect(statSync(join(restored, 'slipvault.db')).size).toBeGreaterThan(0);
    } finally {
      execFileSync('umount', [mountPoint]);
      archive.close();
    }
  });

  it('a read-only target is refused clearly', async () => {
    const archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    const mountPoint = tempDir('slipvault-ro-');
    expect(mountTmpfs(mountPoint, 'size=1m,ro')).toBe(true);
    try {
      const error = await refusalFrom(() => createBackup(archive, { target: mountPoint, recipients: [parseRecipient(generateIdentity().recipient)] }));
      expect(error.code).toBe('ARCHIVE_READ_ONLY');
      expect(error.message).toMatch(/read-only/);
    } finally {
      execFileSync('umount', [mountPoint]);
      archive.close();
    }
  });

  it('a target that is not there (drive unplugged) is refused clearly', async () => {
    const archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    try {
      const gone = join(tempDir(), 'unplugged');
      const error = await refusalFrom(() => createBackup(archive, { target: gone, recipients: [parseRecipient(generateIdentity().recipient)] }));
      expect(error.code).toBe('FILE_NOT_FOUND');
      expect(error.message).toMatch(/is the drive connected/);
    } finally {
      archive.close();
    }
  });
});

describe('volumes out of order within one set', () => {
  it('is refused naming the volumes', async () => {
    const archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    try {
      await addDocuments(archive, 4);
      const keys = generateIdentity();
      const target = tempDir('slipvault-target-');
      await createBackup(archive, { target, recipients: [parseRecipient(keys.recipient)], volumeBytes: VOLUME });
      const set = listSets(target)[0]!;
      const [a, b] = [join(target, set.setId, set.volumes[0]!.file), join(target, set.setId, set.volumes[1]!.file)];
      if (set.volumes[0]!.bytes !== set.volumes[1]!.bytes) throw new Error('the first two volumes should be full');
      renameSync(a, `${a}.x`);
      renameSync(b, a);
      renameSync(`${a}.x`, b);
      const error = await refusalFrom(() => readSet(target, set, parseIdentityFile(keys.identity), { signers: [archiveSigner(archive)] }));
      expect(error.code).toBe('CORRUPT_FILE');
      expect(error.message).toMatch(/volume-00[12]\.age/);
    } finally {
      archive.close();
    }
  });
});

describe('sets whose age stream is intact but whose blobs do not match their SHA-256', () => {
  let archive: Archive;
  let keys: { identity: string; recipient: string };
  let identity: AgeIdentity[];

  beforeAll(async () => {
    archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    await addDocuments(archive, 3);
    keys = generateIdentity();
    identity = parseIdentityFile(keys.identity);
  });

  afterAll(() => archive.close());

  const backup = (target: string) => createBackup(archive, { target, recipients: [parseRecipient(keys.recipient)] });
  const blobEntry = (hash: string) => `blobs/${hash.slice(0, 2)}/${hash.slice(2)}`;
  const flipFirstByte = (entries: SetEntry[], name: string) => {
    const entry = entries.find((candidate) => candidate.name === name)!;
    entry.data[0]! ^= 0x20;
  };

  // What a backup of a blob already damaged on the archive disk holds, or a set someone wrote anew with
  // only the recipient's public key: age accepts the stream, the blob's hash does not.
  it('refuses such a blob on verify and on restore, naming it, and restores nothing', async () => {
    const target = tempDir('slipvault-target-');
    await backup(target);
    const set = listSets(target)[0]!;
    const hash = new BlobStore(archive.dir).list()[0]!;
    rewriteSet(target, set, identity, [parseRecipient(keys.recipient)], (entries) => flipFirstByte(entries, blobEntry(hash)));

    const verifyError = await refusalFrom(() => readSet(target, listSets(target)[0]!, identity, { signers: [archiveSigner(archive)] }));
    expect(verifyError.code).toBe('CORRUPT_FILE');
    expect(verifyError.message).toContain(`blob ${hash} does not match its SHA-256`);

    const parent = tempDir('slipvault-parent-');
    const error = await refusalFrom(() => restoreBackup(target, join(parent, 'restored'), identity, { signers: [archiveSigner(archive)] }));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toContain(`blob ${hash} does not match its SHA-256`);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('refuses a blob the newest set takes from an older set that does not match, naming that set', async () => {
    const target = tempDir('slipvault-target-');
    await backup(target);
    const older = listSets(target)[0]!;
    const hash = new BlobStore(archive.dir).list()[0]!;
    await addDocuments(archive, 1);
    await backup(target);
    expect(listSets(target).at(-1)!.dependsOn).toEqual([older.setId]);
    rewriteSet(target, older, identity, [parseRecipient(keys.recipient)], (entries) => flipFirstByte(entries, blobEntry(hash)));

    const parent = tempDir('slipvault-parent-');
    const error = await refusalFrom(() => restoreBackup(target, join(parent, 'restored'), identity, { signers: [archiveSigner(archive)] }));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toContain(`Backup set ${older.setId}`);
    expect(error.message).toContain(`blob ${hash} does not match its SHA-256`);
    expect(readdirSync(parent)).toEqual([]);
  });
});
