/**
 * Records what a person did with a document that is worth an audit event (read-actions.ts): opened it, viewed
 * a page in the viewer, downloaded a page, printed it. The UI calls this once per such action; fetching the
 * document to draw a screen records nothing.
 */
import { SlipVaultError } from '../../../shared/errors';
import type { RecordViewInput, ViewKind } from '../../../shared/audit-view';
import type { AuditEvent } from '../../../shared/model';
import type { Connection } from '../db/connection';
import type { DocumentService } from '../documents/document-service';
import type { AuditLog } from './audit-log';
import type { AuditedReadAction } from './read-actions';
import { inTransaction } from '../db/transaction';

export const VIEW_ACTIONS: Record<ViewKind, AuditedReadAction> = {
  open: 'document.read',
  view: 'page.view',
  download: 'page.download',
  print: 'document.print',
};

export interface ViewRecorderDeps {
  connection: Connection;
  audit: AuditLog;
  documents: Pick<DocumentService, 'get'>;
}

export function recordView(deps: ViewRecorderDeps, input: RecordViewInput): AuditEvent {
  // One write transaction: the page is looked up and the event appended under one write lock, so the page
  // recorded is the page the document had at that moment.
  return inTransaction(deps.connection.sqlite, () => {
    const detail = deps.documents.get(input.ref);
    const details: Record<string, unknown> = { version: detail.currentVersion };
    if (input.pageId !== undefined) {
      const position = detail.pages.findIndex((page) => page.pageId === input.pageId);
      if (position < 0) {
        throw new SlipVaultError('NOT_FOUND', `${detail.archiveNo} has no page ${input.pageId}.`, {
          archiveNo: detail.archiveNo,
          pageId: input.pageId,
        }).withMessage('pages.notInDocument', { archiveNo: detail.archiveNo, pageId: input.pageId });
      }
      details.pageId = input.pageId;
      details.page = position + 1;
    } else if (input.action === 'print') {
      details.pages = detail.pages.length;
    }
    return deps.audit.append({ action: VIEW_ACTIONS[input.action], targetType: 'document', targetId: detail.archiveNo, details });
  });
}
