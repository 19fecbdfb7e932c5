/**
 * The anchor folder and its key on a real archive: where it lives, what a line holds and who can check it,
 * when heads are recorded, and that a folder that cannot be written never stops work but is reported.
 */
import { appendFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Archive } from '../../src/main/core/archive';
import { anchorFolder } from '../../src/main/core/audit/anchor-folder';
import { anchorKeyPath, readAnchorKey } from '../../src/main/core/audit/anchor-key';
import { ANCHOR_KEY_META_PREFIX } from '../../src/main/core/audit/anchor-checks';
import { ANCHOR_EVERY } from '../../src/main/core/audit/anchoring';
import { anchorFilePath, readAnchorFile } from '../../src/main/core/audit/anchor-file';
import { chainDivergence } from '../../src/main/core/audit/chain-divergence';
import { recordSignatureValid, signedText, type Anchor } from '../../src/main/core/audit/signed-head';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { tempDir } from '../helpers/fixtures';

let folder: string;
beforeEach(() => {
  folder = tempDir('slipvault-anchors-');
  process.env.SLIPVAULT_ANCHOR_DIR = folder;
});

function archiveIdOf(archive: Archive): string {
  return archive.status().archiveId;
}

function linesOf(archiveId: string): Anchor[] {
  return readFileSync(anchorFilePath(folder, archiveId), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Anchor);
}

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

function appendReads(archive: Archive, count: number): void {
  for (let n = 0; n < count; n += 1) archive.audit.append({ action: 'archive.status', details: { n } });
}

