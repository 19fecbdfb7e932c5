/**
 * The owner process (bundled to dist/main/owner.cjs): opens one archive — or creates it, with --create —
 * holds its writer lock, runs its background work (OCR, the remembered hot folder, scheduled backups) and
 * serves it on the owner socket until the process that started it says stop, the OS says SIGTERM or
 * SIGINT, or that process goes away. Started by launcher.ts, as a Node child process or an Electron utility
 * process; which of the two it is only changes the channel to its starter (starter-channel.ts).
 *
 *   owner.cjs <archive folder> --program NAME [--create] [--secrets-from-starter PLACE]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SlipVaultError } from '../../shared/errors';
import { initArchive, openArchive, type Archive } from '../core/archive';
import { toErrorPayload } from '../core/error-payload';
import { readLockHolder } from '../core/lock';
import { archiveLog } from '../core/logging/logger';
import { openSession } from '../host/session';
import { isServing } from './client';
import { OWNER_OPTIONS } from './launch-protocol';
import { serveSession } from './server';
import { starterChannel, starterSecretStore } from './starter-channel';

const channel = starterChannel();

function readArguments(): { dir: string; program: string; create: boolean; secretsPlace: string | null } {
  const { values, positionals } = parseArgs({
    options: {
      [OWNER_OPTIONS.program]: { type: 'string' },
      [OWNER_OPTIONS.create]: { type: 'boolean', default: false },
      [OWNER_OPTIONS.secretsFromStarter]: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [dir] = positionals;
  const program = values[OWNER_OPTIONS.program];
  if (positionals.length !== 1 || !dir || typeof program !== 'string' || program === '') {
    throw new SlipVaultError('VALIDATION', 'The owner process needs exactly one archive folder and --program NAME.').withMessage('owner.badArguments');
  }
  const place = values[OWNER_OPTIONS.secretsFromStarter];
  return { dir: resolve(dir), program, create: values[OWNER_OPTIONS.create] === true, secretsPlace: typeof place === 'string' && place !== '' ? place : null };
}

async function main(): Promise<void> {
  const { dir, program, create, secretsPlace } = readArguments();
  const archive: Archive = create ? await initArchive(dir, { program }) : await openArchive(dir, { program });
  const log = archiveLog(archive.dir);
  const session = openSession(archive, {
    onError: (error) => log.error({ err: error }, 'background work of the owner stopped'),
    ...(secretsPlace ? { secrets: starterSecretStore(channel, secretsPlace) } : {}),
  });
  let server;
  try {
    server = await serveSession(session, program);
  } catch (error) {
    await session.close();
    throw error;
  }
  const holder = readLockHolder(archive.dir);
  if (!isServing(holder) || holder.pid !== process.pid) {
    throw new SlipVaultError('INTERNAL', `The owner of ${archive.dir} serves it but its holder file does not say so.`).withMessage('owner.holderMismatch', {
      archive: archive.dir,
    });
  }
  // Listening for stop before saying ready: the starter may stop the owner the moment it reads that, and a
  // SIGTERM with no listener ends the process without closing.
  const stopRequested = new Promise<void>((stopped) => {
    channel.onStop(stopped);
    process.once('SIGTERM', () => stopped());
    process.once('SIGINT', () => stopped());
  });
  log.info({ program, socket: holder.socket }, 'owner process serving');
  await channel.post({ kind: 'ready', holder });
  await stopRequested;
  try {
    await server.close();
  } finally {
    await session.close();
  }
  log.info({ program }, 'owner process stopped');
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    await channel.post({ kind: 'failed', error: toErrorPayload(error) });
    process.exit(1);
  },
);
