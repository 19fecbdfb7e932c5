/**
 * Accounts must be what their audit events say. Someone who can write the database file could otherwise add
 * an administrator with a password they know, or give a clerk the admin role, and then act through SlipVault
 * with every event correctly chained. Each account event records the role, the disabled state and a digest
 * of the password hash it set; `check` replays them and names every account that differs from its history.
 */
import { createHash } from 'node:crypto';
import type { CheckProblem } from '../../../shared/model';
import type { Connection } from '../db/connection';

/** SHA-256 of the stored argon2 string: ties an event to the hash it set without carrying the hash. */
export function passwordDigest(passwordHash: string): string {
  return createHash('sha256').update(passwordHash, 'utf8').digest('hex');
}

interface AccountState {
  role: unknown;
  disabled: unknown;
  digest: unknown;
}

interface AccountRow {
  username: string;
  role: string;
  disabled: number;
  passwordHash: string;
}

const changedTo = (details: Record<string, unknown>, field: string): { to: unknown } | undefined => {
  const changed = details.changed as Record<string, { to: unknown }> | undefined;
  return changed?.[field];
};

/** The state each account's events leave it in, by lower-case user name. */
function replay(connection: Connection): Map<string, AccountState> {
  const events = connection.sqlite
    .prepare(
      `SELECT action, target_id AS username, details FROM audit_events WHERE target_type = 'user' AND action IN
      ('user.setup', 'user.create', 'user.update', 'user.disable', 'user.enable', 'user.reset-password', 'user.change-password') ORDER BY seq`,
    )
    .all() as { action: string; username: string; details: string }[];
  const states = new Map<string, AccountState>();
  for (const event of events) {
    const key = event.username.toLowerCase();
    let details: Record<string, unknown>;
    try {
      details = JSON.parse(event.details) as Record<string, unknown>;
    } catch {
      continue; // an unreadable event is the chain check's finding
    }
    if (event.action === 'user.setup' || event.action === 'user.create') {
      states.set(key, { role: details.role, disabled: false, digest: details.passwordDigest });
      continue;
    }
    const state = states.get(key);
    if (!state) continue;
    if (event.action === 'user.reset-password' || event.action === 'user.change-password') state.digest = details.passwordDigest;
    const role = changedTo(details, 'role');
    if (role) state.role = role.to;
    const disabled = changedTo(details, 'disabled');
    if (disabled) state.disabled = disabled.to;
  }
  return states;
}

export function accountProblems(connection: Connection): CheckProblem[] {
  const rows = connection.sqlite.prepare('SELECT username, role, disabled, password_hash AS passwordHash FROM users ORDER BY id').all() as AccountRow[];
  const history = replay(connection);
  const problems: CheckProblem[] = [];
  for (const row of rows) {
    const state = history.get(row.username.toLowerCase());
    if (!state) {
      problems.push({ kind: 'account', message: `the account ${row.username} was not created through SlipVault: no audit event records it`, documents: [] });
      continue;
    }
    const differs: string[] = [];
    if (state.role !== row.role) differs.push(`its role is ${row.role}, the audit trail says ${String(state.role)}`);
    if (state.disabled !== Boolean(row.disabled))
      differs.push(row.disabled ? 'it is disabled, the audit trail says active' : 'it is active, the audit trail says disabled');
    if (state.digest !== passwordDigest(row.passwordHash)) differs.push('its password is not the one the audit trail last recorded');
    if (differs.length > 0) {
      problems.push({ kind: 'account', message: `the account ${row.username} was changed outside SlipVault: ${differs.join('; ')}`, documents: [] });
    }
  }
  return problems;
}
