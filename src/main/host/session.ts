/**
 * One open archive as a UI host holds it (the Electron shell and the preview host alike): the handler
 * table plus the work that runs by itself while the archive is open (background OCR, the remembered hot
 * folder, scheduled backups). close() stops that
 * work cleanly before the archive — and its writer lock — is released.
 */
import { createApi, type Api } from '../core/api';
import type { Archive } from '../core/archive';
import { BackupScheduler } from '../core/backup/schedule';
import { environmentSecretStore, type SecretStore } from '../core/backup/secret-store';
import { startBackgroundOcr, type BackgroundOcr } from './background-ocr';

export interface ArchiveSession {
  readonly archive: Archive;
  readonly api: Api;
  readonly ocr: BackgroundOcr;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Off only for hosts that must not start OCR workers (tests of the transport itself). */
  backgroundOcr?: boolean;
  onError?: (error: unknown) => void;
  /** Where the scheduled backups' passphrase is kept (the desktop shell: the OS keychain). */
  secrets?: SecretStore;
}

const NO_BACKGROUND: BackgroundOcr = { kick: () => undefined, idle: async () => undefined, stop: async () => undefined };

export function openSession(archive: Archive, options: SessionOptions = {}): ArchiveSession {
  const secrets = options.secrets ?? environmentSecretStore();
  const api = createApi(archive, { secrets });
  const backups = new BackupScheduler(archive, { secrets, ...(options.onError ? { onError: options.onError } : {}) });
  backups.start();
  const ocr = options.backgroundOcr === false ? NO_BACKGROUND : startBackgroundOcr(archive, { onError: options.onError });
  const rememberedHotFolder = archive.settings.get().hotFolderPath;
  if (rememberedHotFolder) {
    // A folder that has gone (an unplugged share) must not keep the archive from opening: report and go on.
    api.resumeHotFolder(rememberedHotFolder).catch((error: unknown) => {
      options.onError?.(new Error(`Hot folder ${rememberedHotFolder} not watched: ${error instanceof Error ? error.message : String(error)}`));
    });
  }
  let closing: Promise<void> | null = null;
  return {
    archive,
    api,
    ocr,
    close() {
      closing ??= (async () => {
        try {
          await backups.stop();
          await api.dispose();
          await ocr.stop();
        } finally {
          archive.close();
        }
      })();
      return closing;
    },
  };
}
