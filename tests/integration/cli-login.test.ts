/**
 * The command line logs in: from SLIPVAULT_USER + SLIPVAULT_PASSWORD, by asking on a terminal (a real pseudo-
 * terminal from util-linux `script`), never with --json; what a user may do is their role's.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_BIN, slipvault } from '../helpers/cli';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { TEST_PASSWORD } from '../helpers/sessions';

/** `args` run on a pseudo-terminal whose keyboard types `typed`; what the terminal showed. */
function onTerminal(args: string[], typed: string, env: Record<string, string>): { status: number; screen: string } {
  const commandLine = [process.execPath, CLI_BIN, ...args].map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
  const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete environment.SLIPVAULT_PASSWORD;
  const run = spawnSync('script', ['-qec', commandLine, '/dev/null'], { input: typed, encoding: 'utf8', env: environment, timeout: 60_000 });
  return { status: run.status ?? -1, screen: run.stdout };
}

describe('logging in from the command line', () => {
  it('asks for the password on a terminal only, refuses a wrong one, and never asks with --json', () => {
    const archive = join(tempDir(), 'archive');
    expect(slipvault(['--archive', archive, 'init']).status).toBe(0);

    const asked = onTerminal(['--archive', archive, 'status'], `${TEST_PASSWORD}\r`, { SLIPVAULT_USER: 'clerk-li' });
    expect(asked.screen).toContain('Password: ');
    expect(asked.screen).toContain(`Archive ${archive}`);
    expect(asked.status).toBe(0);

    const wrong = onTerminal(['--archive', archive, 'status'], 'not the password\r', { SLIPVAULT_USER: 'clerk-li' });
    expect(wrong.screen).toContain('slipvault: Wrong user name or password.');
    expect(wrong.status).toBe(1);

    const script = slipvault(['--archive', archive, '--json', 'status'], { SLIPVAULT_PASSWORD: '' });
    expect(script.status).toBe(2);
    expect(script.stderr).toBe('slipvault: Log in: set SLIPVAULT_USER and SLIPVAULT_PASSWORD.\n');
    expect(JSON.parse(script.stdout)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  }, 180_000);

  it('an administrator adds a viewer, who may read but not import; a disabled user cannot log in', async () => {
    const archive = join(tempDir(), 'archive');
    const arc = ['--archive', archive];
    expect(slipvault([...arc, 'init']).status).toBe(0);
    const added = slipvault([...arc, 'users', 'add', 'zhao', '--role', 'viewer', '--name', '赵六'], { SLIPVAULT_NEW_PASSWORD: 'zhao secret 1' });
    expect(added.stdout).toBe('Added zhao (viewer).\n');
    const zhao = { SLIPVAULT_USER: 'zhao', SLIPVAULT_PASSWORD: 'zhao secret 1' };
    expect(slipvault([...arc, 'list'], zhao).status).toBe(0);
    const refused = slipvault([...arc, 'import', await writeJpeg(tempDir('slipvault-files-'), 'slip.jpg')], zhao);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe('slipvault: zhao (viewer) may not call documents:import.\n');
    expect(slipvault([...arc, 'users', 'list'], zhao).stderr).toContain('may not call users:list');

    expect(slipvault([...arc, 'users', 'list']).stdout).toMatch(/^zhao\s+viewer\s+active\s+赵六$/m);
    expect(slipvault([...arc, 'users', 'disable', 'zhao']).stdout).toBe('zhao is disabled.\n');
    expect(slipvault([...arc, 'list'], zhao).stderr).toBe('slipvault: The account zhao is disabled; ask an administrator to re-enable it.\n');
    expect(slipvault([...arc, 'users', 'disable', 'clerk-li']).stderr).toContain('only active administrator');
    expect(slipvault([...arc, 'passwd'], { SLIPVAULT_NEW_PASSWORD: 'short' }).status).toBe(2);
    expect(slipvault([...arc, 'passwd'], { SLIPVAULT_NEW_PASSWORD: 'a longer new one' }).stdout).toBe('Password changed for clerk-li.\n');
    expect(slipvault([...arc, 'status'], { SLIPVAULT_PASSWORD: 'a longer new one' }).status).toBe(0);
  }, 180_000);
});
