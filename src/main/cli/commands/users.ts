/** Accounts from the command line: admins manage users (`users …`), everyone changes their own password (`passwd`). */
import type { Role, UserRecord } from '../../../shared/model';
import type { CommandModule } from '../context';
import { newPasswordFrom } from '../credentials';

/** Where `users add` and `users reset-password` take the new user's password from (never an argument: shell history). */
const NEW_PASSWORD_ENV = 'SLIPVAULT_NEW_PASSWORD';

function formatUsers(users: UserRecord[]): string {
  return users.map((user) => `${user.username.padEnd(20)} ${user.role.padEnd(8)} ${user.disabled ? 'disabled' : 'active  '} ${user.displayName}`).join('\n');
}

export const registerUserCommands: CommandModule = (program, context) => {
  const users = program.command('users').description('accounts of the archive (administrators only)');

  users
    .command('list')
    .description('every account with its role and state')
    .action(async () => {
      const list = await context.call('users list', 'users:list', {});
      context.emit(list, formatUsers(list));
    });

  users
    .command('add <username>')
    .description(`add an account; its password from ${NEW_PASSWORD_ENV} or typed twice`)
    .requiredOption('--role <role>', 'viewer, clerk, admin or auditor')
    .option('--name <displayName>', 'the name shown in the app')
    .action(async (username: string, options: { role: string; name?: string }) => {
      const password = await newPasswordFrom(context.io, context.json(), NEW_PASSWORD_ENV);
      const created = await context.call('users add', 'users:create', {
        username,
        role: options.role as Role,
        password,
        ...(options.name ? { displayName: options.name } : {}),
      });
      context.emit(created, `Added ${created.username} (${created.role}).`);
    });

  const update =
    (verb: string, changes: (value?: string) => { role?: Role; disabled?: boolean }, done: (user: UserRecord) => string) =>
    async (username: string, value?: string) => {
      const updated = await context.call(`users ${verb}`, 'users:update', { username, ...changes(value) });
      context.emit(updated, done(updated));
    };

  users
    .command('set-role <username> <role>')
    .description('give an account another role')
    .action(
      update(
        'set-role',
        (role) => ({ role: role as Role }),
        (user) => `${user.username} is now ${user.role}.`,
      ),
    );
  users
    .command('disable <username>')
    .description('stop an account from logging in (it stays in the audit trail)')
    .action(
      update(
        'disable',
        () => ({ disabled: true }),
        (user) => `${user.username} is disabled.`,
      ),
    );
  users
    .command('enable <username>')
    .description('let a disabled account log in again')
    .action(
      update(
        'enable',
        () => ({ disabled: false }),
        (user) => `${user.username} is enabled.`,
      ),
    );

  users
    .command('reset-password <username>')
    .description(`set a new password for an account; from ${NEW_PASSWORD_ENV} or typed twice`)
    .action(async (username: string) => {
      const password = await newPasswordFrom(context.io, context.json(), NEW_PASSWORD_ENV);
      const updated = await context.call('users reset-password', 'users:resetPassword', { username, password });
      context.emit(updated, `New password set for ${updated.username}.`);
    });

  program
    .command('passwd')
    .description(`change your own password; the new one from ${NEW_PASSWORD_ENV} or typed twice`)
    .action(async () => {
      const newPassword = await newPasswordFrom(context.io, context.json(), NEW_PASSWORD_ENV);
      const user = await context.withArchive('passwd', async ({ call }) => {
        const { password } = await context.credentials();
        return call('auth:changePassword', { currentPassword: password, newPassword });
      });
      context.emit(user, `Password changed for ${user.username}.`);
    });
};
