/**
 * Native notifications for the slip ledger's reminders (issue 17 item 5): each 'notifications:new' reminder
 * addressed to the user logged in at the window becomes an OS notification; a click brings the window to the
 * front, where the bell lists it. Electron's Notification is handed in, so this module does not import
 * electron and its test needs no window.
 */
import type { AppNotification } from '../../shared/model';

/** What this module uses of Electron's Notification. */
export interface NativeNotification {
  on(event: 'click', listener: () => void): void;
  show(): void;
}

export interface NotifierDeps {
  isSupported: () => boolean;
  create: (options: { title: string; body: string }) => NativeNotification;
  /** Brings the window to the front. */
  focus: () => void;
  /** The user logged in at the window now, or null. */
  windowUser: () => string | null;
  text: (notification: AppNotification) => { title: string; body: string };
}

/** Shows the reminders of `payload` meant for the window's user; returns how many it showed. */
export function showReminders(deps: NotifierDeps, notifications: readonly AppNotification[]): number {
  const user = deps.windowUser();
  if (user === null || !deps.isSupported()) return 0;
  const mine = notifications.filter((notification) => notification.recipient === user);
  for (const notification of mine) {
    const native = deps.create(deps.text(notification));
    native.on('click', deps.focus);
    native.show();
  }
  return mine.length;
}

/** A reminder in the shell's language: the slip, its customer and how late it is. */
export function reminderText(notification: AppNotification, chinese: boolean): { title: string; body: string } {
  const { slipNo, customer, daysOverdue, level } = notification;
  if (chinese) {
    const title = level === 'overdue-admin' ? `回单逾期已上报：${slipNo}` : level === 'due' ? `回单今日应回：${slipNo}` : `回单逾期：${slipNo}`;
    return { title, body: daysOverdue > 0 ? `${customer} · 逾期 ${daysOverdue} 天` : customer };
  }
  const title =
    level === 'overdue-admin' ? `Slip overdue, escalated: ${slipNo}` : level === 'due' ? `Slip due back today: ${slipNo}` : `Slip overdue: ${slipNo}`;
  return { title, body: daysOverdue > 0 ? `${customer} · ${daysOverdue} days overdue` : customer };
}
