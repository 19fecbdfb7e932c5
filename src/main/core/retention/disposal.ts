/**
 * Disposal batches. An administrator requests one on a given day (`asOf`, never later than today): each
 * item a due document with a decision — keep, extend, dispose. A different administrator approves it
 * (separation of duties, also a CHECK in the database); approval re-checks holds, then in one transaction
 * records an extension version per extended document and a disposal version per disposed one (pages'
 * text cleared, the document tombstoned in `disposed_documents`, its files in `disposed_blobs`), stores the certificate and puts its SHA-256 into the
 * audit chain. Only after that commit are the files removed from the blob store; a file a crash left
 * behind is removed by the next approval and is never backed up again (backup/create.ts skips tombstones).
 */
import { constants, copyFileSync, statSync } from 'node:fs';
import { SlipVaultError } from '../../../shared/errors';
import type { DisposalApproval, DisposalBatch, DisposalDecision, DisposalItem } from '../../../shared/model';
import type { Archive } from '../archive';
import { inTransaction } from '../db/transaction';
import { toStorageError } from '../fs-errors';
import { backupHoldersOf, knownBackupTargets } from './backup-holders';
import { disposalCertificatePdf, type CertificateItem } from './certificate';
import { elapsed } from './dates';
import { blobsOfDocument, documentsReferring } from './document-blobs';
import { paperLocationOf } from './paper-location';
import type { DocumentRetention, RetentionStates } from './retention-state';

export interface RequestItem {
  ref: string | number;
  decision: DisposalDecision;
  extendUntil?: string | undefined;
}

interface BatchRow {
  id: number;
  asOf: string;
  reason: string;
  status: DisposalBatch['status'];
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  certificateSha256: string | null;
}

interface ItemRow {
  documentId: number;
  decision: DisposalDecision;
  extendUntil: string | null;
  startDate: string;
  dueDate: string;
  years: number;
}

const BATCH_COLUMNS = `id, as_of AS asOf, reason, status, requested_by AS requestedBy, requested_at AS requestedAt, decided_by AS decidedBy,
  decided_at AS decidedAt, decision_reason AS decisionReason, certificate_hash AS certificateSha256 FROM disposal_batches`;

export class Disposals {
  constructor(
    private readonly archive: Archive,
    private readonly states: RetentionStates,
    private readonly today: () => string,
  ) {}

  private get sqlite() {
    return this.archive.connection.sqlite;
  }

  list(): DisposalBatch[] {
    const rows = this.sqlite.prepare(`SELECT ${BATCH_COLUMNS} ORDER BY id DESC`).all() as BatchRow[];
    return rows.map((row) => this.describe(row));
  }

  get(id: number): DisposalBatch {
    return this.describe(this.row(id));
  }

  private row(id: number): BatchRow {
    const row = this.sqlite.prepare(`SELECT ${BATCH_COLUMNS} WHERE id = ?`).get(id) as BatchRow | undefined;
    if (!row) throw new SlipVaultError('NOT_FOUND', `There is no disposal batch ${id}.`, { batch: id }).withMessage('disposal.batchNotFound', { batch: id });
    return row;
  }

  private items(batchId: number): ItemRow[] {
    return this.sqlite
      .prepare(
        `SELECT document_id AS documentId, decision, extend_until AS extendUntil, start_date AS startDate, due_date AS dueDate, years
           FROM disposal_items WHERE batch_id = ? ORDER BY document_id`,
      )
      .all(batchId) as ItemRow[];
  }

  private describe(row: BatchRow): DisposalBatch {
    const items: DisposalItem[] = this.items(row.id).map((item) => {
      const document = this.archive.documents.summary(item.documentId);
      return {
        archiveNo: document.archiveNo,
        title: document.title,
        customer: document.customer,
        decision: item.decision,
        extendUntil: item.extendUntil,
        startDate: item.startDate,
        dueDate: item.dueDate,
        years: item.years,
        blobs: blobsOfDocument(this.sqlite, item.documentId).map((blob) => blob.hash),
      };
    });
    return { ...row, items };
  }

  /** A disposed document's files must not be anyone else's: the parts of a split batch go together. */
  private refuseSharedFiles(documentIds: Set<number>): void {
    for (const documentId of documentIds) {
      for (const blob of blobsOfDocument(this.sqlite, documentId)) {
        const others = documentsReferring(this.sqlite, blob.hash).filter((other) => !documentIds.has(other) && this.states.of(other).disposed === null);
        if (others.length === 0) continue;
        const mine = this.archive.documents.summary(documentId).archiveNo;
        const theirs = others.map((other) => this.archive.documents.summary(other).archiveNo);
        throw new SlipVaultError(
          'CONFLICT',
          `${mine} shares its original file with ${theirs.join(', ')} (one scanned batch); dispose of them together or keep them all.`,
          { archiveNo: mine, sharedWith: theirs },
        ).withMessage('disposal.sharedFile', { archiveNo: mine, others: theirs.join(', ') });
      }
    }
  }

