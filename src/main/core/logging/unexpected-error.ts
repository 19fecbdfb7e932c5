/**
 * An unexpected error gets a short correlation id: its stack goes to the active log under that id, and the
 * message the user sees ends with it ("… (error id 7f3a2c)"), so a report of what was on screen finds the
 * stack without any stack reaching the screen.
 */
import { randomBytes } from 'node:crypto';
import { activeLog } from './call-log';

function newErrorId(): string {
  return randomBytes(3).toString('hex');
}

/** Logs `error` with its stack; returns the id the user will be shown. */
export function recordUnexpected(error: unknown): string {
  const errorId = newErrorId();
  activeLog().error({ errorId, err: error }, 'unexpected error');
  return errorId;
}
