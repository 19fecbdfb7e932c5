/**
 * PostgreSQL's failures in the form the core knows from better-sqlite3: an error whose `code` is SQLite's
 * extended result code (SQLITE_CONSTRAINT_UNIQUE, SQLITE_BUSY, SQLITE_FULL, …), so error-payload.ts and
 * the callers that look at codes treat both back ends alike. The append-only triggers raise the same sentences
 * on both (db/pg/migrations/0001_rules_and_seeds.sql), and the sentence is the message here as it is there.
 */
import { SlipVaultError } from '../../../../shared/errors';

/** A failed statement, with SQLite's code for it and PostgreSQL's own SQLSTATE. */
export class PgStatementError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly sqlState: string,
  ) {
    super(message);
    this.name = 'PgStatementError';
  }
}

/** SQLSTATE → SQLite's extended result code. */
const SQLITE_CODES: Record<string, string> = {
  '23505': 'SQLITE_CONSTRAINT_UNIQUE',
  '23503': 'SQLITE_CONSTRAINT_FOREIGNKEY',
  '23502': 'SQLITE_CONSTRAINT_NOTNULL',
  '23514': 'SQLITE_CONSTRAINT_CHECK',
  // slipvault_refuse(), the append-only triggers: SQLite's RAISE(ABORT, …) inside a trigger.
  '23001': 'SQLITE_CONSTRAINT_TRIGGER',
  // Waiting for the write lock (lock_timeout), a deadlock, or a snapshot another writer changed.
  '55P03': 'SQLITE_BUSY',
  '40P01': 'SQLITE_BUSY',
  '40001': 'SQLITE_BUSY',
  '53100': 'SQLITE_FULL',
  '25006': 'SQLITE_READONLY',
};

export interface FailedResult {
  sqlState?: string | undefined;
  messagePrimary?: string | undefined;
  messageDetail?: string | undefined;
}

export function statementError(result: FailedResult, fallbackMessage: string, sql: string): PgStatementError {
  const sqlState = result.sqlState ?? '';
  const code = SQLITE_CODES[sqlState] ?? 'SQLITE_ERROR';
  const primary = result.messagePrimary ?? fallbackMessage.trim();
  const message = code === 'SQLITE_ERROR' ? `${primary} (SQLSTATE ${sqlState || 'none'}) in: ${sql}` : primary;
  return new PgStatementError(message, code, sqlState);
}

/** The connection to the server is gone: nothing of the request in hand was saved. */
export function connectionLost(target: string, reason: string): SlipVaultError {
  return new SlipVaultError(
    'SERVER_UNREACHABLE',
    `The connection to PostgreSQL at ${target} was lost (${reason}). What this request was doing was not saved.`,
    { target, reason },
  ).withMessage('postgres.connectionLost', { target, reason });
}