describe('the anchor folder', () => {
  it('is per OS user outside the archive, overridable by SLIPVAULT_ANCHOR_DIR', () => {
    expect(anchorFolder({}, 'linux', '/home/li')).toBe('/home/li/.local/share/SlipVault/anchors');
    expect(anchorFolder({ XDG_DATA_HOME: '/data/li' }, 'linux', '/home/li')).toBe('/data/li/SlipVault/anchors');
    expect(anchorFolder({}, 'darwin', '/Users/li')).toBe('/Users/li/Library/Application Support/SlipVault/anchors');
    expect(anchorFolder({ APPDATA: 'C:\\Users\\li\\AppData\\Roaming' }, 'win32', 'C:\\Users\\li')).toBe(
      join('C:\\Users\\li\\AppData\\Roaming', 'SlipVault', 'anchors'),
    );
    expect(anchorFolder({ SLIPVAULT_ANCHOR_DIR: '/mnt/usb/anchors' }, 'linux', '/home/li')).toBe('/mnt/usb/anchors');
  });
});

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  describe('recording anchors', () => {
    it('at close: a signed line, a key only the OS user can read, its public half registered in the archive', async () => {
      const dir = join(tempDir(), 'archive');
      const archive = await backEnd.init(dir, { actor: 'clerk-li' });
      const archiveId = archiveIdOf(archive);
      archive.close();

      const key = readAnchorKey(folder, archiveId)!;
      expect(statSync(anchorKeyPath(folder, archiveId)).mode & 0o777).toBe(0o600);
      const [line, ...rest] = linesOf(archiveId);
      expect(rest).toEqual([]);
      expect(line).toMatchObject({ archiveId, database: backEnd.databaseName(dir), reason: 'close', from: 0, keyId: key.keyId });
      expect(recordSignatureValid(line!, key.publicKey)).toBe(true);
      // The signed text is the canonical JSON of every field but the signature.
      expect(JSON.parse(signedText(line!))).not.toHaveProperty('signature');
      expect(recordSignatureValid({ ...line!, seq: line!.seq + 1 }, key.publicKey)).toBe(false);

      const reopened = await backEnd.open(dir);
      try {
        const registered = reopened.connection.sqlite
          .prepare('SELECT value FROM archive_meta WHERE key = ?')
          .pluck()
          .get(`${ANCHOR_KEY_META_PREFIX}${key.keyId}`);
        expect(registered).toBe(key.publicKey);
        // Recording adds no event of its own: the history stays what the archive did.
        const events = reopened.audit.list(0, 100);
        expect(events.map((event) => event.action)).toEqual(['archive.init']);
        // The anchor covers every event, each by the first 8 hex digits of its hash.
        expect(line).toMatchObject({ seq: 1, hash: events[0]!.hash, digests: events[0]!.hash.slice(0, 8) });
      } finally {
        reopened.close();
      }
      // Nothing new since: closing again records nothing.
      expect(linesOf(archiveId)).toHaveLength(1);
    });

    it(`every ${ANCHOR_EVERY} appends, once the transaction they ran in has committed, and only what committed`, async () => {
      const archive = await backEnd.init(join(tempDir(), 'archive'));
      try {
        const archiveId = archiveIdOf(archive);
        const rolledBack = () =>
          archive.connection.sqlite.transaction(() => {
            appendReads(archive, ANCHOR_EVERY);
            throw new Error('the change failed');
          })();
        expect(rolledBack).toThrow('the change failed');
        await nextTick();
        // The rolled-back events are not anchored; the committed head is.
        const committed = archive.audit.head();
        expect(linesOf(archiveId).map((line) => [line.reason, line.seq])).toEqual([['appends', committed.seq]]);

        archive.connection.sqlite.transaction(() => appendReads(archive, ANCHOR_EVERY - 1))();
        await nextTick();
        expect(linesOf(archiveId)).toHaveLength(1);
        appendReads(archive, 1);
        await nextTick();
        const lines = linesOf(archiveId);
        expect(lines.map((line) => [line.reason, line.from, line.seq])).toEqual([
          ['appends', 0, committed.seq],
          ['appends', committed.seq, committed.seq + ANCHOR_EVERY],
        ]);
        expect(lines[1]!.hash).toBe(archive.audit.head().hash);
      } finally {
        archive.close();
      }
    });

    it('a folder that cannot be written stops no work; check reports it, and recording resumes once it can', async () => {
      const blocker = join(tempDir(), 'not-a-folder');
      writeFileSync(blocker, 'a file where the anchor folder should be');
      process.env.SLIPVAULT_ANCHOR_DIR = join(blocker, 'anchors');
      const dir = join(tempDir(), 'archive');
      const archive = await backEnd.init(dir);
      appendReads(archive, ANCHOR_EVERY);
      await nextTick();
      expect(() => archive.close()).not.toThrow();

      const reopened = await backEnd.open(dir);
      try {
        appendReads(reopened, ANCHOR_EVERY);
        await nextTick();
        const report = await reopened.check();
        expect(report.ok).toBe(false);
        expect(report.problems).toEqual([
          expect.objectContaining({
            kind: 'audit-chain',
            message: expect.stringMatching(new RegExp(`^Anchors of the audit chain cannot be recorded in ${join(blocker, 'anchors')}: ENOTDIR`)),
          }),
        ]);

        rmSync(blocker);
        expect(reopened.audit.anchoring.record('test')).toMatchObject({ seq: reopened.audit.head().seq });
        expect(reopened.audit.anchoring.recordingFailure()).toBeNull();
        expect((await reopened.check()).problems).toEqual([]);
      } finally {
        reopened.close();
      }
    });

    it('a line nobody with the key wrote is reported, and so is a missing key (no new key replaces it)', async () => {
      const dir = join(tempDir(), 'archive');
      const archive = await backEnd.init(dir);
      const archiveId = archiveIdOf(archive);
      archive.close();
      const [genuine] = linesOf(archiveId);
      appendFileSync(
        anchorFilePath(folder, archiveId),
        `${JSON.stringify({ ...genuine, seq: genuine!.seq + 5, from: genuine!.seq + 5, digests: '' })}\n{"cut sh`,
      );

      let reopened = await backEnd.open(dir);
      let report = await reopened.check();
      reopened.close();
      const path = anchorFilePath(folder, archiveId);
      expect(report.problems.map((problem) => problem.message)).toEqual([
        `Anchor line 2 of ${path} has an invalid signature`,
        `Anchor line 3 of ${path} is not a complete anchor (cut short or overwritten)`,
      ]);

      rmSync(anchorKeyPath(folder, archiveId));
      reopened = await backEnd.open(dir);
      try {
        expect(reopened.audit.anchoring.record('test')).toBeNull();
        expect(reopened.audit.anchoring.recordingFailure()).toBe(`the anchor key of this archive is missing from ${folder} although its anchors are there`);
        report = await reopened.check();
      } finally {
        reopened.close();
      }
      expect(readAnchorKey(folder, archiveId)).toBeNull();
      expect(report.problems.map((problem) => problem.message)).toEqual([
        `Anchors of the audit chain cannot be recorded in ${folder}: the anchor key of this archive is missing from ${folder} although its anchors are there`,
        `Anchor line 1 of ${path} cannot be verified: the anchor key is missing`,
        `Anchor line 2 of ${path} cannot be verified: the anchor key is missing`,
        `Anchor line 3 of ${path} is not a complete anchor (cut short or overwritten)`,
      ]);
    });

    it('an archive id rewritten into a path is refused as a file name: nothing is written outside the folder', async () => {
      const dir = join(tempDir(), 'archive');
      const archive = await backEnd.init(dir);
      archive.connection.sqlite.prepare("UPDATE archive_meta SET value = '../escaped' WHERE key = 'archive_id'").run();
      try {
        expect(archive.audit.anchoring.record('test')).toBeNull();
        const report = await archive.check();
        expect(report.problems.map((problem) => problem.message)).toEqual([
          `Anchors of the audit chain cannot be recorded in ${folder}: the archive id "../escaped" is not a valid archive id`,
        ]);
      } finally {
        archive.close();
      }
      expect(existsSync(join(folder, '..', 'escaped.key'))).toBe(false);
      expect(existsSync(join(folder, '..', 'escaped.jsonl'))).toBe(false);
    });

    it('a copy of the archive in another folder keeps anchors of its own and does not disturb the original', async () => {
      const dir = join(tempDir(), 'archive');
      const archive = await backEnd.init(dir);
      appendReads(archive, 10);
      const copyDir = join(tempDir(), 'copy');
      const archiveId = archiveIdOf(archive);
      archive.close();
      await backEnd.copy(dir, copyDir);

      const copy = await backEnd.open(copyDir);
      appendReads(copy, 3);
      copy.close();
      const original = await backEnd.open(dir);
      appendReads(original, 5);
      try {
        expect((await original.check()).problems).toEqual([]);
      } finally {
        original.close();
      }
      const copyAgain = await backEnd.open(copyDir);
      try {
        expect((await copyAgain.check()).problems).toEqual([]);
      } finally {
        copyAgain.close();
      }
      expect(new Set(linesOf(archiveId).map((line) => line.database))).toEqual(new Set([backEnd.databaseName(dir), backEnd.databaseName(copyDir)]));
    });
  });

  describe('chainDivergence', () => {
    it('is null while the chain matches, and names the first change against the anchors of one file', async () => {
      const dir = join(tempDir(), 'archive');
      const archive = await backEnd.init(dir);
      try {
        appendReads(archive, 20);
        const archiveId = archiveIdOf(archive);
        archive.audit.anchoring.record('test');
        const anchors = readAnchorFile(folder, archiveId, readAnchorKey(folder, archiveId)).anchors.map((anchor) => ({ ...anchor, source: 'the test anchor' }));
        expect(chainDivergence(archive.connection, anchors)).toBeNull();
        const head = archive.audit.head();
        // A head recorded beyond the live end is a truncation.
        expect(chainDivergence(archive.connection, [...anchors, { seq: head.seq + 3, hash: 'f'.repeat(64), source: 'a later head' }])).toMatchObject({
          kind: 'truncated',
          seq: head.seq + 1,
          liveEnd: head.seq,
          matchedUpTo: head.seq,
          headsNotMatched: 1,
          headsTotal: 2,
        });
        // A head without digests that disagrees bounds the change by the last head that agreed.
        expect(
          chainDivergence(archive.connection, [
            { seq: 5, hash: archive.audit.list(4, 1)[0]!.hash, source: 'five' },
            { seq: 12, hash: '0'.repeat(64), source: 'twelve' },
          ]),
        ).toMatchObject({
          kind: 'head-differs',
          seq: 12,
          matchedUpTo: 5,
        });
      } finally {
        archive.close();
      }
    });
  });
});
