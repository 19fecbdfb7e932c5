/** A real `slipvault serve` process and other `slipvault` runs beside it, for the owner tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readLockHolder } from '../../src/main/core/lock';
import { connectToOwner, isServing, type OwnerConnection } from '../../src/main/owner/client';
import { CLI_BIN, type CliRun } from './cli';
import { tempDir } from './fixtures';
import { TEST_PASSWORD } from './sessions';

/** One runtime folder per test file: sockets and secrets of its owners, apart from any other run's. */
const RUNTIME_DIR = tempDir('slipvault-runtime-');

const baseEnv = (env: Record<string, string>) => ({
  ...process.env,
  SLIPVAULT_USER: 'clerk-li',
  SLIPVAULT_PASSWORD: TEST_PASSWORD,
  SLIPVAULT_RUNTIME_DIR: RUNTIME_DIR,
  ...env,
});

/** `slipvault …` as a process of its own, not waited for: several run at the same time. */
export function spawnSlipvault(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [CLI_BIN, ...args], { env: baseEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolve) => child.once('close', (code, signal) => resolve({ status: code ?? (signal ? -1 : 0), stdout, stderr })));
  return { child, done };
}

export function slipvaultAsync(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return spawnSlipvault(args, env).done;
}

export interface RunningOwner {
  readonly pid: number;
  readonly socket: string;
  /** What it wrote on stderr so far (the take-over notice). */
  stderr(): string;
  /** SIGTERM, and its exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no cleanup of any kind. */
  kill(): Promise<void>;
}

/** Starts `slipvault serve --no-ocr --json` and resolves once it serves (its JSON line is out). */
export function startOwner(archive: string): Promise<RunningOwner> {
  const child = spawn(process.execPath, [CLI_BIN, '--archive', archive, '--json', 'serve', '--no-ocr'], { env: baseEnv({}) });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`slipvault serve exited ${code}: ${stderr}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      let serving: { pid: number; socket: string };
      try {
        serving = JSON.parse(stdout) as { pid: number; socket: string };
      } catch {
        return; // not all of the JSON document yet
      }
      resolve({
        pid: serving.pid,
        socket: serving.socket,
        stderr: () => stderr,
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
        },
      });
    });
  });
}

/** A logged-in socket client of the archive's running owner, in this test process. */
export async function ownerClient(archive: string, username = 'clerk-li'): Promise<OwnerConnection> {
  const holder = readLockHolder(archive);
  if (!isServing(holder)) throw new Error(`${archive} has no serving owner`);
  const connection = await connectToOwner(archive, holder);
  const login = await connection.invoke('auth:login', { username, password: TEST_PASSWORD });
  if (!login.ok) throw new Error(`login as ${username} failed: ${login.error.message}`);
  return connection;
}
