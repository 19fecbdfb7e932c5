/**
 * Exports documents as one proof package (layout.ts, docs/proof-package.md). Everything the package
 * states is read in one transaction that also appends the export's own audit event: that event names
 * the SHA-256 of every original and every version history in the package, and it is the chain head the
 * package ends at, so who exported what and when is itself part of the proven trail.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import type { AuditEvent, DocumentSnapshot, DocumentSummary } from '../../../shared/model';
import type { ProofExportResult } from '../../../shared/proof';
import type { Archive } from '../archive';
import { canonicalJson } from '../audit/canonical';
import { toStorageError } from '../fs-errors';
import { sha256, type BlobStore } from '../store/blobs';
import { certificatePdf } from './certificate';
import { CHAIN_SCRIPT, INSTRUCTIONS } from './hand-check';
import {
  CERTIFICATE_MEMBER,
  CHAIN_SCRIPT_MEMBER,
  EVENTS_MEMBER,
  EXPORT_ACTION,
  HASH_RULE,
  INSTRUCTIONS_MEMBER,
  MANIFEST_MEMBER,
  PROOF_FORMAT,
  PROOF_FORMAT_VERSION,
  SUMS_MEMBER,
  eventHash,
  filesMember,
  originalMember,
  sha256Sums,
  versionsMember,
  type DocumentFiles,
  type DocumentVersions,
  type ExportEventDetails,
  type ManifestMember,
  type PackagedFile,
  type ProofManifest,
} from './layout';
import { ZipFileWriter } from './zip';

export interface ProofExportRequest {
  /** Archive numbers or internal ids. */
  documents: string[];
  /** The package file to create; it must not exist yet. */
  out: string;
}

interface DocumentPlan {
  summary: DocumentSummary;
  versions: DocumentVersions;
  files: DocumentFiles;
}

interface PlannedOriginal {
  file: PackagedFile;
  archiveNo: string;
}

interface ExportPlan {
  packageId: string;
  archive: { id: string; createdAt: string };
  documents: DocumentPlan[];
  /** The members the export event names, except the originals: version histories, file lists, instructions. */
  contents: Map<string, Buffer>;
  /** One entry per distinct original (parts of a split batch share theirs), by member path. */
  originals: Map<string, PlannedOriginal>;
  /** The chain from the first event about an exported document to the export's own event. */
  events: AuditEvent[];
  exportEvent: AuditEvent;
}

function jsonBytes(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/** The original's bytes, checked against the hash it is stored under: a damaged original is never exported. */
function readOriginal(blobs: BlobStore, file: PackagedFile, archiveNo: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(blobs.pathOf(file.sha256));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SlipVaultError('NOT_FOUND', `The original ${file.filename} of ${archiveNo} is missing from the archive; run \`slipvault check\`. Nothing was exported.`, { archiveNo, blobHash: file.sha256 });
    }
    throw toStorageError(error, `Could not read the original ${file.filename} of ${archiveNo}`);
  }
  if (sha256(bytes) !== file.sha256) {
    throw new SlipVaultError('CORRUPT_FILE', `The original ${file.filename} of ${archiveNo} is damaged (its SHA-256 no longer matches); run \`slipvault check\`. Nothing was exported.`, { archiveNo, blobHash: file.sha256 });
  }
  return bytes;
}

function checkDestination(archiveDir: string, out: string): void {
  const inside = relative(resolve(archiveDir), out);
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    throw new SlipVaultError('VALIDATION', `${out} is inside the archive folder; write the proof package somewhere else.`, { out });
  }
  if (existsSync(out)) {
    throw new SlipVaultError('CONFLICT', `${out} already exists; a proof package never replaces a file. Choose another name.`, { out });
  }
  const folder = dirname(out);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new SlipVaultError('FILE_NOT_FOUND', `The folder ${folder} does not exist; create it first or choose another place for the package.`, { out });
  }
}

function documentPlan(archive: Archive, summary: DocumentSummary): DocumentPlan {
  const sqlite = archive.connection.sqlite;
  const versionRows = sqlite
    .prepare('SELECT number, created_at AS createdAt, actor, action, reason, snapshot FROM document_versions WHERE document_id = ? ORDER BY number')
    .all(summary.id) as { number: number; createdAt: string; actor: string; action: string; reason: string | null; snapshot: string }[];
  // A part of a split batch file refers to the original attached to the batch's first document.
  const fileRows = sqlite
    .prepare(
      `SELECT blob_hash AS sha256, filename, mime, size, page_count AS pageCount, imported_at AS importedAt FROM source_files
       WHERE document_id = ? OR id IN (SELECT source_file_id FROM pages WHERE document_id = ?) ORDER BY id`,
    )
    .all(summary.id, summary.id) as Omit<PackagedFile, 'member'>[];
  return {
    summary,
    versions: {
      archiveNo: summary.archiveNo,
      versions: versionRows.map((row) => ({ ...row, snapshot: JSON.parse(row.snapshot) as DocumentSnapshot })),
    },
    files: { archiveNo: summary.archiveNo, files: fileRows.map((row) => ({ ...row, member: originalMember(row.sha256, row.mime) })) },
  };
}

