/**
 * Which places on the server a network client may name in a call. A path in a call is read or written by
 * the server process on the server's disk, not on the client's, so over the network nothing outside the
 * folders the server was started with (`serve --folder-root DIR`) may be named — not a file to import, not
 * a backup target. A CLI on the server's own machine uses the local socket and is not limited.
 */
import { isAbsolute, sep } from 'node:path';
import type { CallResult, Method } from '../../shared/contract';
import { SlipVaultError } from '../../shared/errors';
import { canonicalPath, namedPaths } from '../host/path-grants';
import type { CallHandler } from '../host/transport';

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

export function guardServerPaths(handler: CallHandler, folderRoots: readonly string[]): CallHandler {
  const roots = folderRoots.map(canonicalPath);
  return {
    invoke(method, input) {
      const typed = method as Method;
      const outside = namedPaths(typed, input).find((named) => !isAbsolute(named.path) || !roots.some((root) => inside(canonicalPath(named.path), root)));
      if (!outside) return handler.invoke(method, input);
      const where =
        roots.length === 0
          ? 'this server was started without --folder-root, so network clients may name no path on it'
          : `network clients may name only paths under ${roots.join(', ')} on the server`;
      const message = `${outside.path} is a path on the server's disk, and ${where}. Files on your own computer are not sent by ${method}.`;
      const details = { method, path: outside.path, reason: 'path-outside-server-roots' };
      const refusal =
        roots.length === 0
          ? new SlipVaultError('FORBIDDEN', message, details).withMessage('server.noFolderRoot', { path: outside.path })
          : new SlipVaultError('FORBIDDEN', message, details).withMessage('server.pathOutsideRoots', { path: outside.path, roots: roots.join(', ') });
      return Promise.resolve({ ok: false, error: refusal.toPayload() } satisfies CallResult<Method>);
    },
  };
}
