/** Turns what a caller gives (passphrase, age1… recipients, identity file text) into age keys. */
import { SlipVaultError } from '../../../shared/errors';
import { parseIdentityFile, parseRecipient, type AgeIdentity, type AgeRecipient } from './age';
import { assertStrongPassphrase } from './passphrase';

export function recipientsFrom(input: { passphrase?: string | undefined; recipients?: string[] | undefined }): AgeRecipient[] {
  const recipients = input.recipients ?? [];
  if (input.passphrase !== undefined && recipients.length > 0) {
    throw new SlipVaultError('VALIDATION', 'Give either a passphrase or --recipient keys, not both.').withMessage('backup.passphraseOrKeys');
  }
  if (recipients.length > 0) {
    return recipients.map((text) => {
      try {
        return parseRecipient(text);
      } catch (error) {
        throw new SlipVaultError('VALIDATION', `${(error as Error).message}.`).withMessage('backup.badRecipient', { reason: (error as Error).message });
      }
    });
  }
  if (input.passphrase === undefined)
    throw new SlipVaultError('VALIDATION', 'A backup needs a passphrase or at least one --recipient age1… key.').withMessage('backup.needsKey');
  assertStrongPassphrase(input.passphrase);
  return [{ kind: 'scrypt', passphrase: input.passphrase }];
}

export function identitiesFrom(input: { passphrase?: string | undefined; identities?: string[] | undefined }): AgeIdentity[] {
  const identities: AgeIdentity[] = [];
  for (const text of input.identities ?? []) {
    try {
      identities.push(...parseIdentityFile(text));
    } catch (error) {
      throw new SlipVaultError('VALIDATION', `The identity is unusable: ${(error as Error).message}.`).withMessage('backup.badIdentity', {
        reason: (error as Error).message,
      });
    }
  }
  if (input.passphrase !== undefined) identities.push({ kind: 'scrypt', passphrase: input.passphrase });
  if (identities.length === 0)
    throw new SlipVaultError('VALIDATION', 'Reading a backup needs its passphrase or an --identity file.').withMessage('backup.readNeedsKey');
  return identities;
}
