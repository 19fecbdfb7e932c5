import type { FieldIssue, MessageParams } from './messages';

/**
 * Error codes that cross the contract. Both sides know them: the core throws them, the UI translates
 * them by code, the CLI maps them to exit codes. Messages are human sentences; no stack traces.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'NOT_AN_ARCHIVE',
  'ARCHIVE_EXISTS',
  'ARCHIVE_IN_USE',
  'ARCHIVE_READ_ONLY',
  'ARCHIVE_FROM_FUTURE',
  'FILE_NOT_FOUND',
  'FILE_UNREADABLE',
  'UNSUPPORTED_FILE',
  'CORRUPT_FILE',
  'DUPLICATE',
  'CONFLICT',
  'DISK_FULL',
  'WRONG_KEY',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'INTERNAL',
  // Retention, holds and disposal (docs/retention.md)
  'RETENTION_SHORTENED',
  'ON_HOLD',
  'NOT_DUE',
  'SAME_APPROVER',
  // --- filing rules and the signed check (docs/filing-rules.md, docs/signed-check.md) ---
  /** Filing a document that lacks a field its type requires, without an override reason. */
  'FILING_INCOMPLETE',
  /** Marking a slip returned when no page is found signed, without an override reason. */
  'NOT_SIGNED',
  // --- the network server and edit conflicts (docs/server-network.md) ---
  /** The server could not be reached or stopped answering the connection (refused, unknown host, timeout). */
  'SERVER_UNREACHABLE',
  /** The server's certificate is not the one this user trusts, or none is trusted yet; details name both fingerprints. */
  'SERVER_NOT_TRUSTED',
  /** A save started from a version that is no longer current; details: changedBy, changedAt, baseVersion, currentVersion, diff. */
  'EDIT_CONFLICT',
  // --- the core on PostgreSQL (docs/server-postgres.md) ---
  /** What the archive's storage cannot do yet: searching an archive opened on PostgreSQL through the synchronous connection. */
  'NOT_SUPPORTED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  /** What the UI translates (`core.<messageKey>` with `params`); `message` stays the English for the CLI. */
  messageKey?: string;
  params?: MessageParams;
  /** Each refused field of a VALIDATION, for the UI to word per field. */
  issues?: FieldIssue[];
}

export class SlipVaultError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  messageKey?: string;
  params?: MessageParams;
  issues?: FieldIssue[];

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'SlipVaultError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  /** Rebuilds an error that crossed a transport, with everything the UI needs to word it. */
  static fromPayload(payload: ErrorPayload): SlipVaultError {
    const error = new SlipVaultError(payload.code, payload.message, payload.details);
    if (payload.messageKey !== undefined) error.withMessage(payload.messageKey, payload.params ?? {});
    if (payload.issues !== undefined) error.withIssues(payload.issues);
    return error;
  }

  /** Names the sentence for the UI: the key it translates (`core.<key>` in src/renderer/i18n) and its parameters. */
  withMessage(key: string, params: MessageParams = {}): this {
    this.messageKey = key;
    this.params = params;
    return this;
  }

  withIssues(issues: FieldIssue[]): this {
    this.issues = issues;
    return this;
  }

  toPayload(): ErrorPayload {
    return {
      code: this.code,
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
      ...(this.messageKey === undefined ? {} : { messageKey: this.messageKey, params: this.params ?? {} }),
      ...(this.issues === undefined ? {} : { issues: this.issues }),
    };
  }
}

export function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ErrorPayload>;
  return typeof candidate.message === 'string' && (ERROR_CODES as readonly string[]).includes(candidate.code as string);
}
