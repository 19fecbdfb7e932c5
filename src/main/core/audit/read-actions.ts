/** Audit actions that record someone looking, not changing: every read of the core leaves one. */
export const READ_ACTIONS = [
  'archive.status',
  'archive.check',
  'audit.list',
  'customers.list',
  'document-types.list',
  'documents.list',
  'document.read',
  'document.history',
  'document.diff',
  'search.query',
  'search.suggest',
  'search.facets',
  'saved-searches.list',
  'inbox.list',
  'ocr.queue',
  'ocr.page',
  'settings.get',
  'ocr.review',
] as const;

export type ReadAction = (typeof READ_ACTIONS)[number];

export function isReadAction(action: string): boolean {
  return (READ_ACTIONS as readonly string[]).includes(action);
}