/** The events from `fromSeq` to the head, refused when they do not form an intact chain. */
function chainSegment(archive: Archive, fromSeq: number): AuditEvent[] {
  const events = archive.audit.list(fromSeq - 1, Number.MAX_SAFE_INTEGER);
  let previous: AuditEvent | undefined;
  for (const event of events) {
    const links = previous === undefined ? event.seq === fromSeq : event.seq === previous.seq + 1 && event.prevHash === previous.hash;
    if (!links || eventHash(event.prevHash, event) !== event.hash) {
      throw new SlipVaultError('CORRUPT_FILE', `The audit trail is damaged at event ${event.seq}; run \`slipvault check\`. Nothing was exported.`, { seq: event.seq });
    }
    previous = event;
  }
  return events;
}

function firstEventSeq(archive: Archive, archiveNo: string): number {
  const seq = archive.connection.sqlite
    .prepare(`SELECT min(seq) FROM audit_events WHERE target_type = 'document' AND target_id = ?`)
    .pluck()
    .get(archiveNo) as number | null;
  if (seq === null) {
    throw new SlipVaultError('CORRUPT_FILE', `The audit trail has no event about ${archiveNo}; run \`slipvault check\`. Nothing was exported.`, { archiveNo });
  }
  return seq;
}

function archiveMeta(archive: Archive, key: string): string {
  return archive.connection.sqlite.prepare('SELECT value FROM archive_meta WHERE key = ?').pluck().get(key) as string;
}

/** Runs inside the export transaction: reads every fact of the package and records the export. */
function planExport(archive: Archive, refs: string[]): ExportPlan {
  const summaries = new Map<number, DocumentSummary>();
  for (const ref of refs) {
    const summary = archive.documents.summary(ref);
    summaries.set(summary.id, summary);
  }
  const documents = [...summaries.values()].map((summary) => documentPlan(archive, summary));
  const contents = new Map<string, Buffer>();
  const originals = new Map<string, PlannedOriginal>();
  for (const { summary, versions, files } of documents) {
    contents.set(versionsMember(summary.archiveNo), jsonBytes(versions));
    contents.set(filesMember(summary.archiveNo), jsonBytes(files));
    for (const file of files.files) {
      readOriginal(archive.blobs, file, summary.archiveNo);
      originals.set(file.member, { file, archiveNo: summary.archiveNo });
    }
  }
  contents.set(INSTRUCTIONS_MEMBER, Buffer.from(INSTRUCTIONS, 'utf8'));
  contents.set(CHAIN_SCRIPT_MEMBER, Buffer.from(CHAIN_SCRIPT, 'utf8'));
  const members: Record<string, string> = {};
  for (const [path, data] of contents) members[path] = sha256(data);
  for (const [path, { file }] of originals) members[path] = file.sha256;
  const fromSeq = Math.min(...documents.map(({ summary }) => firstEventSeq(archive, summary.archiveNo)));
  const events = chainSegment(archive, fromSeq);
  const packageId = randomUUID();
  const archiveId = archiveMeta(archive, 'archive_id');
  const details: ExportEventDetails = { packageId, archiveId, documents: documents.map(({ summary }) => summary.archiveNo), fromSeq, members };
  const exportEvent = archive.audit.append({ action: EXPORT_ACTION, targetType: 'proof', targetId: packageId, details: { ...details } });
  return {
    packageId,
    archive: { id: archiveId, createdAt: archiveMeta(archive, 'created_at') },
    documents,
    contents,
    originals,
    events: [...events, exportEvent],
    exportEvent,
  };
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

function manifestOf(plan: ExportPlan, described: ManifestMember[]): ProofManifest {
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
    members: described,
  };
}

/** manifest.json and SHA256SUMS first (for `unzip -l` readers), then the rest, originals last. */
function writePackage(archive: Archive, plan: ExportPlan, chained: Map<string, Buffer>, writer: ZipFileWriter): { bytes: number; sha256: string } {
  const modified = new Date(plan.exportEvent.at);
  const contents = new Map([...chained, ...plan.contents]);
  const described: ManifestMember[] = [...contents].map(([path, data]) => ({ path, sha256: sha256(data), size: data.length }));
  for (const [path, { file }] of plan.originals) described.push({ path, sha256: file.sha256, size: file.size });
  const manifest = jsonBytes(manifestOf(plan, described));
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
  if (refs.length === 0) throw new SlipVaultError('VALIDATION', 'Name at least one document to put in the proof package.');
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
    const plan = archive.connection.sqlite.transaction(() => planExport(archive, refs)).immediate();
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
    throw new SlipVaultError(cause.code, `${cause.message} The export had been recorded as audit event ${recorded.seq}; no package was written.`, { seq: recorded.seq, out });
  }
}
