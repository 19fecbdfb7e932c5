/** A real `slipvault serve --listen` process and `slipvault --server` runs against it, for the network tests. */
import { spawn } from 'node:child_process';
import { CLI_BIN, type CliRun } from './cli';
import { tempDir } from './fixtures';
import { slipvaultAsync } from './owner';

export interface RunningServer {
  readonly pid: number;
  /** svs://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly fingerprint: string;
  stdout(): string;
  /** SIGTERM, and its exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no cleanup of any kind. */
  kill(): Promise<void>;
}

/** An archive folder, or an archive on PostgreSQL: `--db URL --files DIR` (docs/server-postgres.md). */
export type ServedStorage = string | { db: string; files: string };

/**
 * Starts `slipvault serve --json --listen 127.0.0.1:PORT` (0: a free port) and resolves once it serves; with
 * `--no-ocr` unless `ocr` is set, since most tests do not wait for recognition.
 */
export function startServer(
  archive: ServedStorage,
  options: { port?: number; folderRoots?: string[]; env?: Record<string, string>; ocr?: boolean } = {},
): Promise<RunningServer> {
  const storage =
    typeof archive === 'string' ? { before: ['--archive', archive], after: [] } : { before: [], after: ['--db', archive.db, '--files', archive.files] };
  const args = [...storage.before, '--json', 'serve', ...(options.ocr ? [] : ['--no-ocr']), '--listen', `127.0.0.1:${options.port ?? 0}`, ...storage.after];
  if (options.folderRoots) args.push('--folder-root', ...options.folderRoots);
  // Its own runtime folder: the local socket of each server started here stays apart from other tests'.
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    env: { ...process.env, SLIPVAULT_RUNTIME_DIR: tempDir('slipvault-runtime-'), ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`slipvault serve exited ${code}: ${stderr}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      let serving: { pid: number; network: { url: string; fingerprint: string } };
      try {
        serving = JSON.parse(stdout) as typeof serving;
      } catch {
        return; // not all of the JSON document yet
      }
      resolve({
        pid: serving.pid,
        url: serving.network.url,
        port: Number(new URL(serving.network.url.replace(/^svs:/, 'http:')).port),
        fingerprint: serving.network.fingerprint,
        stdout: () => stdout,
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

/** `slipvault --server URL …` as a user of a workstation whose trusted servers live in `configDir`. */
export function remoteSlipvault(server: RunningServer, configDir: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return slipvaultAsync(['--server', server.url, ...args], { SLIPVAULT_CONFIG_DIR: configDir, ...env });
}
