/**
 * Where files the main process loads by path live, from the sources, the dist/ bundles and the packaged
 * app alike. Packaged, electron-builder puts the app into resources/app.asar and the files matched by
 * electron-builder.yml's asarUnpack into resources/app.asar.unpacked under the same relative paths.
 * No electron import (the core also runs in plain Node): the location comes from the running bundle's own
 * path, which is what __dirname / process.resourcesPath would give.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlipVaultError } from '../../shared/errors';

/** A path segment named exactly app.asar (either separator), not app.asar.unpacked or my-app.asar. */
const ASAR_SEGMENT = /([\\/])app\.asar(?=[\\/]|$)/;

/**
 * The real on-disk path of a file that asarUnpack keeps out of app.asar; any other path unchanged. Inside
 * Electron, fs and require read such a file through its app.asar path transparently, but nothing outside
 * Electron's patched fs does: the OS following a symlink, a child process, a native library. Those must be
 * given this path (https://github.com/electron/electron/issues/9459, electron-builder#1120).
 */
export function unpackedPath(file: string): string {
  return file.replace(ASAR_SEGMENT, '$1app.asar.unpacked');
}

/** The worker threads SlipVault starts, by the file scripts/build.mjs writes to dist/workers/. */
export const WORKER_SCRIPTS = {
  backup: 'backup-worker.cjs',
  reindex: 'reindex-worker.cjs',
  // PP-OCR's reading threads (ocr/paddle-pool.ts).
  paddle: 'paddle-worker.cjs',
} as const;

export type WorkerScript = keyof typeof WORKER_SCRIPTS;

/**
 * The built script of a worker thread: next to a bundle it is ../workers/ (dist/cli, dist/main,
 * dist/preview); from the sources (tests) it is the checkout's dist/workers/, which the test setup builds.
 *
 * Packaged, the script stays inside app.asar on purpose. Electron initialises its asar support in
 * worker_threads since v18 (electron/electron#33216, which fixed #22446 "Unable to use files from app.asar
 * in worker_threads"), so the worker and the packages it requires load from the archive and are covered by
 * its integrity check. Unpacking the script would break it: Node resolves a script's `require`s from its
 * own folder upwards, and app.asar.unpacked/node_modules holds only the unpacked packages (no drizzle-orm,
 * no `bindings` for better-sqlite3). tests/unit/packaging.test.ts holds electron-builder.yml to this.
 */
export function workerScriptPath(name: WorkerScript): string {
  const file = WORKER_SCRIPTS[name];
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', 'workers', file), join(here, '..', '..', '..', 'dist', 'workers', file)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found)
    throw new SlipVaultError('INTERNAL', `The ${name} worker ${file} is missing; run \`npm run build\`.`, { candidates }).withMessage('install.workerMissing', {
      file,
    });
  return found;
}
