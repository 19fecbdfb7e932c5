/** The Inbox's order, scan order (oldest first, as the paper stack lies) unless the clerk chose newest first on this computer. */
import { INBOX_ORDERS, type InboxOrder } from '../../shared/inbox-draft';

export { INBOX_ORDERS };

const STORAGE_KEY = 'slipvault.inboxOrder';

export function storedInboxOrder(): InboxOrder {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return (INBOX_ORDERS as readonly string[]).includes(value ?? '') ? (value as InboxOrder) : 'scan';
  } catch {
    return 'scan';
  }
}

export function storeInboxOrder(order: InboxOrder): void {
  try {
    localStorage.setItem(STORAGE_KEY, order);
  } catch {
    // A page without storage (a locked-down profile) keeps the choice until it closes.
  }
}
