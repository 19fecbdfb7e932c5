/**
 * A program's connection to the running owner of an archive: reads the owner's secret from the file the
 * lock holder names, presents it, then carries contract calls and receives events over the socket.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { SlipVaultError } from '../../shared/errors';
import { describeHolder, type LockHolder, type OwnerEndpoint } from '../core/lock';
import { startFramedClient, type OwnerConnection } from './framed-client';
import type { HelloFrame } from './protocol';

export type { OwnerConnection } from './framed-client';

export type ServingHolder = LockHolder & OwnerEndpoint;

export function isServing(holder: LockHolder | null): holder is ServingHolder {
  return typeof holder?.socket === 'string' && typeof holder.secretFile === 'string';
}

function readSecret(archiveDir: string, holder: ServingHolder): string {
  try {
    return readFileSync(holder.secretFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? `this OS user may not read its secret file ${holder.secretFile}: the owner runs as another user`
        : `its secret file ${holder.secretFile} cannot be read (${code ?? 'unknown error'})`;
    throw new SlipVaultError('ARCHIVE_IN_USE', `The archive ${archiveDir} is served by ${describeHolder(holder)}, but ${why}.`, {
      archive: archiveDir,
      reason: 'owner-secret-unreadable',
    }).withMessage('owner.secretUnreadable', { archive: archiveDir });
  }
}

function openSocket(archiveDir: string, holder: ServingHolder): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(holder.socket);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new SlipVaultError(
          'ARCHIVE_IN_USE',
          `The archive ${archiveDir} is held by ${describeHolder(holder)}, but its socket ${holder.socket} does not answer (${error.code ?? error.message}). Try again; if it persists, that program is stuck: end it.`,
          { archive: archiveDir, reason: 'owner-not-answering' },
        ).withMessage('owner.notAnswering', { archive: archiveDir }),
      );
    });
  });
}

export async function connectToOwner(archiveDir: string, holder: ServingHolder): Promise<OwnerConnection> {
  const secret = readSecret(archiveDir, holder);
  const socket = await openSocket(archiveDir, holder);
  const hello: HelloFrame = { kind: 'hello', secret };
  return startFramedClient(socket, hello, {
    gone: (method, sent) => ({
      code: 'CONFLICT',
      message: sent
        ? `The owner of ${archiveDir} (${describeHolder(holder)}) stopped before answering ${method}. Check what was stored (\`slipvault list\`) and run the command again.`
        : `The owner of ${archiveDir} (${describeHolder(holder)}) has stopped; ${method} was not sent.`,
      details: { reason: sent ? 'owner-gone' : 'owner-closed', method },
    }),
    notAnOwner: () =>
      new SlipVaultError('ARCHIVE_IN_USE', `${holder.socket} did not answer as a SlipVault owner.`, {
        archive: archiveDir,
        reason: 'not-an-owner',
      }).withMessage('owner.notAnOwner', { archive: archiveDir }),
    closedBeforeWelcome: () =>
      new SlipVaultError('ARCHIVE_IN_USE', `The owner of ${archiveDir} (${describeHolder(holder)}) closed the connection before accepting it.`, {
        archive: archiveDir,
        reason: 'owner-gone',
      }).withMessage('owner.closedConnection', { archive: archiveDir }),
  });
}
