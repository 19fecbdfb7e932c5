/** Accounts over a real archive: the first admin, logins and their slowdown, admins managing users, passwords. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Accounts, loginDelayMs } from '../../src/main/core/accounts/accounts';
import { hashPassword } from '../../src/main/core/accounts/passwords';
import { createApi, type Api } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import type { CallResult, Method } from '../../src/shared/contract';
import type { UserRecord } from '../../src/shared/model';
import { tempDir } from '../helpers/fixtures';
import { clientAs, TEST_PASSWORD } from '../helpers/sessions';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  let archive: Archive;
  let api: Api;

  beforeEach(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { program: 'accounts test' });
    api = createApi(archive);
  });

  afterEach(async () => {
    await api.dispose();
    archive.close();
  });

  function errorOf(result: CallResult<Method>) {
    if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
    return result.error;
  }

  const userRow = (username: string) =>
    archive.connection.sqlite
      .prepare('SELECT username, role, disabled, failed_logins AS failedLogins, password_hash AS hash FROM users WHERE username = ?')
      .get(username) as { username: string; role: string; disabled: number; failedLogins: number; hash: string } | undefined;

  describe('the first administrator', () => {
    it('is created once, by setup on an archive without accounts; setup is refused afterwards', async () => {
      const first = api.connect();
      expect(await first.invoke('auth:status', {})).toEqual({ ok: true, value: { setupRequired: true, user: null, idleLockMinutes: 10 } });
      // No default account: nothing logs in before setup.
      expect(errorOf(await first.invoke('auth:login', { username: 'admin', password: 'admin' })).code).toBe('UNAUTHENTICATED');
      expect(errorOf(await first.invoke('auth:setup', { username: 'li.na', password: 'short' })).message).toMatch(/at least 8 characters/);
      const setup = await first.invoke('auth:setup', { username: 'li.na', displayName: '李娜', password: TEST_PASSWORD });
      expect(setup).toEqual({ ok: true, value: { username: 'li.na', displayName: '李娜', role: 'admin' } });
      expect(first.user()).toMatchObject({ username: 'li.na', role: 'admin' });
      // The hash is self-describing argon2id; the password is nowhere in the database.
      expect(userRow('li.na')!.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(archive.connection.sqlite.prepare('SELECT count(*) FROM audit_events WHERE details LIKE ?').pluck().get(`%${TEST_PASSWORD}%`)).toBe(0);

      const second = api.connect();
      const again = errorOf(await second.invoke('auth:setup', { username: 'mallory', password: TEST_PASSWORD }));
      expect(again).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already has accounts/) });
      expect(userRow('mallory')).toBeUndefined();
      expect(archive.audit.list(0, 100).find((event) => event.action === 'user.setup')).toMatchObject({ actor: 'li.na', targetId: 'li.na' });
    });
  });

  describe('logging in', () => {
    it('takes the right password only; a wrong password and an unknown name get the same answer; both are audited', async () => {
      await archive.accounts.setup({ username: 'li.na', password: TEST_PASSWORD });
      const client = api.connect();
      const wrong = errorOf(await client.invoke('auth:login', { username: 'li.na', password: 'not the password' }));
      const unknown = errorOf(await client.invoke('auth:login', { username: 'nobody', password: 'not the password' }));
      expect(wrong).toEqual({
        code: 'UNAUTHENTICATED',
        message: 'Wrong user name or password.',
        details: { reason: 'wrong-credentials' },
        messageKey: 'accounts.wrongCredentials',
        params: {},
      });
      expect(unknown).toEqual(wrong);
      expect(client.user()).toBeNull();
      const refusals = archive.audit.list(0, 100).filter((event) => event.action === 'user.login-refused');
      expect(refusals.map((event) => [event.targetId, event.details.reason])).toEqual([
        ['li.na', 'wrong-password'],
        ['nobody', 'unknown-user'],
      ]);
      // User names are matched without regard to case.
      expect(await client.invoke('auth:login', { username: 'LI.NA', password: TEST_PASSWORD })).toMatchObject({ ok: true, value: { username: 'li.na' } });
      expect(userRow('li.na')!.failedLogins).toBe(0);
    });

    it('slows down after three failures, progressively, and the slowdown survives a restart', async () => {
      expect([0, 1, 2, 3, 4, 5, 12, 30].map(loginDelayMs)).toEqual([0, 0, 0, 1000, 2000, 4000, 300_000, 300_000]);
      await archive.accounts.setup({ username: 'li.na', password: TEST_PASSWORD });
      let now = Date.parse('2026-12-07T09:00:00Z');
      const accounts = () => new Accounts({ connection: archive.connection, audit: archive.audit, now: () => new Date(now) });
      for (let attempt = 0; attempt < 3; attempt += 1) await expect(accounts().login('li.na', 'wrong')).rejects.toThrow('Wrong user name or password.');
      // Three failures: the next attempt waits 1 s — even with the right password, even in a new Accounts (a restarted owner).
      await expect(accounts().login('li.na', TEST_PASSWORD)).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
        message: 'Too many failed logins for li.na; try again in 1 s.',
      });
      now += 1_000;
      await expect(accounts().login('li.na', 'wrong')).rejects.toThrow('Wrong user name or password.');
      await expect(accounts().login('li.na', TEST_PASSWORD)).rejects.toThrow('Too many failed logins for li.na; try again in 2 s.');
      now += 2_000;
      await expect(accounts().login('li.na', TEST_PASSWORD)).resolves.toMatchObject({ username: 'li.na' });
      expect(userRow('li.na')!.failedLogins).toBe(0);
      // Unknown names are slowed down too, so names cannot be guessed faster than passwords.
      const owner = accounts();
      for (let attempt = 0; attempt < 3; attempt += 1) await expect(owner.login('ghost', 'x')).rejects.toThrow('Wrong user name or password.');
      await expect(owner.login('ghost', 'x')).rejects.toThrow('Too many failed logins for ghost; try again in 1 s.');
      expect(
        archive.audit
          .list(0, 1000)
          .filter((event) => event.details.reason === 'throttled')
          .map((event) => event.targetId),
      ).toEqual(['li.na', 'li.na', 'ghost']);
    });

    it('refuses a disabled account after its password was right, and ends its open sessions at their next call', async () => {
      const admin = await clientAs(api, archive, 'admin', 'boss');
      const clerk = await clientAs(api, archive, 'clerk', 'wang');
      expect((await clerk.invoke('documents:list', {})).ok).toBe(true);
      expect(await admin.invoke('users:update', { username: 'wang', disabled: true })).toMatchObject({ ok: true, value: { disabled: true } });
      expect(errorOf(await clerk.invoke('documents:list', {}))).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'disabled' } });
      const again = errorOf(await api.connect().invoke('auth:login', { username: 'wang', password: TEST_PASSWORD }));
      expect(again.message).toBe('The account wang is disabled; ask an administrator to re-enable it.');
      expect(errorOf(await api.connect().invoke('auth:login', { username: 'wang', password: 'wrong password' })).message).toBe('Wrong user name or password.');
      await admin.invoke('users:update', { username: 'wang', disabled: false });
      expect((await api.connect().invoke('auth:login', { username: 'wang', password: TEST_PASSWORD })).ok).toBe(true);
      expect(archive.audit.list(0, 1000).map((event) => event.action)).toEqual(expect.arrayContaining(['user.disable', 'user.enable']));
    });
  });

  describe('administrators manage users', () => {
    it('add, list, change role, reset a password; a role change applies to an open session at once', async () => {
      const admin = await clientAs(api, archive, 'admin', 'boss');
      expect(await admin.invoke('users:create', { username: 'zhao', displayName: '赵六', role: 'viewer', password: TEST_PASSWORD })).toMatchObject({
        ok: true,
        value: { username: 'zhao', displayName: '赵六', role: 'viewer', disabled: false },
      });
      expect(errorOf(await admin.invoke('users:create', { username: 'ZHAO', role: 'clerk', password: TEST_PASSWORD })).code).toBe('DUPLICATE');
      expect(errorOf(await admin.invoke('users:create', { username: '../x', role: 'clerk', password: TEST_PASSWORD })).code).toBe('VALIDATION');
      expect(errorOf(await admin.invoke('users:create', { username: 'sun', role: 'root', password: TEST_PASSWORD })).message).toMatch(
        /viewer, clerk, admin or auditor/,
      );

      const zhao = api.connect();
      await zhao.invoke('auth:login', { username: 'zhao', password: TEST_PASSWORD });
      expect(errorOf(await zhao.invoke('documents:import', { paths: ['/nowhere.jpg'] })).code).toBe('FORBIDDEN');
      await admin.invoke('users:update', { username: 'zhao', role: 'clerk' });
      expect(await zhao.invoke('documents:import', { paths: ['/nowhere.jpg'] })).toMatchObject({ ok: true, value: { imported: [] } });

      await admin.invoke('users:resetPassword', { username: 'zhao', password: 'a brand new secret' });
      expect(errorOf(await api.connect().invoke('auth:login', { username: 'zhao', password: TEST_PASSWORD })).code).toBe('UNAUTHENTICATED');
      expect((await api.connect().invoke('auth:login', { username: 'zhao', password: 'a brand new secret' })).ok).toBe(true);
      const listed = await admin.invoke('users:list', {});
      expect(listed.ok && (listed.value as UserRecord[]).map((user) => [user.username, user.role])).toEqual([
        ['boss', 'admin'],
        ['zhao', 'clerk'],
      ]);
      expect(JSON.stringify(listed)).not.toMatch(/argon2/);
      const actions = archive.audit
        .list(0, 1000)
        .filter((event) => event.targetType === 'user' && event.actor === 'boss')
        .map((event) => event.action);
      expect(actions).toEqual(expect.arrayContaining(['user.create', 'user.update', 'user.reset-password']));
    });

    it('keep at least one active administrator, and cannot disable themselves', async () => {
      const admin = await clientAs(api, archive, 'admin', 'boss');
      expect(errorOf(await admin.invoke('users:update', { username: 'boss', role: 'clerk' })).message).toMatch(/only active administrator/);
      expect(errorOf(await admin.invoke('users:update', { username: 'boss', disabled: true })).message).toMatch(/only active administrator/);
      await admin.invoke('users:create', { username: 'deputy', role: 'admin', password: TEST_PASSWORD });
      expect(errorOf(await admin.invoke('users:update', { username: 'boss', disabled: true })).message).toBe('You cannot disable your own account.');
      expect(await admin.invoke('users:update', { username: 'boss', role: 'auditor' })).toMatchObject({ ok: true, value: { role: 'auditor' } });
      expect(errorOf(await admin.invoke('users:list', {})).code).toBe('FORBIDDEN');
      expect(userRow('boss')).toMatchObject({ role: 'auditor', disabled: 0 });
    });
  });

  describe('a user changes their own password', () => {
    it('only with the current one', async () => {
      const clerk = await clientAs(api, archive, 'clerk', 'wang');
      const hashBefore = userRow('wang')!.hash;
      const refused = errorOf(await clerk.invoke('auth:changePassword', { currentPassword: 'guess', newPassword: 'new secret 123' }));
      expect(refused.message).toBe('The current password is not right; the password was not changed.');
      expect(userRow('wang')!.hash).toBe(hashBefore);
      expect((await clerk.invoke('auth:changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'new secret 123' })).ok).toBe(true);
      expect((await api.connect().invoke('auth:login', { username: 'wang', password: 'new secret 123' })).ok).toBe(true);
      expect(
        archive.audit
          .list(0, 1000)
          .filter((event) => event.action.startsWith('user.change-password'))
          .map((event) => [event.action, event.actor]),
      ).toEqual([
        ['user.change-password-refused', 'wang'],
        ['user.change-password', 'wang'],
      ]);
    });
  });

  describe("accounts written behind SlipVault's back", () => {
    it('are named by check: an added admin, a promoted clerk, a replaced password, a re-enabled account', async () => {
      const admin = await clientAs(api, archive, 'admin', 'boss');
      await admin.invoke('users:create', { username: 'wang', role: 'clerk', password: TEST_PASSWORD });
      await admin.invoke('users:create', { username: 'zhao', role: 'viewer', password: TEST_PASSWORD });
      await admin.invoke('users:update', { username: 'zhao', disabled: true });
      await admin.invoke('users:resetPassword', { username: 'wang', password: 'reset by the admin' });
      expect((await archive.check()).problems).toEqual([]);

      // Someone with the database file but no password: a new admin with a hash they made, a promotion, a
      // password of their own for boss, and zhao back on. Every audit event stays as it was.
      const sqlite = archive.connection.sqlite;
      const theirHash = await hashPassword('the intruder knows this');
      sqlite
        .prepare(
          "INSERT INTO users (username, display_name, role, password_hash, password_changed_at, created_at) VALUES ('mallory', 'Mallory', 'admin', ?, 'x', 'x')",
        )
        .run(theirHash);
      sqlite.prepare("UPDATE users SET role = 'admin' WHERE username = 'wang'").run();
      sqlite.prepare("UPDATE users SET password_hash = ? WHERE username = 'boss'").run(theirHash);
      sqlite.prepare("UPDATE users SET disabled = FALSE WHERE username = 'zhao'").run();

      const report = await archive.check();
      expect(report.ok).toBe(false);
      expect(report.problems.filter((problem) => problem.kind === 'account').map((problem) => problem.message)).toEqual([
        'the account boss was changed outside SlipVault: its password is not the one the audit trail last recorded',
        'the account wang was changed outside SlipVault: its role is admin, the audit trail says clerk',
        'the account zhao was changed outside SlipVault: it is active, the audit trail says disabled',
        'the account mallory was not created through SlipVault: no audit event records it',
      ]);
    });
  });
});
