/**
 * Every contract call leaves one line in the archive's log: its name, who made it, how long it took, its
 * error code when it failed, and its input with everything but ids and switches redacted (redact.ts). While
 * the call runs, its log is the "active" one, so an unexpected error met anywhere beneath it — however deep
 * in the core — is written to the log of the archive it happened in, naming the call.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallResult, Method } from '../../../shared/contract';
import { appLog, type Log } from './logger';
import { redactInput } from './redact';

const active = new AsyncLocalStorage<Log>();

/** The log of the call running now; outside any call, the app's log. */
export function activeLog(): Log {
  return active.getStore() ?? appLog();
}

/** Runs work that is not a call (a watcher the archive resumes by itself) with the archive's log active. */
export function withLog<T>(log: Log, work: () => T): T {
  return active.run(log, work);
}

export async function loggedCall(
  log: Log,
  call: { method: Method; username: string | undefined; input: unknown },
  run: () => Promise<CallResult<Method>>,
): Promise<CallResult<Method>> {
  const started = performance.now();
  const callLog = log.child(call.username === undefined ? { call: call.method } : { call: call.method, user: call.username });
  const result = await active.run(callLog, run);
  const ms = Math.round((performance.now() - started) * 10) / 10;
  const input = redactInput(call.input);
  if (result.ok) callLog.info({ ms, input }, 'call');
  else callLog.info({ ms, input, code: result.error.code, ...(result.error.details?.errorId ? { errorId: result.error.details.errorId } : {}) }, 'call failed');
  return result;
}
