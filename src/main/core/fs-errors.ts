/** Turns file-system failures into errors a clerk can act on (full disk, read-only drive, permissions). */
import { SlipVaultError } from '../../shared/errors';

export function toStorageError(error: unknown, context: string): SlipVaultError {
  if (error instanceof SlipVaultError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new SlipVaultError('DISK_FULL', `${context}: the disk is full. Free some space and try again; nothing was changed.`).withMessage(
        'storage.diskFull',
      );
    case 'EROFS':
      return new SlipVaultError('ARCHIVE_READ_ONLY', `${context}: the drive is read-only; nothing was changed.`).withMessage('storage.readOnly');
    case 'EACCES':
    case 'EPERM':
      return new SlipVaultError('ARCHIVE_READ_ONLY', `${context}: permission denied; nothing was changed.`).withMessage('storage.permissionDenied');
    default:
      return new SlipVaultError('INTERNAL', `${context}: ${(error as Error).message}`).withMessage('storage.failed', { reason: (error as Error).message });
  }
}
