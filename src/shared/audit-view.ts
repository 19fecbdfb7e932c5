/**
 * Reading the audit trail (the audit viewer, `slipvault audit`, a document's own history) and recording the
 * reads that are worth an event (opening a document, viewing, downloading or printing a page). The input
 * schemas of the 'audit:*' contract calls and what they answer.
 */
import { z } from 'zod';
import { documentRef } from './document-ref';
import type { AuditEvent } from './model';

/** An instant with its offset (2026-03-05T08:00:00.000Z, 2026-03-05T16:00:00+08:00); the CLI and the UI turn local dates into these. */
const instant = z.iso.datetime({ offset: true, message: 'a time is written as an ISO date-time with its offset, e.g. 2026-03-05T00:00:00+08:00' });

/** An action code (document.edit), or a family of them (document.*). */
export const ACTION_FILTER = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*(\.\*)?$/;

export const auditFilters = z
  .object({
    user: z.string().trim().min(1, 'a user filter cannot be empty').max(200).optional(),
    action: z.string().trim().max(100).regex(ACTION_FILTER, 'an action is a code such as document.edit, or a family such as document.*').optional(),
    document: documentRef.optional(),
    /** From this instant on (inclusive). */
    since: instant.optional(),
    /** Before this instant (exclusive). */
    until: instant.optional(),
  })
  .strict()
  .refine((filters) => !filters.since || !filters.until || Date.parse(filters.since) < Date.parse(filters.until), {
    message: 'since must be before until',
    path: ['until'],
  });

export type AuditFilters = z.output<typeof auditFilters>;

export const AUDIT_PAGE_LIMIT = 1000;

export const auditQueryInput = z
  .object({
    filters: auditFilters.default({}),
    /** Keyset cursor: only events older than this seq (the previous page's nextBefore). */
    before: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(AUDIT_PAGE_LIMIT).default(200),
  })
  .strict();

export interface AuditPage {
  /** Newest first. */
  events: AuditEvent[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
  /** Events matching the filters in all pages. */
  total: number;
}

/** An export of more events than this is refused (about 60 MB of CSV): narrow the filters and export in parts. */
export const MAX_EXPORT_ROWS = 250_000;

export const auditExportInput = z.object({ filters: auditFilters.default({}) }).strict();

export interface AuditExport {
  /** RFC 4180 CSV, starting with a UTF-8 byte order mark so spreadsheet programs read Chinese correctly. */
  csv: string;
  rows: number;
}

/** What someone did with a document that is worth an audit event. */
export const VIEW_KINDS = ['open', 'view', 'download', 'print'] as const;
export type ViewKind = (typeof VIEW_KINDS)[number];

export const recordViewInput = z
  .object({
    ref: documentRef,
    pageId: z.number().int().positive().optional(),
    action: z.enum(VIEW_KINDS, { message: 'action is open, view, download or print' }),
  })
  .strict()
  .refine((input) => input.action !== 'open' || input.pageId === undefined, { message: 'opening names the document, not a page', path: ['pageId'] })
  .refine((input) => (input.action !== 'view' && input.action !== 'download') || input.pageId !== undefined, {
    message: 'viewing or downloading names the page (pageId)',
    path: ['pageId'],
  });

export type RecordViewInput = z.output<typeof recordViewInput>;
