/**
 * Keeps the Inbox's filing drafts in the archive (docs/inbox-drafts.md): a changed draft is saved after a
 * short pause in typing, all waiting saves go out at once when the screen closes or the page is left, and a
 * save that failed (a locked window, a lost connection) is sent again with the next one. A document that was
 * filed or is gone meanwhile is not retried: its draft has ended.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SlipVaultClient } from '../../shared/contract';
import { isErrorPayload } from '../../shared/errors';
import type { FilingDraft } from '../../shared/inbox-draft';
import type { Draft } from './filing';

/** Long enough that a typed word is one save, short enough that a reload right after typing loses nothing. */
export const DRAFT_SAVE_DELAY_MS = 400;

export type DraftSaveState = 'idle' | 'saving' | 'saved' | 'failed';

export function toFilingDraft(draft: Draft): FilingDraft {
  return { values: draft.edits, accepted: draft.accepted, ...(draft.override === undefined ? {} : { override: draft.override }) };
}

export function fromFilingDraft(draft: FilingDraft): Draft {
  return { edits: draft.values, accepted: draft.accepted, ...(draft.override === undefined ? {} : { override: draft.override }) };
}

const draftHasEnded = (error: unknown) => isErrorPayload(error) && (error.code === 'CONFLICT' || error.code === 'NOT_FOUND');

export interface DraftSync {
  state: DraftSaveState;
  /** Saves the draft after the pause (or at once with `now`), replacing one still waiting for the same document. */
  schedule(documentId: number, draft: Draft, now?: boolean): void;
  /** Drops a waiting save: the document is being filed or its draft discarded. */
  forget(documentId: number): void;
  /** Sends what is waiting now (after the window is unlocked, what failed while it was locked). */
  flush(): void;
}

export function useDraftSync(client: SlipVaultClient): DraftSync {
  const waiting = useRef(new Map<number, Draft>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [state, setState] = useState<DraftSaveState>('idle');

  const flush = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    const batch = [...waiting.current];
    waiting.current.clear();
    if (batch.length === 0) return;
    setState('saving');
    const saves = batch.map(([documentId, draft]) =>
      client.call('inbox:saveDraft', { ref: documentId, draft: toFilingDraft(draft) }).then(
        () => true,
        (error: unknown) => {
          // Sent again with the next save, unless a newer draft is already waiting or the draft has ended.
          if (!draftHasEnded(error) && !waiting.current.has(documentId)) waiting.current.set(documentId, draft);
          return draftHasEnded(error);
        },
      ),
    );
    void Promise.all(saves).then((outcomes) => setState(outcomes.every(Boolean) ? 'saved' : 'failed'));
  }, [client]);

  const schedule = useCallback(
    (documentId: number, draft: Draft, now = false) => {
      waiting.current.set(documentId, draft);
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = now ? null : setTimeout(flush, DRAFT_SAVE_DELAY_MS);
      if (now) flush();
    },
    [flush],
  );

  const forget = useCallback((documentId: number) => {
    waiting.current.delete(documentId);
  }, []);

  // Leaving the screen or the page sends what is waiting instead of dropping it.
  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [flush]);

  return { state, schedule, forget, flush };
}
