/**
 * The part of `check` that proves every document's current state equal to its latest version. Documents are
 * compared in batches, each read with a few queries for the whole batch (documents/snapshot.ts), because on
 * PostgreSQL every query is a network round trip that holds the server's only thread: per document, an archive of
 * 100,000 documents took minutes.
 */
import type { CheckProblem, DocumentSnapshot } from '../../shared/model';
import type { Connection } from './db/connection';
import { readSnapshots } from './documents/snapshot';
import { inReadSnapshot } from './db/transaction';

/** Documents compared per batch: few queries per archive, and a bounded number of snapshots in memory. */
export const DOCUMENTS_PER_BATCH = 500;

interface LatestVersion {
  id: number;
  archiveNo: string;
  currentVersion: number;
  snapshot: string | null;
}

export function versionMismatches({ sqlite, db }: Connection, documentsPerBatch = DOCUMENTS_PER_BATCH): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const nextBatch = sqlite.prepare(
    `SELECT d.id, d.archive_no AS archiveNo, d.current_version AS currentVersion, v.snapshot
       FROM documents d LEFT JOIN document_versions v ON v.document_id = d.id AND v.number = d.current_version
      WHERE d.id > ? ORDER BY d.id LIMIT ?`,
  );
  // Each batch's versions and current state are read in one transaction, so a write between the two reads cannot
  // look like a change made outside SlipVault.
  const compareBatch = (afterId: number): number | null => {
    const latest = nextBatch.all(afterId, documentsPerBatch) as LatestVersion[];
    if (latest.length === 0) return null;
    const current = readSnapshots(
      db,
      latest.map((document) => document.id),
    );
    for (const document of latest) problems.push(...mismatchOf(document, current.get(document.id)));
    return latest[latest.length - 1]!.id;
  };
  for (let afterId: number | null = 0; afterId !== null;) {
    const after: number = afterId;
    afterId = inReadSnapshot(sqlite, () => compareBatch(after));
  }
  return problems;
}

function mismatchOf(latest: LatestVersion, current: DocumentSnapshot | undefined): CheckProblem[] {
  if (latest.snapshot === null) {
    return [{ kind: 'version-mismatch', message: `${latest.archiveNo} has no version ${latest.currentVersion}`, documents: [latest.archiveNo] }];
  }
  const recorded = JSON.parse(latest.snapshot) as DocumentSnapshot;
  if (JSON.stringify(current) === JSON.stringify(recorded)) return [];
  return [
    {
      kind: 'version-mismatch',
      message: `${latest.archiveNo} was changed outside SlipVault: it no longer matches its version ${latest.currentVersion}`,
      documents: [latest.archiveNo],
    },
  ];
}
