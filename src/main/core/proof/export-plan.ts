/**
 * The first half of a proof export, inside one transaction: reads every fact the package will state
 * (documents, versions, originals checked against their SHA-256, the audit chain from the documents'
 * first event) and appends the export's own audit event, which names the SHA-256 of every original and
 * every version history. export.ts writes the package from this plan once the transaction committed.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SlipVaultError } from '../../../shared/errors';
import type { AuditEvent, DocumentSnapshot, DocumentSummary } from '../../../shared/model';
import type { Archive } from '../archive';
import { toStorageError } from '../fs-errors';
import { sha256, type BlobStore } from '../store/blobs';
import { refuseIfDisposed } from '../retention/snapshot-retention';
import { CHAIN_SCRIPT, INSTRUCTIONS } from './hand-check';
import {
  CHAIN_SCRIPT_MEMBER,
  EXPORT_ACTION,
  INSTRUCTIONS_MEMBER,
  eventHash,
  filesMember,
  originalMember,
  versionsMember,
  type DocumentFiles,
  type DocumentVersions,
  type ExportEventDetails,
  type PackagedFile,
} from './layout';

export interface DocumentPlan {
  summary: DocumentSummary;
  versions: DocumentVersions;
  files: DocumentFiles;
}

export interface PlannedOriginal {
  file: PackagedFile;
  archiveNo: string;
}

export interface ExportPlan {
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

export function jsonBytes(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/** The original's bytes, checked against the hash it is stored under: a damaged original is never exported. */
export function readOriginal(blobs: BlobStore, file: PackagedFile, archiveNo: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(blobs.pathOf(file.sha256));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SlipVaultError(
        'NOT_FOUND',
        `The original ${file.filename} of ${archiveNo} is missing from the archive; run \`slipvault check\`. Nothing was exported.`,
        { archiveNo, blobHash: file.sha256 },
      ).withMessage('proof.originalMissing', { file: file.filename, archiveNo });
    }
    throw toStorageError(error, `Could not read the original ${file.filename} of ${archiveNo}`);
  }
  if (sha256(bytes) !== file.sha256) {
    throw new SlipVaultError(
      'CORRUPT_FILE',
      `The original ${file.filename} of ${archiveNo} is damaged (its SHA-256 no longer matches); run \`slipvault check\`. Nothing was exported.`,
      { archiveNo, blobHash: file.sha256 },
    ).withMessage('proof.originalDamaged', { file: file.filename, archiveNo });
  }
  return bytes;
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
      throw new SlipVaultError('CORRUPT_FILE', `The audit trail is damaged at event ${event.seq}; run \`slipvault check\`. Nothing was exported.`, {
        seq: event.seq,
      }).withMessage('proof.auditDamaged', { seq: event.seq });
    }
    previous = event;
  }
  return events;
}

function firstEventSeq(archive: Archive, archiveNo: string): number {
  const seq = archive.connection.sqlite.prepare(`SELECT min(seq) FROM audit_events WHERE target_type = 'document' AND target_id = ?`).pluck().get(archiveNo) as
    number | null;
  if (seq === null) {
    throw new SlipVaultError('CORRUPT_FILE', `The audit trail has no event about ${archiveNo}; run \`slipvault check\`. Nothing was exported.`, {
      archiveNo,
    }).withMessage('proof.noAuditEvent', { archiveNo });
  }
  return seq;
}

function archiveMeta(archive: Archive, key: string): string {
  return archive.connection.sqlite.prepare('SELECT value FROM archive_meta WHERE key = ?').pluck().get(key) as string;
}

/** Runs inside the export transaction: reads every fact of the package and records the export. */
export function planExport(archive: Archive, refs: string[]): ExportPlan {
  const summaries = new Map<number, DocumentSummary>();
  for (const ref of refs) {
    const summary = archive.documents.summary(ref);
    // A package carries the originals; a disposed document's are gone (its disposal is in the audit trail).
    refuseIfDisposed(archive.connection.db, summary.id, summary.archiveNo);
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
