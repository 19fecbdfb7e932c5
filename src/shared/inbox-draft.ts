/**
 * A filing draft: what a clerk typed into, or accepted in, an inbox document's filing form and has not filed
 * yet. Kept in the archive per document (inbox:saveDraft) so it survives a screen change and a restart, and
 * ends when the document leaves the inbox or the clerk discards it (docs/inbox-drafts.md).
 */
import { z } from 'zod';

/** The Inbox's orders: scan order (oldest first, as the paper stack lies) or newest first. */
export const INBOX_ORDERS = ['scan', 'newest'] as const;
export type InboxOrder = (typeof INBOX_ORDERS)[number];

/**
 * The fields of the Inbox's filing form, in the order the form shows them. The signer comes last, so the
 * keys that walk the form reach the other fields as before (issue 19 item 2: the signer in the form).
 */
export const INBOX_FORM_FIELDS = ['title', 'customer', 'type', 'signedDate', 'slipNo', 'amount', 'currency', 'signer'] as const;
export type InboxFormField = (typeof INBOX_FORM_FIELDS)[number];

/** Longer than any field accepts when filed: a draft keeps what was typed, checked only when it is filed. */
const MAX_TYPED = 1000;

export const draftValues = z
  .object(
    Object.fromEntries(INBOX_FORM_FIELDS.map((field) => [field, z.string().max(MAX_TYPED, `${field} in a draft can be at most ${MAX_TYPED} characters`)])) as {
      [F in InboxFormField]: z.ZodString;
    },
  )
  .partial()
  .strict();

export const filingDraft = z
  .object({
    /** The clerk's own entries; a field not here shows the stored value or the best suggestion. */
    values: draftValues,
    /** Accepted for filing (Enter): filed with the next "file accepted". */
    accepted: z.boolean(),
    /** Why the document may be filed without fields its type requires. */
    override: z.string().max(500, 'an override reason can be at most 500 characters').optional(),
  })
  .strict();

export type FilingDraft = z.output<typeof filingDraft>;

export interface InboxDraft extends FilingDraft {
  documentId: number;
  archiveNo: string;
  /** Who saved it last, and when (ISO time). */
  savedBy: string;
  savedAt: string;
}
