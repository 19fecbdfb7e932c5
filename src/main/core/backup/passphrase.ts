/** The minimum a backup passphrase must meet; the backup is only as strong as this. */
import { SlipVaultError } from '../../../shared/errors';

export const MIN_PASSPHRASE_LENGTH = 12;

export function assertStrongPassphrase(passphrase: string): void {
  const characters = [...passphrase];
  const distinct = new Set(characters).size;
  const problem =
    characters.length < MIN_PASSPHRASE_LENGTH
      ? `it has ${characters.length} characters; use at least ${MIN_PASSPHRASE_LENGTH}`
      : distinct < 6
        ? 'it repeats too few different characters'
        : /^\d+$/.test(passphrase)
          ? 'it is only digits'
          : null;
  if (problem) {
    throw new SlipVaultError(
      'VALIDATION',
      `The backup passphrase is too weak: ${problem}. A few unrelated words (e.g. "lantern copper 47 river") make a good passphrase.`,
    ).withMessage('backup.weakPassphrase');
  }
}
