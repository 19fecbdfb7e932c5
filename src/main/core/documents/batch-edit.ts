/** documents:editMany: one set of metadata changes applied document by document. */
import { SlipVaultError } from '../../../shared/errors';
import type { MetadataChanges } from '../../../shared/contract';
import type { BatchEditOutcome, BatchEditResult } from '../../../shared/model';
import type { Archive } from '../archive';
import { toErrorPayload } from '../error-payload';

/** The archive number of a reference, or null when it names no document. */
function archiveNoOf(archive: Archive, ref: string | number): string | null {
  try {
    return archive.documents.summary(ref).archiveNo;
  } catch {
    return null;
  }
}

/**
 * The same changes to each document in turn, each through the one write path (its own transaction, version
 * and audit event), so one refusal (voided, nothing to change, not found) leaves the others edited. A
 * document named twice refuses the whole batch before anything is written.
 */
export function editMany(archive: Archive, refs: (string | number)[], changes: MetadataChanges, reason: string | null): BatchEditResult {
  const named = new Map<number, string>();
  for (const ref of refs) {
    let id: number;
    try {
      id = archive.documents.summary(ref).id;
    } catch {
      continue; // reported below, in its place in the list
    }
    const earlier = named.get(id);
    if (earlier !== undefined) {
      throw new SlipVaultError('VALIDATION', `${String(ref)} and ${earlier} are the same document; name each document once.`, { ref: String(ref) }).withMessage(
        'batch.sameDocument',
        { ref: String(ref), earlier },
      );
    }
    named.set(id, String(ref));
  }
  const outcomes: BatchEditOutcome[] = refs.map((ref) => {
    try {
      const edited = archive.documents.edit(ref, changes, reason);
      return { ref: String(ref), ok: true, archiveNo: edited.archiveNo, version: edited.currentVersion };
    } catch (error) {
      const { code, message } = toErrorPayload(error);
      return { ref: String(ref), ok: false, archiveNo: archiveNoOf(archive, ref), code, message };
    }
  });
  const edited = outcomes.filter((outcome) => outcome.ok).length;
  return { edited, failed: outcomes.length - edited, outcomes };
}
