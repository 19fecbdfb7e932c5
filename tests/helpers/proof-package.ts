/** A real archive with history to export, and the edits an attacker holding a proof package could make. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { MANIFEST_MEMBER, SUMS_MEMBER, sha256Sums, type ProofManifest } from '../../src/main/core/proof/layout';
import { readZip, ZipFileWriter } from '../../src/main/core/proof/zip';
import { tempDir, writeJpeg, writePng, writeTiff } from './fixtures';

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Three documents with history: a JPEG edited twice (Chinese customer), its page rotated and version 2
 * restored; a PNG; a two-page TIFF whose page order changed. Plus an event whose details hold
 * floating-point numbers, which a hand-written checker must print exactly as JavaScript does. `init` makes the
 * archive on another back end (tests/helpers/back-ends.ts).
 */
export async function archiveWithHistory(
  actor = '李娜',
  init: typeof initArchive = initArchive,
): Promise<{ archive: Archive; dir: string; archiveNos: [string, string, string] }> {
  const dir = join(tempDir('slipvault-proof-'), 'archive');
  const files = tempDir('slipvault-proof-files-');
  const archive = await init(dir, { actor, program: 'proof test' });
  const documents = archive.documents;
  const slip = await documents.importFile(await writeJpeg(files, '送货单-0417.jpg', 64, 96));
  const receipt = await documents.importFile(await writePng(files, 'receipt.png', 64, 96));
  const batch = await documents.importFile(await writeTiff(files, 'batch.tiff', 2));
  documents.edit(slip.archiveNo, { customer: '华南贸易有限公司', amount: '1200.50', signedDate: '2026-03-05' }, 'from slip');
  documents.edit(slip.archiveNo, { tags: ['urgent', '华南'] }, null);
  const page = documents.get(slip.archiveNo).pages[0]!;
  documents.rotatePage(slip.archiveNo, page.pageId, 90, 'scanned sideways');
  documents.restoreVersion(slip.archiveNo, 2, 'rotation was wrong');
  const tiffPages = documents.get(batch.archiveNo).pages.map((tiffPage) => tiffPage.pageId);
  documents.reorderPages(batch.archiveNo, [...tiffPages].reverse(), null);
  archive.connection.sqlite.transaction(() => {
    archive.audit.append({ action: 'test.numbers', details: { tiny: 0.00001, smaller: -2.5e-7, big: 1e21, ratio: 123.456, whole: 7 } });
  })();
  return { archive, dir, archiveNos: [slip.archiveNo, receipt.archiveNo, batch.archiveNo] };
}

export function readMembers(path: string): Map<string, Buffer> {
  return new Map(readZip(readFileSync(path)).map((member) => [member.name, member.data!]));
}

/** Writes `members` as a new package, the way anyone with a ZIP tool can. */
export function writeMembers(members: Map<string, Buffer>, out: string): string {
  const writer = new ZipFileWriter(out);
  for (const [name, data] of members) writer.add(name, data, new Date());
  writer.finish();
  return out;
}

/** A copy of the package with `edit` applied to its members. */
export function rewritePackage(path: string, edit: (members: Map<string, Buffer>) => void): string {
  const members = readMembers(path);
  edit(members);
  return writeMembers(members, join(tempDir('slipvault-proof-forged-'), 'forged.zip'));
}

/** What a forger does next: manifest.json and SHA256SUMS recomputed to match the edited members. */
export function resealChecksums(members: Map<string, Buffer>): void {
  const manifest = JSON.parse(members.get(MANIFEST_MEMBER)!.toString('utf8')) as ProofManifest;
  manifest.members = [...members]
    .filter(([name]) => name !== MANIFEST_MEMBER && name !== SUMS_MEMBER)
    .map(([path, data]) => ({ path, sha256: sha256(data), size: data.length }));
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  members.set(MANIFEST_MEMBER, manifestBytes);
  const listed = [...members].filter(([name]) => name !== SUMS_MEMBER).map(([path, data]) => ({ path, sha256: sha256(data) }));
  members.set(SUMS_MEMBER, Buffer.from(sha256Sums(listed)));
}

export function jsonMember<T>(members: Map<string, Buffer>, name: string): T {
  return JSON.parse(members.get(name)!.toString('utf8')) as T;
}

export function setJsonMember(members: Map<string, Buffer>, name: string, value: unknown): void {
  members.set(name, Buffer.from(`${JSON.stringify(value, null, 2)}\n`));
}
