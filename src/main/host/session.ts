/**
 * One open archive as an owner holds it (the Electron shell, the preview host, `slipvault serve` and a
 * command that opened the archive itself alike): the handler table, the fan-out of core events to every
 * connection, and the work that runs by itself while the archive is open (background OCR, the remembered
 * hot folder, scheduled backups). close() stops that work cleanly before the archive — and its writer lock —
 * is released.
 */
import { createApi, type Api, type ApiClient } from '../core/api';
import type { Archive } from '../core/archive';
import { BackupScheduler } from '../core/backup/schedule';
import { environmentSecretStore, type SecretStore } from '../core/backup/secret-store';
import { startBackgroundOcr, type BackgroundOcr } from './background-ocr';
import { createEventFanout, type EventMessage } from './transport';

/** One connection (a window, a WebSocket, a socket client) to the session: its own login, its own events. */
export interface SessionConnection {
  readonly client: ApiClient;
  /** Stops its events; the login ends with the connection. */
  close(): void;
}

export interface ArchiveSession {
  readonly archive: Archive;
  readonly api: Api;
  readonly ocr: BackgroundOcr;
  /** A new connection; `sendEvent` gets core events once (and while) the connection is logged in. */
  connect(sendEvent: (message: EventMessage) => void): SessionConnection;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Off for hosts that must not start OCR workers (a single command, tests of the transport itself). */
  backgroundOcr?: boolean;
  /** Off for a single command, which does only what it was asked. */
  resumeHotFolder?: boolean;
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
  const fanout = createEventFanout();
  fanout.attach(archive.events);
  const rememberedHotFolder = options.resumeHotFolder === false ? null : archive.settings.get().hotFolderPath;
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
    connect(sendEvent) {
      const client = api.connect();
      const removeSink = fanout.addSink((message) => {
        // Events name documents: a connection hears them only once it has logged in.
        if (client.user() !== null) sendEvent(message);
      });
      return { client, close: removeSink };
    },
    close() {
      closing ??= (async () => {
        try {
          await backups.stop();
          fanout.close();
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
