/**
 * inbox:fileMany — batch filing (issue 19 item 6): several inbox documents that share customer, type or date,
 * filed with those fields given once. Each document is filed exactly as `inbox:file` files one (its own
 * transaction, filing rules, version and audit event), so one refusal leaves the others filed and is listed
 * in its place with its code.
 */
import type { MetadataChanges } from '../../../shared/contract';
import { SlipVaultError } from '../../../shared/errors';
import type { BatchFileOutcome, BatchFileResult, DocumentDetail } from '../../../shared/model';
import { toErrorPayload } from '../error-payload';

export interface BatchFileItem {
  ref: string | number;
  /** What the clerk set on this document alone (its slip number, its amount); the shared fields win. */
  changes?: MetadataChanges | undefined;
}

export interface BatchFileDeps {
  /** The document a reference names (throws NOT_FOUND). */
  documentOf: (ref: string | number) => { id: number; archiveNo: string };
  /** Files one document as inbox:file does, with the changes for it. */
  fileOne: (ref: string | number, changes: MetadataChanges | undefined) => Promise<DocumentDetail>;
}

function archiveNoOf(deps: BatchFileDeps, ref: string | number): string | null {
  try {
    return deps.documentOf(ref).archiveNo;
  } catch {
    return null;
  }
}

/** The shared fields over the document's own, or undefined when neither has any. */
function changesFor(item: BatchFileItem, shared: MetadataChanges | undefined): MetadataChanges | undefined {
  if (!item.changes && !shared) return undefined;
  return { ...item.changes, ...shared };
}

/** Refuses a batch that names one document twice before anything is filed: which entry should win is unclear. */
function assertNamedOnce(deps: BatchFileDeps, items: BatchFileItem[]): void {
  const named = new Map<number, string>();
  for (const { ref } of items) {
    let id: number;
    try {
      id = deps.documentOf(ref).id;
    } catch {
      continue; // reported in its place in the outcomes
    }
    const earlier = named.get(id);
    if (earlier !== undefined) {
      throw new SlipVaultError('VALIDATION', `${String(ref)} and ${earlier} are the same document; name each document once. Nothing was filed.`, {
        ref: String(ref),
      }).withMessage('batch.sameDocument', { ref: String(ref), earlier });
    }
    named.set(id, String(ref));
  }
}

export async function fileMany(deps: BatchFileDeps, items: BatchFileItem[], shared: MetadataChanges | undefined): Promise<BatchFileResult> {
  assertNamedOnce(deps, items);
  const outcomes: BatchFileOutcome[] = [];
  // One after the other: each filing takes the write lock and may run the signed check first.
  for (const item of items) {
    try {
      const filed = await deps.fileOne(item.ref, changesFor(item, shared));
      outcomes.push({ ref: String(item.ref), ok: true, archiveNo: filed.archiveNo, version: filed.currentVersion });
    } catch (error) {
      const { code, message, details } = toErrorPayload(error);
      outcomes.push({ ref: String(item.ref), ok: false, archiveNo: archiveNoOf(deps, item.ref), code, message, ...(details ? { details } : {}) });
    }
  }
  const filed = outcomes.filter((outcome) => outcome.ok).length;
  return { filed, failed: outcomes.length - filed, outcomes };
}
