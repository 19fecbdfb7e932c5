import { UNAUDITED_READ_ACTIONS } from '../../../shared/unaudited-reads';

/**
 * Audit actions that record someone looking, not changing, and which of them are worth an event.
 *
 * Worth one: a person deliberately looking at or taking out a document — opening it, viewing, downloading or
 * printing a page, exporting, running a search — and checking the archive or exporting its audit trail. One
 * action, one event.
 * Not worth one: what screens fetch to draw themselves (lists, counts, thumbnails, suggestions, facets, the
 * settings, the queue) — a screen mount or a refresh would otherwise write hundreds of events that bury the
 * reads that matter, and a read that happens by itself says nothing about what a person saw.
 */
export const AUDITED_READ_ACTIONS = ['archive.check', 'audit.export', 'document.read', 'page.view', 'page.download', 'document.print', 'search.query'] as const;

export const READ_ACTIONS = [...AUDITED_READ_ACTIONS, ...UNAUDITED_READ_ACTIONS] as const;

export type ReadAction = (typeof READ_ACTIONS)[number];
export type AuditedReadAction = (typeof AUDITED_READ_ACTIONS)[number];

/** `details` as the read records them: a search's later pages (offset > 0) scroll a search already recorded. */
export function isWorthAuditing(action: ReadAction, details: Record<string, unknown> = {}): boolean {
  if (action === 'search.query') return !details.offset;
  return (AUDITED_READ_ACTIONS as readonly string[]).includes(action);
}
