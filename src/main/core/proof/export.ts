/**
 * Exports documents as one proof package (layout.ts, docs/proof-package.md). Everything the package
 * states is read in one transaction that also appends the export's own audit event (export-plan.ts):
 * that event is the chain head the package ends at, so who exported what and when is itself part of the
 * proven trail. Then the certificate is drawn and the ZIP written beside its destination and put in place.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import type { AuditEvent } from '../../../shared/model';
import type { ProofExportResult } from '../../../shared/proof';
import type { Archive } from '../archive';
import { canonicalJson } from '../audit/canonical';
import { toStorageError } from '../fs-errors';
import { sha256 } from '../store/blobs';
import { certificatePdf } from './certificate';
import { jsonBytes, planExport, readOriginal, type ExportPlan } from './export-plan';
import {
  CERTIFICATE_MEMBER,
  EVENTS_MEMBER,
  HASH_RULE,
  MANIFEST_MEMBER,
  PROOF_FORMAT,
  PROOF_FORMAT_VERSION,
  SUMS_MEMBER,
  filesMember,
  sha256Sums,
  versionsMember,
  type ManifestMember,
  type ProofManifest,
} from './layout';
import { ZipFileWriter } from './zip';
import { ANCHOR_KEY_META_PREFIX } from '../audit/anchor-checks';
import { inTransaction } from '../db/transaction';

export interface ProofExportRequest {
  /** Archive numbers or internal ids. */
  documents: string[];
  /** The package file to create; it must not exist yet. */
  out: string;
}

function checkDestination(archiveDir: string, out: string): void {
  const inside = relative(resolve(archiveDir), out);
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    throw new SlipVaultError('VALIDATION', `${out} is inside the archive folder; write the proof package somewhere else.`, { out }).withMessage(
      'proof.insideArchive',
      { file: out },
    );
  }
  if (existsSync(out)) {
    throw new SlipVaultError('CONFLICT', `${out} already exists; a proof package never replaces a file. Choose another name.`, { out }).withMessage(
      'proof.exists',
      { file: out },
    );
  }
  const folder = dirname(out);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new SlipVaultError('FILE_NOT_FOUND', `The folder ${folder} does not exist; create it first or choose another place for the package.`, {
      out,
    }).withMessage('proof.folderMissing', { folder });
  }
}

/** The two members that depend on the export event: the certificate and the chain that ends with it. */
async function chainAndCertificate(plan: ExportPlan): Promise<Map<string, Buffer>> {
  const certificate = await certificatePdf({
    packageId: plan.packageId,
    archiveId: plan.archive.id,
    archiveCreatedAt: plan.archive.createdAt,
    exportedBy: plan.exportEvent.actor,
    exportedAt: plan.exportEvent.at,
    head: { seq: plan.exportEvent.seq, hash: plan.exportEvent.hash },
    fromSeq: plan.events[0]!.seq,
    documents: plan.documents.map(({ summary, versions, files }) => ({
      archiveNo: summary.archiveNo,
      title: summary.title,
      status: summary.status,
      versions: versions.versions.length,
      files: files.files,
    })),
  });
  return new Map([
    [CERTIFICATE_MEMBER, Buffer.from(certificate)],
    [EVENTS_MEMBER, Buffer.from(plan.events.map((event) => `${canonicalJson(event)}\n`).join(''), 'utf8')],
  ]);
}

/**
 * The export event's head signed with the archive's anchor key (kept outside the archive), with the public
 * key: a package rewritten as a whole cannot carry a valid signature over its new head. Null when the key
 * cannot be used (check reports why); the package is still exported.
 */
function signedHeadOf(archive: Archive, plan: ExportPlan): ProofManifest['signedHead'] | null {
  const signed = archive.audit.anchoring.signHead({ seq: plan.exportEvent.seq, hash: plan.exportEvent.hash }, 'proof');
  if (!signed) return null;
  const publicKey = archive.connection.sqlite
    .prepare('SELECT value FROM archive_meta WHERE key = ?')
    .pluck()
    .get(`${ANCHOR_KEY_META_PREFIX}${signed.keyId}`) as string | undefined;
  return publicKey === undefined ? null : { ...signed, publicKey };
}

