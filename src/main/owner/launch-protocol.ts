/**
 * The few messages between an owner process and the program that started it (the desktop app's main
 * process, a test), on the process's own channel — Node's IPC channel of a forked child, or Electron's
 * parentPort of a utility process. Contract calls never travel here: they go over the owner's socket like
 * any other client's. This channel only says when the owner serves (or why it could not), asks it to stop,
 * and carries the scheduled backups' passphrase from a keychain only the starting process can reach.
 */
import { isErrorPayload, type ErrorPayload } from '../../shared/errors';
import type { LockHolder, OwnerEndpoint } from '../core/lock';

/** Owner → starter: it holds the archive and serves it on the socket its holder file names. */
export interface ReadyMessage {
  kind: 'ready';
  holder: LockHolder & OwnerEndpoint;
}

/** Owner → starter: it could not open or serve the archive, and exits. */
export interface FailedMessage {
  kind: 'failed';
  error: ErrorPayload;
}

/** Owner → starter: a question to the starter's secret store. */
export interface SecretRequest {
  kind: 'secret';
  id: number;
  op: 'passphrase' | 'save';
  archiveId: string;
  passphrase?: string;
}

/** Starter → owner: the answer to a SecretRequest with the same id. */
export interface SecretReply {
  kind: 'secret-reply';
  id: number;
  value?: string | null;
  error?: ErrorPayload;
}

/** Starter → owner: finish the calls in flight, close the archive, exit. */
export interface StopMessage {
  kind: 'stop';
}

export type OwnerMessage = ReadyMessage | FailedMessage | SecretRequest;
export type StarterMessage = SecretReply | StopMessage;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isOwnerMessage(value: unknown): value is OwnerMessage {
  if (!isRecord(value)) return false;
  if (value.kind === 'ready') {
    const holder = value.holder;
    return isRecord(holder) && typeof holder.pid === 'number' && typeof holder.socket === 'string' && typeof holder.secretFile === 'string';
  }
  if (value.kind === 'failed') return isErrorPayload(value.error);
  return value.kind === 'secret' && typeof value.id === 'number' && (value.op === 'passphrase' || value.op === 'save') && typeof value.archiveId === 'string';
}

export function isStarterMessage(value: unknown): value is StarterMessage {
  if (!isRecord(value)) return false;
  return value.kind === 'stop' || (value.kind === 'secret-reply' && typeof value.id === 'number');
}

/** The options an owner process is started with (`--name`, after the archive folder); the last one names where the starter keeps secrets. */
export const OWNER_OPTIONS = {
  program: 'program',
  create: 'create',
  secretsFromStarter: 'secrets-from-starter',
} as const;
