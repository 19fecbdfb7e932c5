/**
 * The inbox: imported documents waiting for a clerk, with their OCR progress, filing suggestions and
 * warnings (same slip number and customer as another document: a re-signed slip is legitimate, so it
 * is a warning, not a refusal). Filing accepts the best suggestions for empty fields plus the clerk's
 * own values, as one new version.
 */
import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import { metadataChanges, type MetadataChanges } from '../../../shared/contract';
import { SlipVaultError } from '../../../shared/errors';
import { coreMessage, describeIssues, fieldIssues, type CoreMessage } from '../../../shared/messages';
import type { InboxOrder } from '../../../shared/inbox-draft';
import type { DocumentDetail, InboxItem, Suggestion } from '../../../shared/model';
import type { Connection } from '../db/connection';
import { customers, documents, documentSuggestions } from '../db/schema';
import type { DocumentRef, DocumentService } from '../documents/document-service';
import type { OcrQueue } from './ocr-queue';

/** Below this mean word confidence a page goes to the review list. */
export const REVIEW_CONFIDENCE = 70;
/** Suggestions below this confidence are shown but never filed without the clerk choosing them. */
export const ACCEPT_CONFIDENCE = 0.5;

/** Suggestions filing accepts by itself; a signer or a validity period is only ever shown (issue 18). */
const FILING_SUGGESTIONS = ['signedDate', 'amount', 'currency', 'slipNo', 'customer', 'type'] as const;
const isFilingField = (field: Suggestion['field']): field is (typeof FILING_SUGGESTIONS)[number] => (FILING_SUGGESTIONS as readonly string[]).includes(field);

export class Inbox {
  private readonly db: Connection['db'];

  constructor(
    private readonly connection: Connection,
    private readonly documents: DocumentService,
    private readonly queue: OcrQueue,
    /** The archive's review threshold (settings); REVIEW_CONFIDENCE when not set. */
    private readonly reviewThreshold: () => number = () => REVIEW_CONFIDENCE,
  ) {
    this.db = connection.db;
  }

  suggestionsOf(documentId: number): Suggestion[] {
    return this.db.select().from(documentSuggestions).where(eq(documentSuggestions.documentId, documentId)).get()?.suggestions ?? [];
  }

  private best(suggestions: Suggestion[], field: Suggestion['field']): Suggestion | undefined {
    return suggestions.find((suggestion) => suggestion.field === field);
  }

  private duplicateWarnings(documentId: number, slipNo: string | null, customer: string | null): CoreMessage[] {
    if (!slipNo) return [];
    const others = this.db
      .select({ archiveNo: documents.archiveNo, customer: customers.name })
      .from(documents)
      .leftJoin(customers, eq(customers.id, documents.customerId))
      .where(and(ne(documents.id, documentId), ne(documents.status, 'voided'), sql`upper(${documents.slipNo}) = ${slipNo.toUpperCase()}`))
      .all();
    return others
      .filter((other) => !customer || !other.customer || other.customer === customer)
      .map((other) =>
        other.customer
          ? coreMessage(
              'inbox.duplicateWithCustomer',
              { archiveNo: other.archiveNo, slipNo, customer: other.customer },
              `${other.archiveNo} has the same slip number ${slipNo} and customer ${other.customer}.`,
            )
          : coreMessage('inbox.duplicate', { archiveNo: other.archiveNo, slipNo }, `${other.archiveNo} has the same slip number ${slipNo}.`),
      );
  }

  list(limit = 100, order: InboxOrder = 'scan'): InboxItem[] {
    const rows = this.db
      .select({ id: documents.id })
      .from(documents)
      .where(eq(documents.status, 'inbox'))
      .orderBy(order === 'scan' ? asc(documents.id) : desc(documents.id))
      .limit(limit)
      .all();
    return rows.map(({ id }) => {
      const document = this.documents.summary(id);
      const suggestions = this.suggestionsOf(id);
      const progress = this.queue.progressOf(id);
      const slipNo = document.slipNo ?? this.best(suggestions, 'slipNo')?.value ?? null;
      const customer = document.customer ?? this.best(suggestions, 'customer')?.value ?? null;
      return {
        document,
        suggestions,
        pagesDone: progress.done,
        pagesTotal: progress.total,
        failedPages: progress.failed,
        minConfidence: progress.minConfidence,
        needsReview: progress.failed.length > 0 || (progress.minConfidence !== null && progress.minConfidence < this.reviewThreshold()),
        warnings: this.duplicateWarnings(id, slipNo, customer),
      };
    });
  }

  file(ref: DocumentRef, changes: MetadataChanges | undefined, accept: boolean, reason: string | null): DocumentDetail {
    const document = this.documents.summary(ref);
    if (document.status !== 'inbox') {
      throw new SlipVaultError('CONFLICT', `${document.archiveNo} is ${document.status}, not in the inbox.`, { archiveNo: document.archiveNo }).withMessage(
        'inbox.notInInbox',
        { archiveNo: document.archiveNo, status: document.status },
      );
    }
    const accepted: Record<string, string> = {};
    if (accept) {
      for (const suggestion of this.suggestionsOf(document.id)) {
        if (!isFilingField(suggestion.field)) continue;
        const current = document[suggestion.field];
        if (current !== null || suggestion.field in accepted || suggestion.confidence < ACCEPT_CONFIDENCE) continue;
        accepted[suggestion.field] = suggestion.value;
      }
    }
    const parsed = metadataChanges.safeParse({ ...accepted, ...changes, status: 'filed' });
    if (!parsed.success) {
      throw new SlipVaultError('VALIDATION', `${document.archiveNo} cannot be filed with these values: ${describeIssues(parsed.error.issues)}.`)
        .withMessage('filing.invalidValues', { archiveNo: document.archiveNo })
        .withIssues(fieldIssues(parsed.error.issues));
    }
    return this.documents.edit(document.id, parsed.data, reason);
  }
}
