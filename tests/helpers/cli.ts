/** Runs the built `slipvault` command as a real process, the way IT scripts will. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_PASSWORD } from './sessions';

export const REPO_ROOT = join(__dirname, '..', '..');
export const CLI_BIN = join(REPO_ROOT, 'bin', 'slipvault.cjs');

/** The global setup builds fresh; this only covers running one file outside vitest's setup. */
export function ensureCliBuilt(): void {
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'slipvault.cjs'))) {
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

export function slipvault(args: string[], env: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, [CLI_BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD, ...env },
    timeout: 60_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function slipvaultJson<T>(args: string[], env: Record<string, string> = {}): T {
  const run = slipvault(['--json', ...args], env);
  if (run.status !== 0) throw new Error(`slipvault ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
