/** What every command module gets: the archive, the contract calls, output and exit-code plumbing. */
import type { Command } from 'commander';
import type { InputOf, Method, OutputOf } from '../../shared/contract';
import type { ErrorPayload } from '../../shared/errors';
import type { EventName, EventPayload } from '../../shared/events';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Thrown by commands to end with a specific message and exit code. */
export class CliFailure extends Error {
  constructor(
    readonly payload: ErrorPayload,
    readonly exitCode: number,
  ) {
    super(payload.message);
  }
}

/**
 * A logged-in connection to an archive, for the length of one command: to its running owner, or to the
 * archive this command opened itself when no owner runs.
 */
export interface CliSession {
  /** One contract call as the logged-in user; a failed call becomes a CliFailure. */
  call<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>>;
  /** Core events (job progress of every client's jobs, document changes); returns the unsubscribe. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export interface Credentials {
  username: string;
  password: string;
}

export interface CliContext {
  io: CliIo;
  /** The archive folder from --archive or SLIPVAULT_ARCHIVE (usage error when neither is given). */
  archiveDir(): string;
  /** The global option that reaches the same archive again (`--archive DIR` or `--server URL`), for hints to the user. */
  archiveOption(): string;
  /** SLIPVAULT_USER and SLIPVAULT_PASSWORD, else asked on a terminal; never asked with --json. */
  credentials(): Promise<Credentials>;
  json(): boolean;
  /** Prints `value` as JSON with --json, else the human text. */
  emit(value: unknown, human: string): void;
  /** Reaches the archive (its owner, else opened here) and logs in for the duration of `work`. */
  withArchive<T>(command: string, work: (session: CliSession) => Promise<T>, options?: { ocrWorkers?: number }): Promise<T>;
  /** One contract call, logged in, on the archive opened for it. */
  call<M extends Method>(command: string, method: M, input: InputOf<M>): Promise<OutputOf<M>>;
  /** The CliFailure for a failed call (exit 2 for invalid input, else 1). */
  failureOf(error: ErrorPayload): CliFailure;
  fail(exitCode: number): void;
}

export type CommandModule = (program: Command, context: CliContext) => void;

export function parsePositiveInteger(value: string, what: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new CliFailure({ code: 'VALIDATION', message: `"${value}" is not a ${what}.` }, EXIT_USAGE);
  }
  return Number(value);
}
