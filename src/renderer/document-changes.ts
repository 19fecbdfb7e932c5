/**
 * documents:changed as a screen uses it: the ids of the documents that changed, gathered over a short
 * while and handed over together. OCR of a batch changes a document per recognised page, several a second;
 * a screen reloads what shows those documents once per batch of changes, and nothing else.
 */
import { useEffect, useRef } from 'react';
import type { SlipVaultClient } from '../shared/contract';

const CHANGE_GATHER_MS = 150;

/** Delivers the changed ids at most once per `gatherMs`; returns the function that stops listening. */
export function gatherDocumentChanges(
  client: Pick<SlipVaultClient, 'on'>,
  deliver: (ids: ReadonlySet<number>) => void,
  gatherMs = CHANGE_GATHER_MS,
): () => void {
  let pending = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const off = client.on('documents:changed', ({ documentId }) => {
    pending.add(documentId);
    timer ??= setTimeout(() => {
      const ids = pending;
      pending = new Set();
      timer = null;
      deliver(ids);
    }, gatherMs);
  });
  return () => {
    off();
    if (timer) clearTimeout(timer);
  };
}

/** Calls the latest `onChanges` with the ids of documents that changed while the component is mounted. */
export function useDocumentChanges(client: Pick<SlipVaultClient, 'on'>, onChanges: (ids: ReadonlySet<number>) => void): void {
  const latest = useRef(onChanges);
  useEffect(() => {
    latest.current = onChanges;
  });
  useEffect(() => gatherDocumentChanges(client, (ids) => latest.current(ids)), [client]);
}
