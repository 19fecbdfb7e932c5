/**
 * Starts the owner of an archive as a process of its own and hands out connections to it — or, when an
 * owner already serves the archive on this machine (`slipvault serve`, a `watch`, another app), uses that
 * one. Either way the caller talks to the owner only over the owner socket (client.ts), exactly as the
 * command line does, so the process that launches never opens the archive itself.
 *
 * The process is a Node child (child_process.fork of dist/main/owner.cjs) unless the caller passes its own
 * `startProcess`: the desktop app passes an Electron utility process (shell/owner-utility-process.ts),
 * because packaged SlipVault has the RunAsNode fuse off, so `fork(process.execPath)` with
 * ELECTRON_RUN_AS_NODE would start a second app instead of Node. Both speak launch-protocol.ts.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlipVaultError, type ErrorPayload } from '../../shared/errors';
import type { SecretStore } from '../core/backup/secret-store';
import { toErrorPayload } from '../core/error-payload';
import { describeHolder, readLockHolder } from '../core/lock';
import { connectToOwner, isServing, type OwnerConnection, type ServingHolder } from './client';
import { isOwnerMessage, OWNER_OPTIONS, type OwnerMessage, type SecretRequest, type StarterMessage } from './launch-protocol';

/** A started owner process as its starter sees it: Node's ChildProcess and Electron's UtilityProcess both fit. */
export interface OwnerProcess {
  readonly pid: number | undefined;
  send(message: StarterMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** `signal` is null where the platform reports only an exit code (an Electron utility process). */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** Ends the process at once; used only when it does not stop when asked. */
  kill(): void;
}

export type StartOwnerProcess = (entry: string, args: string[]) => OwnerProcess;

export interface OwnerGone {
  /** A sentence for the user: which owner stopped and how. */
  message: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LaunchedOwner {
  readonly archiveDir: string;
  readonly holder: ServingHolder;
  /** False when the archive was already served by another program, which this only connected to. */
  readonly startedHere: boolean;
  /** A new connection to the owner: its own login, its own events (one per window, per client). */
  connect(): Promise<OwnerConnection>;
  /** Called once if the owner stops serving other than through close(): killed, crashed, or stopped by whoever runs it. */
  onGone(listener: (gone: OwnerGone) => void): () => void;
  /** An owner started here finishes its calls, closes the archive and exits; an owner found running is only let go of. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Named in "in use by …" messages and the holder file. */
  program: string;
  /** Create a new archive in the folder (in the owner process) instead of opening one. */
  create?: boolean;
  /** Where the scheduled backups' passphrase is kept; without it the owner reads its own environment. */
  secrets?: SecretStore;
  /** How to start the owner process; by default a Node child process running `entry`. */
  startProcess?: StartOwnerProcess;
  /** The built owner entry; by default dist/main/owner.cjs found from this bundle or the checkout. */
  entry?: string;
  /** How long a program that holds the archive but does not serve it yet is waited for. */
  ownerStartMs?: number;
  /** How long opening the archive may take (migrations of a large archive run first). */
  readyTimeoutMs?: number;
  /** How long close() waits for the owner to exit before ending it. */
  stopTimeoutMs?: number;
}

const OWNER_ENTRY = 'owner.cjs';

/** dist/main/owner.cjs: beside the shell bundle, or ../main/ from the CLI and preview bundles, or the checkout's dist/ from the sources. */
export function ownerEntryPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, OWNER_ENTRY), join(here, '..', 'main', OWNER_ENTRY), join(here, '..', '..', '..', 'dist', 'main', OWNER_ENTRY)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found)
    throw new SlipVaultError('INTERNAL', `The owner process ${OWNER_ENTRY} is missing; run \`npm run build\`.`, { candidates }).withMessage(
      'install.ownerMissing',
    );
  return found;
}

