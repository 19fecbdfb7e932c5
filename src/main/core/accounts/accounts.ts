/**
 * The archive's accounts: the first admin, users that admins add, disable, re-enable and reset, and logins
 * that slow down after failures. Every change and every refused login is an audit event, written in the same
 * transaction as the change. No account exists until someone creates the first admin: there is no default
 * password.
 */
import { sql } from 'drizzle-orm';
import { SlipVaultError } from '../../../shared/errors';
import type { Role, SessionUser, UserRecord } from '../../../shared/model';
import type { AuditLog } from '../audit/audit-log';
import type { Connection } from '../db/connection';
import { users } from '../db/schema';
import { passwordDigest } from './account-history';
import { actAs } from './acting-user';
import { hashPassword, passwordMatches, spendVerifyTime } from './passwords';
import { inTransaction } from '../db/transaction';

/** Failures before logins slow down, and the longest wait between two attempts once they have. */
const FREE_FAILURES = 3;
const MAX_LOGIN_DELAY_MS = 5 * 60_000;

/** How long a user must wait after `failures` consecutive failed logins: 0, 0, 0, 1 s, 2 s, 4 s … 5 min. */
export function loginDelayMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(1000 * 2 ** (failures - FREE_FAILURES), MAX_LOGIN_DELAY_MS);
}

type UserRow = typeof users.$inferSelect;

const WRONG_CREDENTIALS = 'Wrong user name or password.';

function recordOf(row: UserRow): UserRecord {
  return {
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    disabled: row.disabled,
    createdAt: row.createdAt,
    passwordChangedAt: row.passwordChangedAt,
  };
}

export function sessionUserOf(row: Pick<UserRow, 'username' | 'displayName' | 'role'>): SessionUser {
  return { username: row.username, displayName: row.displayName, role: row.role };
}

export interface AccountsDeps {
  connection: Connection;
  audit: AuditLog;
  now: () => Date;
}

export class Accounts {
  /** Failed logins of names that are not accounts, so guessing names is slowed down as much as passwords. */
  private readonly unknownFailures = new Map<string, { count: number; at: number }>();

  constructor(private readonly deps: AccountsDeps) {}

  private get sqlite() {
    return this.deps.connection.sqlite;
  }

  private row(username: string): UserRow | undefined {
    return this.deps.connection.db
      .select()
      .from(users)
      .where(sql`lower(${users.username}) = lower(${username})`)
      .get();
  }

  private requireRow(username: string): UserRow {
    const row = this.row(username);
    if (!row) throw new SlipVaultError('NOT_FOUND', `There is no user "${username}".`, { username }).withMessage('accounts.notFound', { username });
    return row;
  }

  count(): number {
    return this.sqlite.prepare('SELECT count(*) FROM users').pluck().get() as number;
  }

  list(): UserRecord[] {
    return this.deps.connection.db.select().from(users).orderBy(users.username).all().map(recordOf);
  }

  /** A connection's user as stored now (null when the account is gone or disabled since it logged in). */
  activeUser(username: string): SessionUser | null {
    const row = this.row(username);
    return row && !row.disabled ? sessionUserOf(row) : null;
  }

  /** The first admin of an archive without accounts. Refused once any account exists. */
  async setup(input: { username: string; displayName?: string | undefined; password: string }): Promise<SessionUser> {
    const passwordHash = await hashPassword(input.password);
    return inTransaction(this.sqlite, () => {
      if (this.count() > 0) {
        throw new SlipVaultError('CONFLICT', 'This archive already has accounts; log in, or ask an administrator for one.').withMessage(
          'accounts.alreadySetUp',
        );
      }
      const created = this.insert({ ...input, role: 'admin' }, passwordHash);
      actAs(created.username, () =>
        this.deps.audit.append({
          action: 'user.setup',
          targetType: 'user',
          targetId: created.username,
          details: { role: 'admin', passwordDigest: passwordDigest(passwordHash) },
        }),
      );
      return sessionUserOf(created);
    });
  }

