/**
 * Proof packages end to end on a real archive: export documents with history, verify the package, and
 * show that changing any member - by a byte in the ZIP, or by rewriting it with checksums recomputed -
 * is found and named. Exports that cannot be made are refused before anything is recorded or written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Archive } from '../../src/main/core/archive';
import { canonicalJson } from '../../src/main/core/audit/canonical';
import { exportProof } from '../../src/main/core/proof/export';
import {
  CERTIFICATE_MEMBER,
  EVENTS_MEMBER,
  MANIFEST_MEMBER,
  SUMS_MEMBER,
  eventHash,
  versionsMember,
  type DocumentVersions,
  type ExportEventDetails,
  type ProofManifest,
} from '../../src/main/core/proof/layout';
import { verifyProofPackage } from '../../src/main/core/proof/verify';
import type { AuditEvent } from '../../src/shared/model';
import type { ProofVerification } from '../../src/shared/proof';
import { BACK_ENDS, useBackEnd, type TestBackEnd } from '../helpers/back-ends';
import { tempDir } from '../helpers/fixtures';
import { archiveWithHistory, jsonMember, readMembers, resealChecksums, rewritePackage, setJsonMember, sha256 } from '../helpers/proof-package';
import { flipByte, refusalFrom } from '../helpers/tamper';

const opened: Archive[] = [];
afterEach(() => {
  for (const archive of opened.splice(0)) archive.close();
});

async function exported(documents?: (archiveNos: [string, string, string]) => string[], backEnd?: TestBackEnd) {
  const history = await archiveWithHistory(undefined, backEnd?.init);
  opened.push(history.archive);
  const out = join(tempDir('slipvault-proof-out-'), 'proof.zip');
  const headBefore = history.archive.audit.head();
  const result = await exportProof(history.archive, { documents: documents ? documents(history.archiveNos) : [...history.archiveNos], out });
  return { ...history, out, result, headBefore };
}

function messages(report: ProofVerification): string[] {
  return report.problems.map((problem) => problem.message);
}

function events(members: Map<string, Buffer>): AuditEvent[] {
  return members
    .get(EVENTS_MEMBER)!
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as AuditEvent);
}

function setEvents(members: Map<string, Buffer>, list: AuditEvent[]): void {
  members.set(EVENTS_MEMBER, Buffer.from(list.map((event) => `${canonicalJson(event)}\n`).join('')));
}

/** Every hash from `from` on recomputed, as someone rewriting history inside the package would. */
function rechain(list: AuditEvent[]): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const event of list) {
    const prevHash = out.length === 0 ? event.prevHash : out.at(-1)!.hash;
    out.push({ ...event, prevHash, hash: eventHash(prevHash, event) });
  }
  return out;
}

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  describe('proof export', () => {
    it('writes one package with the originals, every version, the chain to its own export event, and verifies', async () => {
      const { archive, archiveNos, out, result, headBefore } = await exported(undefined, backEnd);
      const report = verifyProofPackage(out);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.documents).toEqual([
        { archiveNo: archiveNos[0], versions: 5, files: 1 },
        { archiveNo: archiveNos[1], versions: 1, files: 1 },
        { archiveNo: archiveNos[2], versions: 2, files: 1 },
      ]);
      expect(report.exportedBy).toBe('李娜');

      // One export, one audit event.
      const head = archive.audit.head();
      expect(head.seq).toBe(headBefore.seq + 1);
      expect(result.head).toEqual(head);
      expect(report.head).toEqual(head);
      const [exportEvent] = archive.audit.list(head.seq - 1, 1);
      expect(exportEvent).toMatchObject({ action: 'proof.export', actor: '李娜', targetType: 'proof', targetId: result.packageId });
      const details = exportEvent!.details as unknown as ExportEventDetails;
      expect(details.documents).toEqual([...archiveNos]);

      const members = readMembers(out);
      expect(sha256(readFileSync(out))).toBe(result.sha256);
      // The chain runs from the first event about an exported document (its import) to the export itself.
      const chain = events(members);
      const firstImport = archive.audit.list(0, 100).find((event) => event.targetId === archiveNos[0])!;
      expect(chain[0]).toEqual(firstImport);
      expect(chain.at(-1)).toEqual(exportEvent);
      expect(chain.map((event) => event.action)).toContain('test.numbers');
      // Every original and history the package holds is named, with its SHA-256, by the export event.
      for (const [path, digest] of Object.entries(details.members)) expect(sha256(members.get(path)!), path).toBe(digest);
      const originals = [...members.keys()].filter((name) => name.startsWith('files/'));
      expect(originals).toHaveLength(3);
      for (const name of originals) expect(name).toBe(`files/${sha256(members.get(name)!)}.${name.split('.').at(-1)}`);
      const history = jsonMember<DocumentVersions>(members, versionsMember(archiveNos[0]));
      expect(history.versions.map((version) => version.action)).toEqual(['import', 'edit', 'edit', 'page.rotate', 'restore']);
      expect(history.versions[1]!.snapshot.metadata.customer).toBe('华南贸易有限公司');
      expect(members.get(CERTIFICATE_MEMBER)!.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    });

    it('exports one document on its own, and each document only once when named twice', async () => {
      const { archiveNos, out } = await exported((numbers) => [numbers[1], numbers[1], ` ${numbers[1].toLowerCase()} `], backEnd);
      const report = verifyProofPackage(out);
      expect(report.ok).toBe(true);
      expect(report.documents.map((document) => document.archiveNo)).toEqual([archiveNos[1]]);
    });

    it('refuses an export that cannot be made, recording nothing and leaving no file', async () => {
      const { archive, dir, archiveNos } = await archiveWithHistory(undefined, backEnd.init);
      opened.push(archive);
      const folder = tempDir('slipvault-proof-out-');
      const blob = archive.documents.get(archiveNos[1]).files[0]!.blobHash;
      const head = archive.audit.head();
      const attempt = (documents: string[], out = join(folder, 'proof.zip')) => refusalFrom(() => exportProof(archive, { documents, out }));

      expect(await attempt([' '])).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('at least one document') });
      expect(await attempt([archiveNos[0], 'SV-2026-009999'])).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('SV-2026-009999') });
      expect(await attempt([archiveNos[0]], join(folder, 'missing', 'proof.zip'))).toMatchObject({ code: 'FILE_NOT_FOUND' });
      expect(await attempt([archiveNos[0]], join(dir, 'proof.zip'))).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('inside the archive folder'),
      });
      writeFileSync(join(folder, 'taken.zip'), 'mine');
      expect(await attempt([archiveNos[0]], join(folder, 'taken.zip'))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already exists') });
      expect(readFileSync(join(folder, 'taken.zip'), 'utf8')).toBe('mine');

      // A damaged original is never exported.
      flipByte(archive.blobs.pathOf(blob), 40);
      expect(await attempt([archiveNos[1]])).toMatchObject({ code: 'CORRUPT_FILE', message: expect.stringContaining('receipt.png') });
      flipByte(archive.blobs.pathOf(blob), 40);

      // Nor is a trail that no longer hashes: someone with raw access to the database rewrote an event.
      const raw = backEnd.raw(archive);
      raw.exec(backEnd.name === 'sqlite' ? 'DROP TRIGGER audit_events_no_update' : 'DROP TRIGGER audit_events_no_update ON audit_events');
      const target = archive.audit.list(0, 100).find((event) => event.action === 'document.edit')!;
      raw.prepare('UPDATE audit_events SET actor = ? WHERE seq = ?').run('manager', target.seq);
      raw.close();
      expect(await attempt([archiveNos[0]])).toMatchObject({ code: 'CORRUPT_FILE', message: expect.stringContaining(`event ${target.seq}`) });

      expect(archive.audit.head()).toEqual(head);
      expect(readdirSync(folder).sort()).toEqual(['taken.zip']);
    });
  });
});

