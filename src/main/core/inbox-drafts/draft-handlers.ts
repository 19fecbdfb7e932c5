/** The Inbox's filing-draft calls (src/shared/contract.ts, the drafts block), spread into api.ts's handler table. */
import type { OutputOf, ParsedInputOf } from '../../../shared/contract';
import { SlipVaultError } from '../../../shared/errors';
import { actingUser } from '../accounts/acting-user';
import type { Archive } from '../archive';
import { InboxDrafts } from './inbox-drafts';

type DraftMethod = 'inbox:drafts' | 'inbox:saveDraft' | 'inbox:discardDraft';
export type DraftHandlers = { [M in DraftMethod]: (input: ParsedInputOf<M>) => OutputOf<M> };

export function inboxDraftHandlers(archive: Archive, now: () => number): DraftHandlers {
  const drafts = new InboxDrafts({
    connection: archive.connection,
    documents: archive.documents,
    audit: archive.audit,
    user: () => {
      const name = actingUser();
      if (!name) throw new SlipVaultError('UNAUTHENTICATED', 'Log in first: a draft is saved under your name.').withMessage('inbox.draftNeedsLogin');
      return name;
    },
    now: () => new Date(now()),
  });
  return {
    'inbox:drafts': () => drafts.list(),
    'inbox:saveDraft': ({ ref, draft }) => drafts.save(ref, draft),
    'inbox:discardDraft': ({ ref }) => drafts.discard(ref),
  };
}
