/**
 * The document's own audit trail: who opened it, viewed, downloaded or printed its pages, exported it, and
 * every change — newest first, from the same query as the audit screen, filtered to this document. Loaded
 * each time the tab is shown (the drawer mounts it only while it is the open tab) and after each change.
 */
import { useMemo } from 'react';
import type { DocumentDetail } from '../../shared/model';
import { AuditTable } from '../audit/AuditTable';

export function AccessHistoryPanel({ detail }: { detail: DocumentDetail }) {
  const filters = useMemo(() => ({ document: detail.archiveNo }), [detail.archiveNo]);
  return (
    <div className="access-history" data-archive-no={detail.archiveNo}>
      <AuditTable filters={filters} reloadKey={detail.currentVersion} showTarget={false} />
    </div>
  );
}
