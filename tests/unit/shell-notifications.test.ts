/**
 * The shell's OS notifications for ledger reminders (src/main/shell/os-notifications.ts): only the window
 * user's reminders are shown, nothing while logged out or where the system has no notifications, and a click
 * brings the window forward. Electron's Notification is the one stand-in (recorded, not shown).
 */
import { describe, expect, it } from 'vitest';
import type { AppNotification } from '../../src/shared/model';
import { reminderText, showReminders, type NativeNotification, type NotifierDeps } from '../../src/main/shell/os-notifications';

function reminder(recipient: string, level: AppNotification['level'], daysOverdue: number): AppNotification {
  return {
    id: 1,
    recipient,
    level,
    ledgerRowId: 7,
    slipNo: 'SO-2026-0007',
    customer: '华南贸易',
    expectedBackDate: '2026-03-16',
    dueOn: '2026-03-16',
    daysOverdue,
    text: '',
    createdAt: '2026-03-16T01:00:00.000Z',
    readAt: null,
  };
}

function electronNotifications(user: string | null, supported = true) {
  const shown: { title: string; body: string; click: () => void }[] = [];
  let focused = 0;
  const deps: NotifierDeps = {
    isSupported: () => supported,
    create: (options) => {
      const entry = { ...options, click: () => undefined as void };
      const native: NativeNotification = {
        on: (_event, listener) => {
          entry.click = listener;
        },
        show: () => shown.push(entry),
      };
      return native;
    },
    focus: () => {
      focused += 1;
    },
    windowUser: () => user,
    text: (notification) => reminderText(notification, false),
  };
  return { deps, shown, focused: () => focused };
}

describe('OS notifications for reminders', () => {
  it('show the reminders addressed to the window user only, and a click focuses the window', () => {
    const electron = electronNotifications('li.na');
    const count = showReminders(electron.deps, [reminder('li.na', 'overdue-owner', 7), reminder('boss', 'overdue-admin', 30)]);
    expect(count).toBe(1);
    expect(electron.shown.map(({ title, body }) => ({ title, body }))).toEqual([{ title: 'Slip overdue: SO-2026-0007', body: '华南贸易 · 7 days overdue' }]);
    electron.shown[0]!.click();
    expect(electron.focused()).toBe(1);
  });

  it('show nothing while nobody is logged in at the window or the system has no notifications', () => {
    const loggedOut = electronNotifications(null);
    expect(showReminders(loggedOut.deps, [reminder('li.na', 'due', 0)])).toBe(0);
    const unsupported = electronNotifications('li.na', false);
    expect(showReminders(unsupported.deps, [reminder('li.na', 'due', 0)])).toBe(0);
    expect([...loggedOut.shown, ...unsupported.shown]).toEqual([]);
  });

  it('say each level in the shell language', () => {
    expect(reminderText(reminder('li.na', 'due', 0), false)).toEqual({ title: 'Slip due back today: SO-2026-0007', body: '华南贸易' });
    expect(reminderText(reminder('boss', 'overdue-admin', 30), true)).toEqual({ title: '回单逾期已上报：SO-2026-0007', body: '华南贸易 · 逾期 30 天' });
  });
});
