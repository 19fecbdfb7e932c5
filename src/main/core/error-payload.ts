/**
 * Any failure as the ErrorPayload a caller shows: our own errors as they are, SQLite and file-system codes as
 * storage errors. What is left is unexpected (INTERNAL): its stack is logged under a correlation id that the
 * message carries, so the user can quote it and the log still holds what the screen must not show.
 */
import { SlipVaultError, type ErrorPayload } from '../../shared/errors';
import { toStorageError } from './fs-errors';
import { recordUnexpected } from './logging/unexpected-error';

function known(error: unknown): ErrorPayload {
  if (error instanceof SlipVaultError) return error.toPayload();
  const sqliteCode = (error as { code?: unknown } | null)?.code;
  if (sqliteCode === 'SQLITE_FULL') return toStorageError({ code: 'ENOSPC' }, 'The archive database could not be written').toPayload();
  if (sqliteCode === 'SQLITE_READONLY') return toStorageError({ code: 'EROFS' }, 'The archive database could not be written').toPayload();
  if (sqliteCode === 'SQLITE_BUSY')
    return new SlipVaultError('ARCHIVE_IN_USE', 'The archive is busy; try again in a moment.').withMessage('storage.busy').toPayload();
  if (typeof sqliteCode === 'string' && /^E[A-Z]+$/.test(sqliteCode)) return toStorageError(error, 'A file operation failed').toPayload();
  return { code: 'INTERNAL', message: `Unexpected error: ${(error as Error)?.message ?? String(error)}` };
}

export function toErrorPayload(error: unknown): ErrorPayload {
  const payload = known(error);
  if (payload.code !== 'INTERNAL') return payload;
  const errorId = recordUnexpected(error);
  return {
    code: 'INTERNAL',
    message: `${payload.message} (error id ${errorId})`,
    details: { ...payload.details, errorId },
    messageKey: 'internal.unexpected',
    params: { errorId },
  };
}
