/**
 * Reads that only draw a screen (lists, counts, suggestions, the settings, the queue): the core records no event
 * for them (core/audit/read-actions.ts), and the audit viewer still names them, since older versions did.
 */
export const UNAUDITED_READ_ACTIONS = [
  'archive.status',
  'audit.list',
  'audit.query',
  'customers.list',
  'document-types.list',
  'documents.list',
  'document.history',
  'document.diff',
  'search.suggest',
  'search.facets',
  'saved-searches.list',
  'inbox.list',
  'ocr.queue',
  'ocr.page',
  'ocr.review',
  'settings.get',
] as const;