  async create(input: { username: string; displayName?: string | undefined; role: Role; password: string }): Promise<UserRecord> {
    const passwordHash = await hashPassword(input.password);
    return inTransaction(this.sqlite, () => {
      if (this.row(input.username))
        throw new SlipVaultError('DUPLICATE', `A user "${input.username}" already exists.`, { username: input.username }).withMessage('accounts.exists', {
          username: input.username,
        });
      const created = this.insert(input, passwordHash);
      this.deps.audit.append({
        action: 'user.create',
        targetType: 'user',
        targetId: created.username,
        details: { role: created.role, passwordDigest: passwordDigest(passwordHash) },
      });
      return recordOf(created);
    });
  }

  private insert(input: { username: string; displayName?: string | undefined; role: Role }, passwordHash: string): UserRow {
    const at = this.deps.now().toISOString();
    return this.deps.connection.db
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName ?? input.username,
        role: input.role,
        passwordHash,
        passwordChangedAt: at,
        createdAt: at,
      })
      .returning()
      .get();
  }

  /**
   * Changes role, display name or disabled state. The last active admin cannot be demoted or disabled: an
   * archive nobody can administer cannot get new users or settings again.
   */
  update(
    username: string,
    changes: { displayName?: string | undefined; role?: Role | undefined; disabled?: boolean | undefined },
    actingUser: string,
  ): UserRecord {
    return inTransaction(this.sqlite, () => {
      const before = this.requireRow(username);
      const losesAdmin = before.role === 'admin' && !before.disabled && ((changes.role !== undefined && changes.role !== 'admin') || changes.disabled === true);
      if (losesAdmin && this.activeAdmins() === 1) {
        throw new SlipVaultError('CONFLICT', `${before.username} is the only active administrator; make someone else an administrator first.`, {
          username: before.username,
        }).withMessage('accounts.lastAdmin', { username: before.username });
      }
      if (changes.disabled === true && before.username.toLowerCase() === actingUser.toLowerCase()) {
        throw new SlipVaultError('CONFLICT', 'You cannot disable your own account.', { username: before.username }).withMessage('accounts.disableSelf');
      }
      const after = this.deps.connection.db
        .update(users)
        .set({
          ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
          ...(changes.role !== undefined ? { role: changes.role } : {}),
          // Re-enabling an account also lifts a login slowdown, which an admin does on purpose.
          ...(changes.disabled !== undefined ? { disabled: changes.disabled, failedLogins: 0, lastFailedAt: null } : {}),
        })
        .where(sql`${users.id} = ${before.id}`)
        .returning()
        .get();
      const changed: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of ['displayName', 'role', 'disabled'] as const) {
        if (before[key] !== after[key]) changed[key] = { from: before[key], to: after[key] };
      }
      const action = changes.disabled === true ? 'user.disable' : changes.disabled === false && before.disabled ? 'user.enable' : 'user.update';
      this.deps.audit.append({ action, targetType: 'user', targetId: after.username, details: { changed } });
      return recordOf(after);
    });
  }

  private activeAdmins(): number {
    return this.sqlite.prepare("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = FALSE").pluck().get() as number;
  }

  async resetPassword(username: string, password: string): Promise<UserRecord> {
    const passwordHash = await hashPassword(password);
    return inTransaction(this.sqlite, () => {
      return recordOf(this.storePassword(this.requireRow(username), passwordHash, 'user.reset-password'));
    });
  }

  async changeOwnPassword(username: string, currentPassword: string, newPassword: string): Promise<SessionUser> {
    const row = this.requireRow(username);
    if (!(await passwordMatches(row.passwordHash, currentPassword))) {
      this.deps.audit.append({ action: 'user.change-password-refused', targetType: 'user', targetId: row.username, details: { reason: 'wrong-password' } });
      throw new SlipVaultError('UNAUTHENTICATED', 'The current password is not right; the password was not changed.', { reason: 'wrong-password' }).withMessage(
        'accounts.wrongCurrentPassword',
      );
    }
    const passwordHash = await hashPassword(newPassword);
    return inTransaction(this.sqlite, () => sessionUserOf(this.storePassword(this.requireRow(username), passwordHash, 'user.change-password')));
  }

  /** Stores a new password hash with its audit event (the digest `check` compares the account against). */
  private storePassword(row: UserRow, passwordHash: string, action: 'user.reset-password' | 'user.change-password'): UserRow {
    const updated = this.deps.connection.db
      .update(users)
      .set({ passwordHash, passwordChangedAt: this.deps.now().toISOString(), failedLogins: 0, lastFailedAt: null })
      .where(sql`${users.id} = ${row.id}`)
      .returning()
      .get();
    this.deps.audit.append({ action, targetType: 'user', targetId: row.username, details: { passwordDigest: passwordDigest(passwordHash) } });
    return updated;
  }

  /**
   * Checks a user name and password. Unknown name and wrong password get the same answer (no way to learn
   * which names exist); a disabled account is named as such only once its password was right.
   */
  async login(username: string, password: string): Promise<SessionUser> {
    const row = this.row(username);
    const now = this.deps.now().getTime();
    if (!row) {
      const known = this.unknownFailures.get(username.toLowerCase());
      this.refuseWhileThrottled(username, known?.count ?? 0, known ? known.at : null, now);
      await spendVerifyTime(password);
      this.unknownFailures.set(username.toLowerCase(), { count: (known?.count ?? 0) + 1, at: now });
      this.auditRefusedLogin(username, 'unknown-user');
      throw new SlipVaultError('UNAUTHENTICATED', WRONG_CREDENTIALS, { reason: 'wrong-credentials' }).withMessage('accounts.wrongCredentials');
    }
    this.refuseWhileThrottled(row.username, row.failedLogins, row.lastFailedAt ? Date.parse(row.lastFailedAt) : null, now);
    if (!(await passwordMatches(row.passwordHash, password))) {
      inTransaction(this.sqlite, () => {
        this.sqlite.prepare('UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = ? WHERE id = ?').run(new Date(now).toISOString(), row.id);
        this.auditRefusedLogin(row.username, 'wrong-password', { failures: row.failedLogins + 1 });
      });
      throw new SlipVaultError('UNAUTHENTICATED', WRONG_CREDENTIALS, { reason: 'wrong-credentials' }).withMessage('accounts.wrongCredentials');
    }
    if (row.disabled) {
      this.auditRefusedLogin(row.username, 'disabled');
      throw new SlipVaultError('UNAUTHENTICATED', `The account ${row.username} is disabled; ask an administrator to re-enable it.`, {
        reason: 'disabled',
      }).withMessage('accounts.disabled', { username: row.username });
    }
    inTransaction(this.sqlite, () => {
      if (row.failedLogins > 0) this.sqlite.prepare('UPDATE users SET failed_logins = 0, last_failed_at = NULL WHERE id = ?').run(row.id);
      actAs(row.username, () => this.deps.audit.append({ action: 'user.login', targetType: 'user', targetId: row.username, details: {} }));
    });
    return sessionUserOf(row);
  }

  private refuseWhileThrottled(username: string, failures: number, lastFailedAt: number | null, now: number): void {
    const waitUntil = lastFailedAt === null ? 0 : lastFailedAt + loginDelayMs(failures);
    if (now >= waitUntil) return;
    const seconds = Math.ceil((waitUntil - now) / 1000);
    this.auditRefusedLogin(username, 'throttled', { failures });
    throw new SlipVaultError('UNAUTHENTICATED', `Too many failed logins for ${username}; try again in ${seconds} s.`, {
      reason: 'throttled',
      retryAfterSeconds: seconds,
    }).withMessage('accounts.throttled', { username, seconds });
  }

  private auditRefusedLogin(username: string, reason: string, extra: Record<string, unknown> = {}): void {
    this.deps.audit.append({ action: 'user.login-refused', targetType: 'user', targetId: username, details: { reason, ...extra } });
  }
}
