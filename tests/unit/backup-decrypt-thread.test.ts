/**
 * The restore's decryption thread on real sets: plaintext handed over in shared slots that are reused
 * (a small ring, so every slot goes round many times while writes still hold earlier ones), a damaged
 * volume reported by name, and a lost thread surfacing as a clear error, with nothing left behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { generateIdentity, parseIdentityFile, parseRecipient, type AgeIdentity } from '../../src/main/core/backup/age';
import { createBackup } from '../../src/main/core/backup/create';
import { DecryptThread, DecryptThreadError } from '../../src/main/core/backup/decrypt-thread';
import { readSet, restoreBackup } from '../../src/main/core/backup/read';
import { RestoreWriter } from '../../src/main/core/backup/restore-writer';
import { archiveSigner } from '../../src/main/core/backup/set-signature';
import { listSets, type Catalog } from '../../src/main/core/backup/target';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { flipByte, refusalFrom } from '../helpers/tamper';

const VOLUME = 1024 * 1024;
const DOCUMENTS = 8;
/** Two age chunks and a bit per slot: most plaintext stays in the slots, scans straddle two or three of them. */
const SMALL_RING = { slots: 3, slotBytes: 2 * (64 * 1024 + 16) + 5000 };

/** A real JPEG padded to about `bytes` with APP15 segments of random bytes (decoders skip them), like a scan's size. */
async function writeScan(dir: string, name: string, bytes: number): Promise<string> {
  const path = await writeJpeg(dir, name);
  const base = readFileSync(path);
  const segments: Buffer[] = [];
  for (let left = bytes - base.length; left > 0; left -= 65533) {
    const header = Buffer.from([0xff, 0xef, 0, 0]);
    header.writeUInt16BE(Math.min(65533, left) + 2, 2);
    segments.push(header, randomBytes(Math.min(65533, left)));
  }
  writeFileSync(path, Buffer.concat([base.subarray(0, 2), ...segments, base.subarray(2)]));
  return path;
}

describe('restore decryption thread', () => {
  let archive: Archive;
  let identity: AgeIdentity[];
  let target: string;
  let set: Catalog;
  let signers: string[];

  beforeAll(async () => {
    archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    const files = tempDir('slipvault-files-');
    for (let i = 0; i < DOCUMENTS; i++) {
      await archive.documents.importFile(await writeScan(files, `scan-${i}.jpg`, 300 * 1024));
    }
    const keys = generateIdentity();
    identity = parseIdentityFile(keys.identity);
    target = tempDir('slipvault-target-');
    await createBackup(archive, { target, recipients: [parseRecipient(keys.recipient)], volumeBytes: VOLUME });
    set = listSets(target)[0]!;
    signers = [archiveSigner(archive)];
    expect(set.volumes.length).toBeGreaterThanOrEqual(3);
  });

  afterAll(() => archive.close());

  it('writes every file byte for byte through a ring of three small slots reused many times over', async () => {
    const thread = new DecryptThread(SMALL_RING);
    const dir = tempDir('slipvault-restored-');
    const writer = new RestoreWriter(dir);
    try {
      const result = await readSet(target, set, identity, { plan: { writer, database: true, blobs: 'own' }, thread, signers });
      await writer.finish();
      const setBytes = set.volumes.reduce((sum, volume) => sum + volume.bytes, 0);
      expect(setBytes / SMALL_RING.slotBytes).toBeGreaterThan(SMALL_RING.slots * 5);
      const blobs = [...result.written].filter((name) => /^[0-9a-f]{64}$/.test(name));
      // Each document: its original and a page thumbnail.
      expect(blobs.length).toBe(2 * DOCUMENTS);
      for (const hash of blobs) {
        const relative = join('blobs', hash.slice(0, 2), hash.slice(2));
        expect(readFileSync(join(dir, relative)).equals(readFileSync(join(archive.dir, relative))), relative).toBe(true);
      }
      // The same thread serves the next set (here the same one again, checked without writing).
      expect((await readSet(target, set, identity, { thread, signers })).files).toBe(2 * DOCUMENTS + 2);
    } finally {
      await thread.close();
    }
  });

  it('reports a volume the reading thread cannot open with its error code and how far it read, and stays closable', async () => {
    const thread = new DecryptThread(SMALL_RING);
    try {
      const paths = [join(target, set.setId, set.volumes[0]!.file), join(target, set.setId, 'volume-gone.age')];
      let plaintext = 0;
      const failure = await (async () => {
        try {
          for await (const batch of thread.decrypt(paths, identity)) {
            for (const part of batch.parts) {
              plaintext += part.length;
              thread.release(part);
            }
          }
        } catch (error) {
          return error as DecryptThreadError;
        }
        throw new Error('expected the missing volume to fail the read');
      })();
      expect(failure).toBeInstanceOf(DecryptThreadError);
      expect(failure.code).toBe('ENOENT');
      expect(failure.message).toContain('volume-gone.age');
      expect(failure.read).toBe(set.volumes[0]!.bytes);
      expect(plaintext).toBeGreaterThan(0);
    } finally {
      await thread.close();
    }
  });

  it('names the damaged volume when decryption fails in the thread, and the restore leaves nothing', async () => {
    for (const index of [1, set.volumes.length - 1]) {
      const volume = set.volumes[index]!;
      const damaged = join(target, set.setId, volume.file);
      flipByte(damaged, Math.floor(volume.bytes / 2));
      try {
        const parent = tempDir('slipvault-parent-');
        const error = await refusalFrom(() => restoreBackup(target, join(parent, 'restored'), identity, { decryptThread: SMALL_RING, signers }));
        expect(error.code).toBe('CORRUPT_FILE');
        expect(error.message).toContain(volume.file);
        expect(error.details?.volumes).toContain(volume.file);
        expect(readdirSync(parent)).toEqual([]);
      } finally {
        flipByte(damaged, Math.floor(volume.bytes / 2));
      }
    }
  });

  it('reports a decryption or reading thread that dies as a clear error naming the volume, and the restore leaves nothing', async () => {
    const parent = tempDir('slipvault-parent-');
    mkdirSync(join(parent, 'restored'));
    // A heap too small to load the thread's code: the thread is lost for real, as in a crash.
    const error = await refusalFrom(() =>
      restoreBackup(target, join(parent, 'restored'), identity, {
        decryptThread: { resourceLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 } },
        signers,
      }),
    );
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toContain(`backup set ${set.setId}`);
    expect(error.message).toContain(set.volumes[0]!.file);
    expect(error.message).toMatch(/(decryption|reading) thread stopped/);
    expect(readdirSync(parent)).toEqual(['restored']);
    expect(readdirSync(join(parent, 'restored'))).toEqual([]);
  });

  it('restores the same set byte for byte with the default ring', async () => {
    const into = join(tempDir(), 'restored');
    const result = await restoreBackup(target, into, identity, { signers });
    expect(result.files).toBe(2 * DOCUMENTS + 2);
    for (const shard of readdirSync(join(archive.dir, 'blobs'))) {
      for (const name of readdirSync(join(archive.dir, 'blobs', shard))) {
        expect(readFileSync(join(into, 'blobs', shard, name)).equals(readFileSync(join(archive.dir, 'blobs', shard, name)))).toBe(true);
      }
    }
  });
});
