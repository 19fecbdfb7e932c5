/**
 * Who runs a command: SLIPVAULT_USER + SLIPVAULT_PASSWORD (scripts, scheduled tasks), else asked on a
 * terminal. With --json nothing is ever asked: a script gets a usage error instead of a hanging prompt.
 */
import { CliFailure, EXIT_USAGE, type CliIo, type Credentials } from './context';
import { canPrompt, promptHidden, promptLine } from './prompt';

export const USER_ENV = 'SLIPVAULT_USER';
export const PASSWORD_ENV = 'SLIPVAULT_PASSWORD';

export async function credentialsFrom(io: CliIo, json: boolean): Promise<Credentials> {
  const username = io.env[USER_ENV]?.trim() ?? '';
  const password = io.env[PASSWORD_ENV] ?? '';
  if (username && password) return { username, password };
  if (json || !canPrompt()) {
    throw new CliFailure(
      { code: 'UNAUTHENTICATED', message: `Log in: set ${USER_ENV} and ${PASSWORD_ENV}${json ? '' : ', or run the command on a terminal to be asked'}.` },
      EXIT_USAGE,
    );
  }
  return {
    username: username || (await promptLine('User name: ', io.stderr)).trim(),
    password: password || (await promptHidden('Password: ', io.stderr)),
  };
}

/** A new password, typed twice on a terminal or taken from SLIPVAULT_PASSWORD. */
export async function newPasswordFrom(io: CliIo, json: boolean, envName = PASSWORD_ENV): Promise<string> {
  const fromEnv = io.env[envName];
  if (fromEnv) return fromEnv;
  if (json || !canPrompt()) {
    throw new CliFailure(
      { code: 'VALIDATION', message: `Give the password in ${envName}${json ? '' : ', or run the command on a terminal to be asked'}.` },
      EXIT_USAGE,
    );
  }
  const first = await promptHidden('New password: ', io.stderr);
  if ((await promptHidden('Repeat the new password: ', io.stderr)) !== first) {
    throw new CliFailure({ code: 'VALIDATION', message: 'The two passwords differ; nothing was changed.' }, EXIT_USAGE);
  }
  return first;
}
