/**
 * One open archive as a UI host holds it (the Electron shell and the preview host alike): the handler
 * table plus the work that runs by itself while the archive is open (background OCR, the remembered hot
 * folder). close() stops that
 * work cleanly before the archive — and its writer lock — is released.
 */
import { createApi, type Api } from '../core/api';
import type { Archive } from '../core/archive';
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
}

const NO_BACKGROUND: BackgroundOcr = { kick: () => undefined, idle: async () => undefined, stop: async () => undefined };

export function openSession(archive: Archive, options: SessionOptions = {}): ArchiveSession {
  const api = createApi(archive);
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