  private refuseHeld(states: DocumentRetention[]): void {
    const held = states.filter((state) => state.holds.length > 0);
    if (held.length === 0) return;
    const described = held.map((state) => `${state.archiveNo} (${state.holds.map((hold) => `hold ${hold.id}: ${hold.kind}`).join(', ')})`);
    throw new SlipVaultError('ON_HOLD', `On hold, so not to be disposed of until the hold is lifted: ${described.join('; ')}.`, {
      archiveNos: held.map((state) => state.archiveNo),
      holds: held.flatMap((state) => state.holds.map((hold) => hold.id)),
    }).withMessage('disposal.onHold', { archiveNos: held.map((state) => state.archiveNo).join(', ') });
  }

  request(asOf: string | undefined, items: RequestItem[], reason: string): DisposalBatch {
    const day = asOf ?? this.today();
    if (day > this.today()) {
      throw new SlipVaultError('VALIDATION', `A disposal is decided on what is due by today (${this.today()}), not on ${day}.`, { field: 'asOf' }).withMessage(
        'disposal.notToday',
        { today: this.today(), day },
      );
    }
    return inTransaction(this.sqlite, () => {
      const states = items.map((item) => this.states.of(item.ref));
      const seen = new Set<number>();
      states.forEach((state, index) => {
        const item = items[index]!;
        if (seen.has(state.id))
          throw new SlipVaultError('VALIDATION', `${state.archiveNo} is named twice in the request.`, { archiveNo: state.archiveNo }).withMessage(
            'disposal.namedTwice',
            { archiveNo: state.archiveNo },
          );
        seen.add(state.id);
        if (state.disposed)
          throw new SlipVaultError('CONFLICT', `${state.archiveNo} was already disposed of (batch ${state.disposed.batchId}).`).withMessage(
            'disposal.alreadyDisposed',
            { archiveNo: state.archiveNo, batch: state.disposed.batchId },
          );
        if (state.pendingBatch !== null) {
          throw new SlipVaultError('CONFLICT', `${state.archiveNo} is already in disposal batch ${state.pendingBatch}, waiting for approval.`, {
            archiveNo: state.archiveNo,
            batch: state.pendingBatch,
          }).withMessage('disposal.alreadyPending', { archiveNo: state.archiveNo, batch: state.pendingBatch });
        }
        if (state.dueDate === null || state.dueDate > day) {
          throw new SlipVaultError(
            'NOT_DUE',
            state.dueDate === null
              ? `${state.archiveNo} has no end of retention (${state.schedule === null || state.schedule.years === null ? 'kept permanently' : 'its start is not known yet'}).`
              : `${state.archiveNo} must be kept until ${state.dueDate}; on ${day} it is not due.`,
            { archiveNo: state.archiveNo, dueDate: state.dueDate },
          ).withMessage('disposal.notDue', { archiveNo: state.archiveNo, dueDate: state.dueDate ?? '—' });
        }
        if (item.decision === 'extend' && (item.extendUntil === undefined || item.extendUntil <= state.dueDate)) {
          throw new SlipVaultError('RETENTION_SHORTENED', `${state.archiveNo}: an extension must end after ${state.dueDate}, its current end.`, {
            archiveNo: state.archiveNo,
            keptUntil: state.dueDate,
          }).withMessage('disposal.extensionTooShort', { archiveNo: state.archiveNo, keptUntil: state.dueDate });
        }
      });
      const disposing = states.filter((_, index) => items[index]!.decision === 'dispose');
      this.refuseHeld(disposing);
      this.refuseSharedFiles(new Set(disposing.map((state) => state.id)));

      const now = new Date().toISOString();
      const { id } = this.sqlite
        .prepare(`INSERT INTO disposal_batches (as_of, reason, status, requested_by, requested_at) VALUES (?, ?, 'requested', ?, ?) RETURNING id`)
        .get(day, reason, this.archive.actor(), now) as { id: number };
      const insert = this.sqlite.prepare(
        'INSERT INTO disposal_items (batch_id, document_id, decision, extend_until, start_date, due_date, years) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      states.forEach((state, index) => {
        const item = items[index]!;
        insert.run(id, state.id, item.decision, item.decision === 'extend' ? item.extendUntil : null, state.startDate, state.dueDate, state.schedule!.years);
      });
      this.archive.audit.append({
        action: 'disposal.request',
        targetType: 'disposal-batch',
        targetId: String(id),
        details: {
          asOf: day,
          reason,
          items: states.map((state, index) => ({
            archiveNo: state.archiveNo,
            decision: items[index]!.decision,
            extendUntil: items[index]!.extendUntil ?? null,
          })),
        },
      });
      return this.get(id);
    });
  }

  private refuseRequester(batch: BatchRow): void {
    if (batch.requestedBy.toLowerCase() === this.archive.actor().toLowerCase()) {
      throw new SlipVaultError(
        'SAME_APPROVER',
        `Disposal batch ${batch.id} was requested by ${batch.requestedBy}; another administrator must approve it (separation of duties).`,
        { batch: batch.id, requestedBy: batch.requestedBy },
      ).withMessage('disposal.sameApprover', { batch: batch.id, requestedBy: batch.requestedBy });
    }
  }

  private requireOpen(id: number): BatchRow {
    const batch = this.row(id);
    if (batch.status !== 'requested') {
      throw new SlipVaultError('CONFLICT', `Disposal batch ${id} was already ${batch.status} by ${batch.decidedBy} at ${batch.decidedAt}.`, {
        batch: id,
      }).withMessage('disposal.alreadyDecided', { batch: id, decidedBy: batch.decidedBy ?? '', decidedAt: batch.decidedAt ?? '' });
    }
    return batch;
  }

  async approve(id: number, reason: string, backupTargets: string[] | undefined): Promise<DisposalApproval> {
    const batch = this.requireOpen(id);
    this.refuseRequester(batch);
    const items = this.items(id);
    const disposing = items.filter((item) => item.decision === 'dispose');
    this.refuseHeld(disposing.map((item) => this.states.of(item.documentId)));
    this.refuseSharedFiles(new Set(disposing.map((item) => item.documentId)));

    const approvedAt = new Date().toISOString();
    const day = this.today();
    const certificateItems: CertificateItem[] = items.map((item) => {
      const state = this.states.of(item.documentId);
      return {
        archiveNo: state.archiveNo,
        title: state.title,
        customer: state.customer,
        typeCode: state.typeCode,
        decision: item.decision,
        extendUntil: item.extendUntil,
        years: item.years,
        startEvent: state.schedule?.startEvent ?? '-',
        startDate: item.startDate,
        dueDate: item.dueDate,
        elapsed: elapsed(item.startDate, day),
        location: paperLocationOf(this.archive, item.documentId),
        blobs: item.decision === 'dispose' ? blobsOfDocument(this.sqlite, item.documentId) : [],
      };
    });
    const removedHashes = new Set(certificateItems.flatMap((item) => item.blobs.map((blob) => blob.hash)));
    const backups = backupHoldersOf(this.archive, removedHashes, backupTargets ?? knownBackupTargets(this.archive));
    const pdf = await disposalCertificatePdf({
      batchId: id,
      archiveId: this.archive.status().archiveId,
      asOf: batch.asOf,
      reason: batch.reason,
      requestedBy: batch.requestedBy,
      requestedAt: batch.requestedAt,
      approvedBy: this.archive.actor(),
      approvedAt,
      items: certificateItems,
      backupHolders: backups.holders,
      backupTargetsUnchecked: backups.unchecked,
    });
    const certificate = this.archive.blobs.store(pdf);
    try {
      inTransaction(this.sqlite, () => {
        // What was checked before the certificate was drawn must still hold now that the write lock is taken.
        this.refuseRequester(this.requireOpen(id));
        this.refuseHeld(disposing.map((item) => this.states.of(item.documentId)));
        this.sqlite
          .prepare(`UPDATE disposal_batches SET status = 'approved', decided_by = ?, decided_at = ?, decision_reason = ?, certificate_hash = ? WHERE id = ?`)
          .run(this.archive.actor(), approvedAt, reason, certificate.hash, id);
        for (const item of items) {
          if (item.decision === 'extend') this.recordExtension(id, item);
          if (item.decision === 'dispose') this.recordDisposal(id, item, approvedAt);
        }
        this.archive.audit.append({
          action: 'disposal.approve',
          targetType: 'disposal-batch',
          targetId: String(id),
          details: {
            reason,
            requestedBy: batch.requestedBy,
            certificateSha256: certificate.hash,
            disposed: certificateItems.filter((item) => item.decision === 'dispose').map((item) => item.archiveNo),
            files: [...removedHashes].sort(),
            backupHolders: backups.holders,
            backupTargetsUnchecked: backups.unchecked,
          },
        });
      });
    } catch (error) {
      if (certificate.created) this.archive.blobs.discard(certificate.hash);
      throw error;
    }
    const filesRemoved = this.removeTombstonedFiles();
    const decided = (decision: DisposalDecision) => certificateItems.filter((item) => item.decision === decision).map((item) => item.archiveNo);
    return {
      batch: this.get(id),
      disposed: decided('dispose'),
      extended: decided('extend'),
      kept: decided('keep'),
      filesRemoved,
      backupHolders: backups.holders,
      backupTargetsUnchecked: backups.unchecked,
    };
  }

  private recordExtension(batchId: number, item: ItemRow): void {
    this.archive.documents.recordChange(item.documentId, 'retention.extend', `disposal batch ${batchId}: kept longer`, (row, now) => {
      this.sqlite
        .prepare('INSERT INTO retention_extensions (document_id, retain_until, reason, actor, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(row.id, item.extendUntil, `disposal batch ${batchId}`, this.archive.actor(), now);
      return { batch: batchId, retainUntil: { from: item.dueDate, to: item.extendUntil } };
    });
  }

  /** The document's disposal version: its pages lose their text, its files become tombstones. */
  private recordDisposal(batchId: number, item: ItemRow, at: string): void {
    const blobs = blobsOfDocument(this.sqlite, item.documentId);
    this.archive.documents.recordChange(item.documentId, 'dispose', `disposal batch ${batchId}`, (row) => {
      this.sqlite.prepare('UPDATE pages SET text = NULL WHERE document_id = ?').run(row.id);
      this.sqlite.prepare('DELETE FROM page_ocr WHERE page_id IN (SELECT id FROM pages WHERE document_id = ?)').run(row.id);
      // Nothing is left to recognise: a page still queued would only fail on its missing file.
      this.sqlite
        .prepare(
          `UPDATE ocr_jobs SET status = 'failed', error = 'the document was disposed of', updated_at = ?
             WHERE status IN ('queued', 'preprocessing', 'ocr') AND page_id IN (SELECT id FROM pages WHERE document_id = ?)`,
        )
        .run(at, row.id);
      this.sqlite.prepare('INSERT INTO disposed_documents (document_id, batch_id, disposed_at) VALUES (?, ?, ?)').run(row.id, batchId, at);
      const tombstone = this.sqlite.prepare(
        'INSERT OR IGNORE INTO disposed_blobs (blob_hash, batch_id, document_id, kind, disposed_at) VALUES (?, ?, ?, ?, ?)',
      );
      for (const blob of blobs) tombstone.run(blob.hash, batchId, row.id, blob.kind, at);
      // `check` accepts a missing file only when an event of the chain names it here.
      return { batch: batchId, files: blobs.map((blob) => blob.hash) };
    });
  }

  /** Removes every tombstoned file still in the store (this approval's, and any a crash left behind). */
  private removeTombstonedFiles(): number {
    const hashes = this.sqlite.prepare('SELECT blob_hash FROM disposed_blobs ORDER BY blob_hash').pluck().all() as string[];
    let removed = 0;
    for (const hash of hashes) {
      if (!this.archive.blobs.has(hash)) continue;
      this.archive.blobs.discard(hash);
      removed += 1;
    }
    return removed;
  }

  reject(id: number, reason: string): DisposalBatch {
    return inTransaction(this.sqlite, () => {
      this.requireOpen(id);
      this.sqlite
        .prepare(`UPDATE disposal_batches SET status = 'rejected', decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ?`)
        .run(this.archive.actor(), new Date().toISOString(), reason, id);
      this.archive.audit.append({ action: 'disposal.reject', targetType: 'disposal-batch', targetId: String(id), details: { reason } });
      return this.get(id);
    });
  }

  /** Writes a copy of the batch's certificate to `out` (a new file). */
  writeCertificate(id: number, out: string): { path: string; sha256: string; bytes: number } {
    const batch = this.row(id);
    if (batch.certificateSha256 === null) {
      throw new SlipVaultError('CONFLICT', `Disposal batch ${id} is ${batch.status}; only an approved batch has a certificate.`, { batch: id }).withMessage(
        'disposal.noCertificate',
        { batch: id },
      );
    }
    const source = this.archive.blobs.pathOf(batch.certificateSha256);
    try {
      copyFileSync(source, out, constants.COPYFILE_EXCL);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        throw new SlipVaultError('CONFLICT', `${out} already exists; choose a new file.`, { out }).withMessage('files.exists', { file: out });
      throw toStorageError(error, `Could not write the certificate to ${out}`);
    }
    return { path: out, sha256: batch.certificateSha256, bytes: statSync(out).size };
  }
}