/** The Node way: fork the owner entry with this Node, without the parent's exec arguments (a test runner's loaders). */
export const forkNodeOwner: StartOwnerProcess = (entry, args) => {
  const child = fork(entry, args, { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  return {
    get pid() {
      return child.pid;
    },
    send(message) {
      if (child.connected) child.send(message);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      child.once('exit', listener);
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
};

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `was ended by ${signal}`;
  return code === null ? 'exited' : `exited with code ${code}`;
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Answers the owner's questions about the backup passphrase from the starter's secret store. */
async function answerSecret(request: SecretRequest, secrets: SecretStore): Promise<StarterMessage> {
  try {
    if (request.op === 'passphrase') return { kind: 'secret-reply', id: request.id, value: await secrets.passphrase(request.archiveId) };
    if (typeof request.passphrase !== 'string')
      throw new SlipVaultError('VALIDATION', 'No passphrase was given to keep.').withMessage('backup.noPassphraseGiven');
    await secrets.savePassphrase(request.archiveId, request.passphrase);
    return { kind: 'secret-reply', id: request.id, value: null };
  } catch (error) {
    return { kind: 'secret-reply', id: request.id, error: toErrorPayload(error) };
  }
}

function goneNotifier() {
  const listeners = new Set<(gone: OwnerGone) => void>();
  let reported = false;
  return {
    add(listener: (gone: OwnerGone) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    report(gone: OwnerGone) {
      if (reported) return;
      reported = true;
      for (const listener of [...listeners]) listener(gone);
      listeners.clear();
    },
    silence() {
      reported = true;
      listeners.clear();
    },
  };
}

/** An owner some other program runs: a connection that never logs in tells when it stops serving. */
async function attach(archiveDir: string, holder: ServingHolder): Promise<LaunchedOwner> {
  const watch = await connectToOwner(archiveDir, holder);
  const gone = goneNotifier();
  watch.onClose(() => gone.report({ message: `The owner of ${archiveDir}, ${describeHolder(holder)}, stopped serving it.`, code: null, signal: null }));
  return {
    archiveDir,
    holder,
    startedHere: false,
    connect: () => connectToOwner(archiveDir, holder),
    onGone: (listener) => gone.add(listener),
    close: async () => {
      gone.silence();
      watch.close();
    },
  };
}

async function startHere(archiveDir: string, options: LaunchOptions): Promise<LaunchedOwner> {
  const args = [archiveDir, `--${OWNER_OPTIONS.program}`, options.program];
  if (options.create) args.push(`--${OWNER_OPTIONS.create}`);
  if (options.secrets) args.push(`--${OWNER_OPTIONS.secretsFromStarter}`, options.secrets.place);
  const child = (options.startProcess ?? forkNodeOwner)(options.entry ?? ownerEntryPath(), args);
  const gone = goneNotifier();
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<void>((done) =>
    child.onExit((code, signal) => {
      exit = { code, signal };
      gone.report({
        message: `The owner of ${archiveDir} (${options.program}, process ${child.pid ?? '?'}) ${describeExit(code, signal)} while serving it.`,
        code,
        signal,
      });
      done();
    }),
  );

  const ready = new Promise<ServingHolder>((resolveReady, rejectReady) => {
    const timer = setTimeout(() => {
      child.kill();
      rejectReady(
        new SlipVaultError(
          'INTERNAL',
          `The owner process for ${archiveDir} did not start serving within ${(options.readyTimeoutMs ?? 60_000) / 1000} s.`,
        ).withMessage('owner.startTimeout', { archive: archiveDir }),
      );
    }, options.readyTimeoutMs ?? 60_000);
    void exited.then(() => {
      clearTimeout(timer);
      const { code, signal } = exit ?? { code: null, signal: null };
      rejectReady(
        new SlipVaultError('INTERNAL', `The owner process for ${archiveDir} ${describeExit(code, signal)} before serving it.`).withMessage('owner.exited', {
          archive: archiveDir,
        }),
      );
    });
    child.onMessage((message) => {
      if (!isOwnerMessage(message)) return;
      if (message.kind === 'secret') {
        if (options.secrets) void answerSecret(message, options.secrets).then((reply) => child.send(reply));
        return;
      }
      clearTimeout(timer);
      settle(message, resolveReady, rejectReady);
    });
  });

  let holder: ServingHolder;
  try {
    holder = await ready;
  } catch (error) {
    gone.silence();
    throw error;
  }
  return {
    archiveDir,
    holder,
    startedHere: true,
    connect: () => connectToOwner(archiveDir, holder),
    onGone: (listener) => gone.add(listener),
    async close() {
      gone.silence();
      if (exit) return;
      child.send({ kind: 'stop' });
      const stopTimeout = options.stopTimeoutMs ?? 30_000;
      const stoppedInTime = await Promise.race([exited.then(() => true), pause(stopTimeout).then(() => false)]);
      if (!stoppedInTime) {
        child.kill();
        await exited;
      }
    },
  };
}

function settle(message: Exclude<OwnerMessage, SecretRequest>, resolveReady: (holder: ServingHolder) => void, rejectReady: (error: Error) => void): void {
  if (message.kind === 'ready') {
    resolveReady(message.holder as ServingHolder);
    return;
  }
  const error: ErrorPayload = message.error;
  rejectReady(SlipVaultError.fromPayload(error));
}

/** Reasons a serving holder cannot be reached that mean it is gone or going: start an owner here instead. */
const STALE = new Set<unknown>(['owner-not-answering', 'owner-gone']);

/**
 * The owner of `archiveDir`: the one already serving it on this machine, else a new owner process. A
 * program that holds the archive without serving it (yet) is waited for up to `ownerStartMs`; then its
 * "in use by …" message stands. A refusal on purpose (a wrong secret, a secret file this OS user may not
 * read) is passed on as it is.
 */
export async function launchOwner(archiveDir: string, options: LaunchOptions): Promise<LaunchedOwner> {
  const dir = resolve(archiveDir);
  const deadline = Date.now() + (options.ownerStartMs ?? 3_000);
  for (;;) {
    const holder = readLockHolder(dir);
    if (!options.create && holder?.host === hostname() && isServing(holder)) {
      try {
        return await attach(dir, holder);
      } catch (refusal) {
        // A killed owner leaves its holder file naming a dead socket: the process started next takes over.
        if (!(refusal instanceof SlipVaultError) || !STALE.has(refusal.details?.reason)) throw refusal;
      }
    }
    try {
      return await startHere(dir, options);
    } catch (error) {
      const inUse = error instanceof SlipVaultError && error.code === 'ARCHIVE_IN_USE';
      const elsewhere = holder !== null && holder.host !== hostname();
      if (!inUse || options.create || elsewhere || Date.now() > deadline) throw error;
    }
    await pause(100);
  }
}
