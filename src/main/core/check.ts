/**
 * `check`: proves the archive is whole. SQLite's own integrity and foreign keys, every blob the database
 * refers to (originals and page thumbnails) present with a matching SHA-256, every document's current state equal to its latest
 * version (a file removed by an approved disposal counts as absent by design, retention/tombstones.ts), and the audit chain unbroken and equal to the heads anchored outside the archive. Each problem
 * names the documents it affects.
 */
import { eq } from 'drizzle-orm';
import type { CheckProblem, CheckReport } from '../../shared/model';
import { accountProblems } from './accounts/account-history';
import type { AuditLog } from './audit/audit-log';
import type { Connection } from './db/connection';
import { onPostgres } from './db/pg-sync/pg-connection';
import { documents, pages, sourceFiles } from './db/schema';
import { recordBlobProblems } from './authorizations/record-blobs';
import type { BlobStore } from './store/blobs';
import { disposedFiles } from './retention/tombstones';
import { versionMismatches } from './version-check';

export async function checkArchive(connection: Connection, blobs: BlobStore, audit: AuditLog): Promise<CheckReport> {
  const { sqlite, db } = connection;
  const problems: CheckProblem[] = [];

  // SQLite's own checks. PostgreSQL has no equivalent to ask: it enforces every foreign key on every write and
  // checks its own pages; the checks below (files, versions, audit chain) run on both back ends.
  if (!onPostgres(sqlite)) {
    const integrity = sqlite.pragma('integrity_check') as { integrity_check: string }[];
    for (const { integrity_check: message } of integrity) {
      if (message !== 'ok') problems.push({ kind: 'database', message: `SQLite integrity: ${message}`, documents: [] });
    }
    const foreignKeys = sqlite.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
    for (const violation of foreignKeys) {
      problems.push({
        kind: 'foreign-key',
        message: `${violation.table} row ${violation.rowid} refers to a missing ${violation.parent} row`,
        documents: [],
      });
    }
  }

  const referenced = db
    .select({ hash: sourceFiles.blobHash, filename: sourceFiles.filename, archiveNo: documents.archiveNo })
    .from(sourceFiles)
    .innerJoin(documents, eq(documents.id, sourceFiles.documentId))
    .all();
  // The parts of a split batch file refer to its one original through their pages.
  const referencedByPages = db
    .selectDistinct({ hash: sourceFiles.blobHash, filename: sourceFiles.filename, archiveNo: documents.archiveNo })
    .from(pages)
    .innerJoin(sourceFiles, eq(sourceFiles.id, pages.sourceFileId))
    .innerJoin(documents, eq(documents.id, pages.documentId))
    .all();
  const documentsByBlob = new Map<string, { archiveNos: Set<string>; filename: string }>();
  for (const ref of [...referenced, ...referencedByPages]) {
    const entry = documentsByBlob.get(ref.hash) ?? { archiveNos: new Set<string>(), filename: ref.filename };
    entry.archiveNos.add(ref.archiveNo);
    documentsByBlob.set(ref.hash, entry);
  }
  // Files an approved disposal removed are absent by design; any other missing file is a problem.
  const disposed = disposedFiles(sqlite);
  for (const [hash, { archiveNos, filename }] of documentsByBlob) {
    const state = await blobs.verify(hash);
    if (state === 'ok' || (state === 'missing' && disposed.has(hash))) continue;
    const affected = [...archiveNos].sort();
    problems.push({
      kind: state === 'missing' ? 'blob-missing' : 'blob-corrupt',
      message:
        state === 'missing'
          ? `the original of ${filename} (blob ${hash.slice(0, 12)}…) is missing; affects ${affected.join(', ')}`
          : `the original of ${filename} (blob ${hash.slice(0, 12)}…) is damaged: its content no longer matches its SHA-256; affects ${affected.join(', ')}`,
      documents: affected,
      blobHash: hash,
    });
  }

  // Thumbnails are derived, but a page that names one must find it.
  const thumbnails = sqlite
    .prepare(
      `SELECT p.thumbnail_hash AS hash, p.id AS pageId, d.archive_no AS archiveNo
         FROM pages p JOIN documents d ON d.id = p.document_id WHERE p.thumbnail_hash IS NOT NULL ORDER BY p.id`,
    )
    .all() as { hash: string; pageId: number; archiveNo: string }[];
  const thumbnailStates = new Map<string, Awaited<ReturnType<BlobStore['verify']>>>();
  for (const thumbnail of thumbnails) {
    if (!thumbnailStates.has(thumbnail.hash)) thumbnailStates.set(thumbnail.hash, await blobs.verify(thumbnail.hash));
    const state = thumbnailStates.get(thumbnail.hash)!;
    if (state === 'ok' || (state === 'missing' && disposed.has(thumbnail.hash))) continue;
    problems.push({
      kind: state === 'missing' ? 'blob-missing' : 'blob-corrupt',
      message: `the thumbnail of page ${thumbnail.pageId} (blob ${thumbnail.hash.slice(0, 12)}…) is ${state === 'missing' ? 'missing' : 'damaged'}; affects ${thumbnail.archiveNo}`,
      documents: [thumbnail.archiveNo],
      blobHash: thumbnail.hash,
    });
  }

  // Signers' specimens and authorizations' attachments (issue 18).
  problems.push(...(await recordBlobProblems(connection, blobs)));

  problems.push(...versionMismatches(connection));

  for (const broken of audit.verify()) {
    problems.push({
      kind: 'audit-chain',
      message: broken.message,
      documents: broken.targetType === 'document' && broken.targetId ? [broken.targetId] : [],
      auditSeq: broken.seq,
    });
  }
  // The chain can be consistent in itself and still not be the one recorded outside the archive.
  for (const anchored of audit.anchoring.verify()) {
    problems.push({
      kind: 'audit-chain',
      message: anchored.message,
      documents: anchored.targetType === 'document' && anchored.targetId ? [anchored.targetId] : [],
      ...(anchored.seq === null ? {} : { auditSeq: anchored.seq }),
    });
  }

  problems.push(...accountProblems(connection));

  const countOf = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    ok: problems.length === 0,
    problems,
    counts: {
      documents: countOf('documents'),
      pages: countOf('pages'),
      blobs: new Set([...documentsByBlob.keys(), ...thumbnailStates.keys()]).size,
      versions: countOf('document_versions'),
      auditEvents: countOf('audit_events'),
    },
  };
}
