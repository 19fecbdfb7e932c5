/**
 * Who the code running now acts for. The dispatcher runs each call inside `actAs(username, …)`, so every audit
 * event a call writes — however deep in the core — names the logged-in user without each service being told.
 * Outside a call (work the archive starts by itself: background OCR) there is no acting user and the archive
 * names its own actor (SYSTEM_ACTOR unless the opener says otherwise).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export const SYSTEM_ACTOR = 'system';

const acting = new AsyncLocalStorage<string>();

export function actAs<T>(username: string, work: () => T): T {
  return acting.run(username, work);
}

export function actingUser(): string | undefined {
  return acting.getStore();
}
