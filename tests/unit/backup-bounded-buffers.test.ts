/**
 * A restore and a verify reuse a bounded set of buffers, however many chunks a set has: the reading thread's
 * slots are fixed, every chunk opens in place in its slot (a chunk straddling two pieces too: the tail of
 * the piece before moves into the slot's headroom), so only a set's last chunk arrives as a copy, and the
 * writer takes its buffers from a pool whose allocations stop at what the writes in flight hold. Shown
 * with the pool's and the thread's own counters on two real sets, one three times the other.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { generateIdentity, parseIdentityFile, parseRecipient, type AgeIdentity } from '../../src/main/core/backup/age';
import { createBackup } from '../../src/main/core/backup/create';
import { DecryptThread } from '../../src/main/core/backup/decrypt-thread';
import { readSet } from '../../src/main/core/backup/read';
import { RestoreWriter, type RestoreWriterLimits } from '../../src/main/core/backup/restore-writer';
import { archiveSigner } from '../../src/main/core/backup/set-signature';
import { listSets, type Catalog } from '../../src/main/core/backup/target';
import { tempDir, writeJpeg } from '../helpers/fixtures';

const CHUNK_WITH_TAG = 64 * 1024 + 16;
/** Slots two age chunks and a bit long, so chunks straddle two slots at every piece. */
const RING = { slots: 3, slotBytes: 2 * CHUNK_WITH_TAG + 5000 };
const LIMITS = { bufferBytes: 32 * 1024, bytesInFlight: 128 * 1024 } satisfies RestoreWriterLimits;
/**
 * What the writes may hold at once: the bytes in flight when the writer settles, plus one piece's plaintext
 * (a slot and the tail carried into its headroom) copied out before it settles again, in whole buffers, plus
 * the buffer being filled and one still held by a file's last small region.
 */
const MAX_WRITE_BUFFERS = Math.ceil((LIMITS.bytesInFlight + RING.slotBytes + CHUNK_WITH_TAG) / LIMITS.bufferBytes) + 2;

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

describe('bounded restore and verify buffers', () => {
  let archive: Archive;
  let identity: AgeIdentity[];
  let signers: string[];
  /** Two full sets on targets of their own, the second of three times as many documents. */
  const sets: { target: string; set: Catalog }[] = [];

  beforeAll(async () => {
    archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    const keys = generateIdentity();
    identity = parseIdentityFile(keys.identity);
    signers = [archiveSigner(archive)];
    const files = tempDir('slipvault-files-');
    for (const documents of [6, 12]) {
      for (let i = 0; i < documents; i++) await archive.documents.importFile(await writeScan(files, `scan-${sets.length}-${i}.jpg`, 300 * 1024));
      const target = tempDir('slipvault-target-');
      await createBackup(archive, { target, recipients: [parseRecipient(keys.recipient)], volumeBytes: 1024 * 1024 });
      sets.push({ target, set: listSets(target)[0]! });
    }
  });

  afterAll(() => archive.close());

  const setBytes = (set: Catalog) => set.volumes.reduce((sum, volume) => sum + volume.bytes, 0);

  /** Restores `set` through the small ring and writer; returns the counters and checks every file. */
  async function restore({ target, set }: { target: string; set: Catalog }): Promise<{ writeBuffers: number; copiedParts: number; pieces: number }> {
    const thread = new DecryptThread(RING);
    const dir = tempDir('slipvault-restored-');
    const writer = new RestoreWriter(dir, LIMITS);
    try {
      const result = await readSet(target, set, identity, { plan: { writer, database: true, blobs: 'own' }, thread, signers });
      await writer.finish();
      for (const hash of [...result.written].filter((name) => /^[0-9a-f]{64}$/.test(name))) {
        const relative = join('blobs', hash.slice(0, 2), hash.slice(2));
        expect(readFileSync(join(dir, relative)).equals(readFileSync(join(archive.dir, relative))), relative).toBe(true);
      }
      return { writeBuffers: writer.buffersAllocated, copiedParts: thread.copiedParts, pieces: Math.ceil(setBytes(set) / RING.slotBytes) };
    } finally {
      await thread.close();
    }
  }

  it('restores sets of any length with the same few write buffers and one copied chunk per set', async () => {
    const small = await restore(sets[0]!);
    const large = await restore(sets[1]!);
    expect(large.pieces).toBeGreaterThanOrEqual(2.5 * small.pieces);
    // A fresh buffer per piece, or per file, would have taken far more than the bound.
    expect(setBytes(sets[0]!.set) / LIMITS.bufferBytes).toBeGreaterThan(4 * MAX_WRITE_BUFFERS);
    for (const counts of [small, large]) {
      expect(counts.writeBuffers).toBeGreaterThan(0);
      expect(counts.writeBuffers).toBeLessThanOrEqual(MAX_WRITE_BUFFERS);
      expect(counts.copiedParts).toBe(1);
    }
  });

  it('verifies set after set on one thread with one copied chunk per set', async () => {
    const thread = new DecryptThread(RING);
    try {
      for (const { target, set } of sets) await readSet(target, set, identity, { thread, signers });
      expect(thread.copiedParts).toBe(sets.length);
    } finally {
      await thread.close();
    }
  });
});
