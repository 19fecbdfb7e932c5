/**
 * Filing drafts of inbox documents (docs/inbox-drafts.md): what a clerk typed into or accepted in the Inbox's
 * filing form, kept in the archive so it survives a screen change and a restart. A save replaces the
 * document's draft; the Inbox saves after a pause in typing, so a save is not worth an audit event — the
 * filing that uses the draft is audited with every field. Discarding one is a clerk's decision and is audited.
 * A draft ends when its document leaves the inbox (a trigger of migration 0013), whichever path files it.
 */
import { asc, eq } from 'drizzle-orm';
import { SlipVaultError } from '../../../shared/errors';
import type { FilingDraft, InboxDraft } from '../../../shared/inbox-draft';
import type { AuditLog } from '../audit/audit-log';
import type { Connection } from '../db/connection';
import { documents, inboxDrafts } from '../db/schema';
import { inTransaction } from '../db/transaction';
import type { DocumentRef, DocumentService } from '../documents/document-service';

export interface InboxDraftsDeps {
  connection: Connection;
  documents: DocumentService;
  audit: AuditLog;
  /** Who saves (the logged-in user). */
  user: () => string;
  now: () => Date;
}

export class InboxDrafts {
  constructor(private readonly deps: InboxDraftsDeps) {}

  /** Every draft of a document still in the inbox, in the inbox's scan order. */
  list(): InboxDraft[] {
    return this.deps.connection.db
      .select({ draft: inboxDrafts, archiveNo: documents.archiveNo })
      .from(inboxDrafts)
      .innerJoin(documents, eq(documents.id, inboxDrafts.documentId))
      .where(eq(documents.status, 'inbox'))
      .orderBy(asc(inboxDrafts.documentId))
      .all()
      .map(({ draft, archiveNo }) => ({
        documentId: draft.documentId,
        archiveNo,
        values: draft.fieldValues,
        accepted: draft.accepted,
        ...(draft.override === null ? {} : { override: draft.override }),
        savedBy: draft.savedBy,
        savedAt: draft.savedAt,
      }));
  }

  save(ref: DocumentRef, draft: FilingDraft): InboxDraft {
    return inTransaction(this.deps.connection.sqlite, () => {
      const document = this.inboxDocument(ref);
      const stored = {
        fieldValues: draft.values,
        accepted: draft.accepted,
        override: draft.override ?? null,
        savedBy: this.deps.user(),
        savedAt: this.deps.now().toISOString(),
      };
      this.deps.connection.db
        .insert(inboxDrafts)
        .values({ documentId: document.id, ...stored })
        .onConflictDoUpdate({ target: inboxDrafts.documentId, set: stored })
        .run();
      return { ...draft, documentId: document.id, archiveNo: document.archiveNo, savedBy: stored.savedBy, savedAt: stored.savedAt };
    });
  }

  /** Removes the document's draft; `discarded` is false when it had none (nothing is written then). */
  discard(ref: DocumentRef): { archiveNo: string; discarded: boolean } {
    const document = this.deps.documents.summary(ref);
    return inTransaction(this.deps.connection.sqlite, () => {
      const removed = this.deps.connection.db.delete(inboxDrafts).where(eq(inboxDrafts.documentId, document.id)).run().changes;
      if (removed === 0) return { archiveNo: document.archiveNo, discarded: false };
      this.deps.audit.append({ action: 'document.draft.discard', targetType: 'document', targetId: document.archiveNo });
      return { archiveNo: document.archiveNo, discarded: true };
    });
  }

  private inboxDocument(ref: DocumentRef) {
    const document = this.deps.documents.summary(ref);
    if (document.status !== 'inbox') {
      throw new SlipVaultError('CONFLICT', `${document.archiveNo} is ${document.status}, not in the inbox: a filing draft is only kept for inbox documents.`, {
        archiveNo: document.archiveNo,
        status: document.status,
      }).withMessage('inbox.draftNotInInbox', { archiveNo: document.archiveNo, status: document.status });
    }
    return document;
  }
}
