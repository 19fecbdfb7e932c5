/**
 * Where a host keeps the passphrase of an archive's scheduled backups: never in the archive (whoever holds
 * the archive folder would then hold the key to its backups). The desktop shell keeps it in the OS keychain
 * (src/main/shell/backup-keychain.ts); `slipvault serve`, the preview host and the CLI read it from the
 * environment.
 */
import { SlipVaultError } from '../../../shared/errors';

const PASSPHRASE_VARIABLE = 'SLIPVAULT_BACKUP_PASSPHRASE';

export interface SecretStore {
  /** Named in messages: where the passphrase is looked for. */
  readonly place: string;
  passphrase(archiveId: string): Promise<string | null>;
  savePassphrase(archiveId: string, passphrase: string): Promise<void>;
}

/** The passphrase of a process started with SLIPVAULT_BACKUP_PASSPHRASE set; nothing can be saved. */
export function environmentSecretStore(env: NodeJS.ProcessEnv = process.env): SecretStore {
  return {
    place: `the environment variable ${PASSPHRASE_VARIABLE}`,
    passphrase: () => Promise.resolve(env[PASSPHRASE_VARIABLE] || null),
    savePassphrase: () =>
      Promise.reject(
        new SlipVaultError(
          'VALIDATION',
          `This SlipVault host has no keychain to keep the passphrase in: start it with ${PASSPHRASE_VARIABLE} set, or save the passphrase in the desktop app.`,
          { reason: 'no-keychain' },
        ).withMessage('backup.noKeychain'),
      ),
  };
}
