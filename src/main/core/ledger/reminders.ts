/**
 * Reminders for outstanding slips, escalating on the day asked about: on the expected-back date the owner
 * is reminded (level due), 7 days later again (overdue-owner), 30 days later every administrator
 * (overdue-admin). A row without an owner reminds the administrators at every level. Each reminder is a
 * stored notification, created at most once per row, level and recipient, so running this again the same
 * day (or after a restart) adds nothing; new ones are pushed as 'notifications:new'.
 */
import type { Database } from 'better-sqlite3';
import type { AppNotification, ReminderLevel, ReminderRun } from '../../../shared/model';
import type { AuditLog } from '../audit/audit-log';
import { inTransaction } from '../db/transaction';
import { OUTSTANDING_STEPS } from '../../../shared/model';
import { addDays, daysBetween } from './days';

/** Days past expected-back at which each level starts. */
export const REMINDER_DAYS: Record<ReminderLevel, number> = { due: 0, 'overdue-owner': 7, 'overdue-admin': 30 };

const NOTIFICATION_COLUMNS = `n.id, n.recipient, n.level, n.ledger_row_id, r.slip_no, c.name AS customer, r.expected_back_date, n.due_on, n.created_at, n.read_at`;
const NOTIFICATION_FROM = `notifications n JOIN ledger_rows r ON r.id = n.ledger_row_id JOIN customers c ON c.id = r.customer_id`;

interface StoredNotification {
  id: number;
  recipient: string;
  level: ReminderLevel;
  ledger_row_id: number;
  slip_no: string;
  customer: string;
  expected_back_date: string;
  due_on: string;
  created_at: string;
  read_at: string | null;
}

function sentence(level: ReminderLevel, slipNo: string, customer: string, expectedBackDate: string, days: number): string {
  if (level === 'due') return `The signed slip ${slipNo} of ${customer} is due back today (${expectedBackDate}).`;
  const escalated = level === 'overdue-admin' ? ' Escalated to the administrators.' : '';
  return `The signed slip ${slipNo} of ${customer} is ${days} days overdue (expected back ${expectedBackDate}).${escalated}`;
}

function toNotification(stored: StoredNotification): AppNotification {
  const days = Math.max(0, daysBetween(stored.expected_back_date, stored.due_on));
  return {
    id: stored.id,
    recipient: stored.recipient,
    level: stored.level,
    ledgerRowId: stored.ledger_row_id,
    slipNo: stored.slip_no,
    customer: stored.customer,
    expectedBackDate: stored.expected_back_date,
    dueOn: stored.due_on,
    daysOverdue: days,
    text: sentence(stored.level, stored.slip_no, stored.customer, stored.expected_back_date, days),
    createdAt: stored.created_at,
    readAt: stored.read_at,
  };
}

export class Reminders {
  constructor(
    private readonly sqlite: Database,
    private readonly audit: AuditLog,
    private readonly now: () => string,
    private readonly emitNew: (notifications: AppNotification[]) => void,
  ) {}

  run(asOf: string): ReminderRun {
    const created = inTransaction(this.sqlite, () => {
      const admins = this.sqlite.prepare(`SELECT username FROM users WHERE role = 'admin' AND disabled = FALSE ORDER BY username`).pluck().all() as string[];
      const insert = this.sqlite.prepare(
        `INSERT INTO notifications (recipient, level, ledger_row_id, due_on, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(ledger_row_id, level, recipient) DO NOTHING RETURNING id`,
      );
      const now = this.now();
      const ids: number[] = [];
      for (const level of Object.keys(REMINDER_DAYS) as ReminderLevel[]) {
        const rows = this.sqlite
          .prepare(
            `SELECT r.id, u.username AS owner, r.expected_back_date FROM ledger_rows r LEFT JOIN users u ON u.username = r.owner AND u.disabled = FALSE
              WHERE r.cancelled_at IS NULL AND r.custody IN (${OUTSTANDING_STEPS.map((step) => `'${step}'`).join(', ')}) AND r.expected_back_date <= ?`,
          )
          .all(addDays(asOf, -REMINDER_DAYS[level])) as { id: number; owner: string | null; expected_back_date: string }[];
        for (const row of rows) {
          // An owner who is no longer an active user cannot chase: the administrators are reminded instead.
          const recipients = level === 'overdue-admin' || row.owner === null ? admins : [row.owner];
          for (const recipient of recipients) {
            // Due on the level's own day: a run that catches up later still says "7 days overdue" for that step.
            const dueOn = addDays(row.expected_back_date, REMINDER_DAYS[level]);
            const id = insert.pluck().get(recipient, level, row.id, dueOn, now) as number | undefined;
            if (id !== undefined) ids.push(id);
          }
        }
      }
      if (ids.length > 0) this.audit.append({ action: 'ledger.remind', details: { asOf, created: ids.length } });
      return ids;
    });
    const notifications = this.byIds(created);
    if (notifications.length > 0) this.emitNew(notifications);
    return { asOf, created: notifications };
  }

  private byIds(ids: number[]): AppNotification[] {
    if (ids.length === 0) return [];
    const stored = this.sqlite
      .prepare(`SELECT ${NOTIFICATION_COLUMNS} FROM ${NOTIFICATION_FROM} WHERE n.id IN (${placeholders(ids)}) ORDER BY n.id`)
      .all(ids) as StoredNotification[];
    return stored.map(toNotification);
  }

  list(recipient: string, unreadOnly: boolean, limit: number): AppNotification[] {
    const stored = this.sqlite
      .prepare(
        `SELECT ${NOTIFICATION_COLUMNS} FROM ${NOTIFICATION_FROM} WHERE n.recipient = ? ${unreadOnly ? 'AND n.read_at IS NULL' : ''} ORDER BY n.id DESC LIMIT ?`,
      )
      .all(recipient, limit) as StoredNotification[];
    return stored.map(toNotification);
  }

  unreadCount(recipient: string): number {
    return this.sqlite.prepare('SELECT count(*) FROM notifications WHERE recipient = ? AND read_at IS NULL').pluck().get(recipient) as number;
  }

  /** Marks the recipient's own notifications read (ids of someone else's are left alone); answers how many changed. */
  markRead(recipient: string, ids: number[] | 'all'): number {
    const now = this.now();
    if (ids === 'all') return this.sqlite.prepare('UPDATE notifications SET read_at = ? WHERE recipient = ? AND read_at IS NULL').run(now, recipient).changes;
    if (ids.length === 0) return 0;
    return this.sqlite
      .prepare(`UPDATE notifications SET read_at = ? WHERE recipient = ? AND read_at IS NULL AND id IN (${placeholders(ids)})`)
      .run(now, recipient, ids).changes;
  }
}

/** One placeholder per id: a list both SQLite and PostgreSQL read (json_each is SQLite's alone). */
function placeholders(ids: readonly number[]): string {
  return ids.map(() => '?').join(', ');
}