function manifestOf(plan: ExportPlan, described: ManifestMember[], signedHead: ProofManifest['signedHead'] | null): ProofManifest {
  return {
    format: PROOF_FORMAT,
    formatVersion: PROOF_FORMAT_VERSION,
    packageId: plan.packageId,
    archive: plan.archive,
    exportedBy: plan.exportEvent.actor,
    exportedAt: plan.exportEvent.at,
    documents: plan.documents.map(({ summary, versions }) => ({
      archiveNo: summary.archiveNo,
      title: summary.title,
      status: summary.status,
      currentVersion: versions.versions.length,
      versions: versionsMember(summary.archiveNo),
      files: filesMember(summary.archiveNo),
    })),
    auditTrail: { member: EVENTS_MEMBER, fromSeq: plan.events[0]!.seq, head: { seq: plan.exportEvent.seq, hash: plan.exportEvent.hash }, hashRule: HASH_RULE },
    ...(signedHead ? { signedHead } : {}),
    members: described,
  };
}

/** manifest.json and SHA256SUMS first (for `unzip -l` readers), then the rest, originals last. */
function writePackage(archive: Archive, plan: ExportPlan, chained: Map<string, Buffer>, writer: ZipFileWriter): { bytes: number; sha256: string } {
  const modified = new Date(plan.exportEvent.at);
  const contents = new Map([...chained, ...plan.contents]);
  const described: ManifestMember[] = [...contents].map(([path, data]) => ({ path, sha256: sha256(data), size: data.length }));
  for (const [path, { file }] of plan.originals) described.push({ path, sha256: file.sha256, size: file.size });
  const manifest = jsonBytes(manifestOf(plan, described, signedHeadOf(archive, plan)));
  writer.add(MANIFEST_MEMBER, manifest, modified);
  writer.add(SUMS_MEMBER, Buffer.from(sha256Sums([{ path: MANIFEST_MEMBER, sha256: sha256(manifest) }, ...described]), 'utf8'), modified);
  for (const [path, data] of contents) writer.add(path, data, modified);
  for (const [path, { file, archiveNo }] of plan.originals) writer.add(path, readOriginal(archive.blobs, file, archiveNo), modified);
  return writer.finish();
}

/** Puts the finished package under its name without ever replacing a file that appeared meanwhile. */
function publish(partial: string, out: string): void {
  linkSync(partial, out);
  rmSync(partial);
  const fd = openSync(dirname(out), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export async function exportProof(archive: Archive, request: ProofExportRequest): Promise<ProofExportResult> {
  const refs = request.documents.map((ref) => ref.trim()).filter((ref) => ref !== '');
  if (refs.length === 0) throw new SlipVaultError('VALIDATION', 'Name at least one document to put in the proof package.').withMessage('proof.noDocuments');
  const out = resolve(request.out);
  checkDestination(archive.dir, out);
  const partial = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.partial`);
  let writer: ZipFileWriter;
  try {
    // Opened before the export is recorded, so an unwritable folder is refused without an audit event.
    writer = new ZipFileWriter(partial);
  } catch (error) {
    throw toStorageError(error, `Could not create ${out}`);
  }
  let recorded: AuditEvent | undefined;
  let finished = false;
  try {
    const plan = inTransaction(archive.connection.sqlite, () => planExport(archive, refs));
    recorded = plan.exportEvent;
    const written = writePackage(archive, plan, await chainAndCertificate(plan), writer);
    finished = true;
    publish(partial, out);
    return {
      path: out,
      packageId: plan.packageId,
      documents: plan.documents.map(({ summary }) => summary.archiveNo),
      files: plan.originals.size,
      events: plan.events.length,
      head: { seq: plan.exportEvent.seq, hash: plan.exportEvent.hash },
      ...written,
    };
  } catch (error) {
    if (!finished) writer.abandon();
    rmSync(partial, { force: true });
    if (recorded === undefined) throw error;
    const cause = toStorageError(error, `Could not write ${out}`);
    throw new SlipVaultError(cause.code, `${cause.message} The export had been recorded as audit event ${recorded.seq}; no package was written.`, {
      seq: recorded.seq,
      out,
    }).withMessage('proof.failedAfterRecord', { seq: recorded.seq });
  }
}