// Verifying reads a package, not an archive: a package exported from SQLite stands for both back ends here.
describe('proof verify', () => {
  it('names the member behind every kind of tampering', async () => {
    const { archiveNos, out, result } = await exported();
    const original = readMembers(out);
    const originalName = [...original.keys()].find((name) => name.startsWith('files/') && name.endsWith('.jpg'))!;
    const history = versionsMember(archiveNos[0]);
    const verify = (edit: (members: Map<string, Buffer>) => void) => messages(verifyProofPackage(rewritePackage(out, edit)));

    // An original's bytes.
    const changedFile = (members: Map<string, Buffer>) => {
      const data = Buffer.from(members.get(originalName)!);
      data[data.length - 3]! ^= 0x01;
      members.set(originalName, data);
    };
    expect(verify(changedFile)).toEqual(expect.arrayContaining([`${originalName} does not match its SHA-256 in SHA256SUMS`]));
    expect(verify((members) => (changedFile(members), resealChecksums(members)))).toEqual([
      `${originalName} is not the file the export event recorded (SHA-256 differs)`,
      `${originalName} (${archiveNos[0]}, 送货单-0417.jpg) does not match the SHA-256 in its name`,
    ]);

    // A version's metadata: who made version 2.
    const forgedHistory = (members: Map<string, Buffer>) => {
      const versions = jsonMember<DocumentVersions>(members, history);
      versions.versions[1]!.actor = 'manager';
      setJsonMember(members, history, versions);
    };
    expect(verify(forgedHistory)).toEqual(expect.arrayContaining([`${history} does not match its SHA-256 in SHA256SUMS`]));
    expect(verify((members) => (forgedHistory(members), resealChecksums(members)))).toEqual(
      expect.arrayContaining([
        `${history} is not the file the export event recorded (SHA-256 differs)`,
        expect.stringMatching(/version 2 \(edit by manager .*\) has no audit event in the chain/),
      ]),
    );

    // An event: its actor changed; then also its hash recomputed; then the whole chain and checksums.
    const edit = events(original).find((event) => event.action === 'document.edit')!;
    const forgedEvent = (members: Map<string, Buffer>) =>
      setEvents(
        members,
        events(members).map((event) => (event.seq === edit.seq ? { ...event, actor: 'manager' } : event)),
      );
    expect(verify((members) => (forgedEvent(members), resealChecksums(members)))).toEqual([
      `audit event ${edit.seq} (document.edit) was altered: its hash does not match its content`,
      expect.stringMatching(new RegExp(`${archiveNos[0]} version 2 \\(edit by 李娜 .*\\) has no audit event in the chain`)),
    ]);
    expect(
      verify((members) => {
        setEvents(
          members,
          events(members).map((event) =>
            event.seq === edit.seq ? { ...event, actor: 'manager', hash: eventHash(event.prevHash, { ...event, actor: 'manager' }) } : event,
          ),
        );
        resealChecksums(members);
      }),
    ).toEqual(expect.arrayContaining([`audit event ${edit.seq + 1} does not link to the event before it`]));
    const rewritten = rewritePackage(out, (members) => {
      const list = rechain(events(members).map((event) => (event.seq === edit.seq ? { ...event, actor: 'manager' } : event)));
      setEvents(members, list);
      const manifest = jsonMember<ProofManifest>(members, MANIFEST_MEMBER);
      manifest.auditTrail.head = { seq: list.at(-1)!.seq, hash: list.at(-1)!.hash };
      setJsonMember(members, MANIFEST_MEMBER, manifest);
      forgedHistory(members);
      resealChecksums(members);
    });
    // Rewritten as a whole, the package differs from the original in its head, which the archive key signed.
    expect(messages(verifyProofPackage(rewritten))).toEqual([
      `documents/${archiveNos[0]}/versions.json is not the file the export event recorded (SHA-256 differs)`,
      expect.stringMatching(/^the signed head \(event \d+, [0-9a-f]{64}\) is not the chain's head/),
    ]);
    expect(messages(verifyProofPackage(rewritten, { expectedHead: result.head.hash }))).toEqual(
      expect.arrayContaining([expect.stringContaining(`not at the expected head ${result.head.hash}`)]),
    );

    // An event removed, and the chain cut short at its start.
    expect(
      verify(
        (members) => (
          setEvents(
            members,
            events(members).filter((event) => event.seq !== edit.seq),
          ),
          resealChecksums(members)
        ),
      ),
    ).toEqual(expect.arrayContaining([`audit event ${edit.seq} is missing from the chain (event ${edit.seq + 1} follows event ${edit.seq - 1})`]));
    expect(verify((members) => (setEvents(members, events(members).slice(1)), resealChecksums(members)))).toEqual(
      expect.arrayContaining([
        expect.stringContaining('the chain starts at event'),
        expect.stringMatching(/version 1 \(import by .*\) has no audit event in the chain/),
      ]),
    );

    // SHA256SUMS: one digit of one line.
    expect(
      verify((members) => {
        const sums = members.get(SUMS_MEMBER)!.toString('utf8');
        const line = sums.split('\n').find((entry) => entry.endsWith(`  ${history}`))!;
        members.set(SUMS_MEMBER, Buffer.from(sums.replace(line, `${line[0] === '0' ? '1' : '0'}${line.slice(1)}`)));
      }),
    ).toEqual([`${history} does not match its SHA-256 in SHA256SUMS`]);

    // The manifest: who exported.
    const forgedManifest = (members: Map<string, Buffer>) =>
      setJsonMember(members, MANIFEST_MEMBER, { ...jsonMember<ProofManifest>(members, MANIFEST_MEMBER), exportedBy: 'manager' });
    expect(verify(forgedManifest)).toEqual(expect.arrayContaining([`${MANIFEST_MEMBER} does not match its SHA-256 in SHA256SUMS`]));
    expect(verify((members) => (forgedManifest(members), resealChecksums(members)))).toEqual([
      `${MANIFEST_MEMBER} states exporter manager, but the export event records 李娜`,
    ]);

    // A member taken out, one slipped in.
    expect(verify((members) => (members.delete(originalName), resealChecksums(members)))).toEqual(
      expect.arrayContaining([`the export event records ${originalName}, which is not in the package`]),
    );
    expect(verify((members) => (members.set('files/extra.jpg', Buffer.from('x')), resealChecksums(members)))).toEqual([
      `files/extra.jpg was not recorded by the export event`,
    ]);
  });

  it('carries the head signed with the archive key, so a package rewritten as a whole no longer verifies', async () => {
    const { out, result } = await exported();
    const genuine = verifyProofPackage(out);
    expect(genuine).toMatchObject({ ok: true, head: result.head });
    expect(genuine.signedBy).toMatch(/^[0-9a-f]{16}$/);
    const manifest = jsonMember<ProofManifest>(readMembers(out), MANIFEST_MEMBER);
    expect(manifest.signedHead).toMatchObject({ seq: result.head.seq, hash: result.head.hash, keyId: genuine.signedBy });

    // Someone rewrites an actor, recomputes the whole chain, the manifest's head and every checksum.
    const rewrite = (members: Map<string, Buffer>, signed: (head: { seq: number; hash: string }) => Partial<NonNullable<ProofManifest['signedHead']>>) => {
      const list = events(members);
      list[0] = { ...list[0]!, actor: 'someone-else' };
      const chained = rechain(list);
      setEvents(members, chained);
      const head = { seq: chained.at(-1)!.seq, hash: chained.at(-1)!.hash };
      const stated = jsonMember<ProofManifest>(members, MANIFEST_MEMBER);
      setJsonMember(members, MANIFEST_MEMBER, {
        ...stated,
        auditTrail: { ...stated.auditTrail, head },
        signedHead: { ...stated.signedHead!, ...signed(head) },
      });
      resealChecksums(members);
    };
    const keptSignature = messages(verifyProofPackage(rewritePackage(out, (members) => rewrite(members, () => ({})))));
    expect(keptSignature).toEqual(expect.arrayContaining([expect.stringMatching(/^the signed head \(event \d+, [0-9a-f]{64}\) is not the chain's head/)]));
    const resigned = messages(verifyProofPackage(rewritePackage(out, (members) => rewrite(members, (head) => head))));
    expect(resigned).toEqual(expect.arrayContaining([`the signature of the signed head does not verify with key ${genuine.signedBy}`]));
  });

  it('finds one flipped bit in any byte of any member, read straight from the ZIP file', async () => {
    const { out } = await exported((numbers) => [numbers[0]]);
    const zip = readFileSync(out);
    const copy = join(tempDir('slipvault-proof-flip-'), 'flipped.zip');
    for (const [name, data] of readMembers(out)) {
      // Members are stored uncompressed, so each one's bytes appear as they are in the ZIP file.
      const start = zip.indexOf(data);
      expect(start, name).toBeGreaterThan(0);
      for (const offset of new Set([0, Math.floor(data.length / 2), data.length - 1])) {
        writeFileSync(copy, zip);
        flipByte(copy, start + offset);
        const report = verifyProofPackage(copy);
        expect(report.ok, `${name} byte ${offset}`).toBe(false);
        expect(report.problems, `${name} byte ${offset}`).toContainEqual({
          member: name,
          message: `${name} is damaged: its bytes do not match the ZIP file's CRC-32 for it`,
        });
      }
    }
  });

  it('refuses what is not a package with a specific message', async () => {
    const folder = tempDir('slipvault-proof-bad-');
    expect(() => verifyProofPackage(join(folder, 'nothing.zip'))).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
    mkdirSync(join(folder, 'a-folder.zip'));
    expect(() => verifyProofPackage(join(folder, 'a-folder.zip'))).toThrow(expect.objectContaining({ code: 'FILE_UNREADABLE' }));
    writeFileSync(join(folder, 'text.zip'), 'not a zip at all, just text');
    expect(messages(verifyProofPackage(join(folder, 'text.zip')))).toEqual([
      expect.stringMatching(/is not a proof package: This is not a readable ZIP file: it has no end-of-central-directory record/),
    ]);
    const empty = rewritePackage((await exported((numbers) => [numbers[1]])).out, (members) => {
      for (const name of [...members.keys()]) if (name !== MANIFEST_MEMBER) members.delete(name);
      members.set(MANIFEST_MEMBER, Buffer.from('{"format":"something-else"}'));
    });
    expect(messages(verifyProofPackage(empty))).toEqual([
      'SHA256SUMS is missing from the package',
      expect.stringContaining('manifest.json is not a valid proof package manifest: format'),
    ]);
    expect(existsSync(empty)).toBe(true);
  });
});
