import type { DocumentStatus } from '../../shared/model';

/** The colour of a document's status tag, the same in the archive list, the document drawer and search results. */
export const STATUS_COLOURS: Record<DocumentStatus, string> = { inbox: 'gold', filed: 'green', voided: 'default' };
