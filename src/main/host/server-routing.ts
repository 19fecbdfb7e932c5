/**
 * Where a host sends its pages' calls: to this computer's archive, or to a SlipVault server over TLS
 * (docs/server-network.md, "From the desktop app"). Host-neutral — the Electron shell and the preview host
 * both use it — so the renderer never speaks TLS: it keeps talking to its host, and the host forwards the
 * same contract calls and events over the network client the CLI uses (network/remote-client.ts).
 *
 * `ServerRouting` is the host-wide choice, remembered per OS user (server-choice.ts), with the trusted
 * fingerprints in the same known-servers store as the CLI's. Each page gets a `RoutedConnection`: its own
 * connection to wherever the choice points (its own login there), opened on its first call, dropped when
 * the choice changes or the server goes away — the page is then told its session ended, and its next call
 * connects again, checking the pinned fingerprint every time.
 */
import type { CallResult, Method } from '../../shared/contract';
import type { EventMessage } from '../../shared/client';
import { SlipVaultError } from '../../shared/errors';
import type { AuthStatus } from '../../shared/model';
import type { ConnectionStatus, ServerProbe, UploadQueueStatus } from '../../shared/server-connection';
import { normalizeFingerprint, type KnownServerStore } from '../network/known-servers';
import { connectToServer, FingerprintMismatch, probeFingerprint } from '../network/remote-client';
import { formatServerUrl, parseServerUrl, type ServerAddress } from '../network/server-address';
import type { OwnerConnection } from '../owner/framed-client';
import { toErrorPayload } from '../core/error-payload';
import { namedPaths } from './path-grants';
import { readRemoteBlob } from './remote-blobs';
import type { ServerChoice, ServerChoiceFile } from './server-choice';
import type { ArchiveSession } from './session';
import type { CallHandler } from './transport';
// --- issue 20 item 4: offline copies of recently opened documents ---
import { join } from 'node:path';
import type { DocumentDetail, SessionUser, VersionSummary } from '../../shared/model';
import type { OfflineCopies } from '../../shared/server-connection';
import { DEFAULT_OFFLINE_LIMITS, OFFLINE_CACHE_FOLDER, OfflineCaches, type OfflineCacheLimits, type UserCache } from './offline-cache';
import { answerOffline, SENT_ON_OFFLINE } from './offline-mode';
// issue 20 item 4: files on this computer uploaded to the server, or kept while it cannot be reached
import { OFFLINE_QUEUE_FOLDER, OfflineQueue } from './offline-queue';
import { drainQueue, importOverServer } from './server-uploads';
// issue 20 item 4: the workstation's scanner, and pages from this computer, for a page on a server
import { answerOnWorkstation, isWorkstationMethod } from './server-scans';

/** Where one page's calls go: a connection to the local archive or to the server (both shaped like an owner connection). */
export type RouteTarget = Pick<OwnerConnection, 'invoke' | 'onEvent' | 'onClose' | 'close'>;

function badFingerprint(value: string): SlipVaultError {
  return new SlipVaultError('VALIDATION', `"${value}" is not a SHA-256 fingerprint: 32 bytes in hex, e.g. AB:CD:…, as \`slipvault serve\` prints it.`, {
    value,
  }).withMessage('server.badFingerprint', { value });
}

async function connectExpecting(address: ServerAddress, expected: string, refusal: (presented: string) => SlipVaultError): Promise<OwnerConnection> {
  try {
    return await connectToServer(address, expected);
  } catch (error) {
    if (error instanceof FingerprintMismatch) throw refusal(error.presented);
    throw error;
  }
}

export class ServerRouting {
  private choice: ServerChoice | null;
  private readonly listeners = new Set<() => void>();
  /** This OS user's offline copies of the servers it worked on, beside the remembered choice. */
  readonly offlineCaches: OfflineCaches;
  /** Imports kept on this computer while their server could not be reached, beside the remembered choice. */
  readonly queue: OfflineQueue;

  /** `choice`: the remembered one (server-choice.ts), read by the caller so it can report a damaged file. */
  constructor(
    private readonly store: KnownServerStore,
    private readonly choices: ServerChoiceFile,
    choice: ServerChoice | null,
    offlineLimits: OfflineCacheLimits = DEFAULT_OFFLINE_LIMITS,
  ) {
    this.choice = choice;
    this.offlineCaches = new OfflineCaches(join(choices.folder, OFFLINE_CACHE_FOLDER), offlineLimits);
    this.queue = new OfflineQueue(join(choices.folder, OFFLINE_QUEUE_FOLDER));
  }

  status(): ConnectionStatus {
    return this.choice ? { mode: 'server', server: formatServerUrl(this.choice.address), fingerprint: this.choice.fingerprint } : { mode: 'local' };
  }

  /** Hears every change of the choice (a page connected to a server, or went back to this computer's archive). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The fingerprint the server at `server` presents, for the user to compare; nothing of ours is sent to it. */
  async probe(server: string): Promise<ServerProbe> {
    const address = parseServerUrl(server);
    const presented = await probeFingerprint(address);
    return { server: formatServerUrl(address), presented, pinned: this.store.fingerprintOf(address) };
  }

  /**
   * The user compared `fingerprint` with the one the server printed: a connection to the server, made only
   * if it presents exactly that certificate; then it is pinned (for the CLI too) and becomes the choice.
   */
  async trust(server: string, fingerprint: string): Promise<OwnerConnection> {
    const address = parseServerUrl(server);
    const url = formatServerUrl(address);
    const given = normalizeFingerprint(fingerprint);
    if (!given) throw badFingerprint(fingerprint);
    const connection = await connectExpecting(address, given, (presented) =>
      new SlipVaultError(
        'SERVER_NOT_TRUSTED',
        `${url} presented a certificate with the fingerprint ${presented}, but you trusted ${given}. Nothing was sent to it. Compare again with the fingerprint \`slipvault serve\` printed on the server.`,
        { server: url, reason: 'fingerprint-mismatch', expected: given, presented },
      ).withMessage('server.fingerprintMismatch', { server: url, given, presented }),
    );
    try {
      if (this.store.fingerprintOf(address) !== given) this.store.trust(address, given);
      this.choices.remember({ address, fingerprint: given });
    } catch (error) {
      connection.close();
      throw error;
    }
    this.change({ address, fingerprint: given });
    return connection;
  }

  /** Back to this computer's archive; the server stays trusted. */
  useLocal(): void {
    this.choices.forget();
    this.change(null);
  }

  /** A new connection to the chosen server, which must present the certificate this computer trusts for it. */
  connectChosen(choice: ServerChoice): Promise<OwnerConnection> {
    const url = formatServerUrl(choice.address);
    // The store is shared with the CLI: a fingerprint re-pinned there (`--fingerprint NEW`) counts here too.
    const pinned = this.store.fingerprintOf(choice.address) ?? choice.fingerprint;
    return connectExpecting(choice.address, pinned, (presented) =>
      new SlipVaultError(
        'SERVER_NOT_TRUSTED',
        `The certificate of ${url} has changed: this computer trusts ${pinned}, but the server presented ${presented}. Nothing was sent to it. Either the certificate was replaced, or something else answers at that address; ask the administrator for the fingerprint \`slipvault serve\` prints now, and only if it is the new one, connect again in Settings → Server.`,
        { server: url, reason: 'fingerprint-changed', pinned, presented },
      ).withMessage('server.certificateChanged', { server: url, pinned, presented }),
    );
  }

  current(): ServerChoice | null {
    return this.choice;
  }

  private change(choice: ServerChoice | null): void {
    this.choice = choice;
    for (const listener of [...this.listeners]) listener();
  }
}

/** A page's connection to the archive session open in this process (the preview host's own archive). */
export function sessionTarget(session: ArchiveSession): RouteTarget {
  const listeners = new Set<(message: EventMessage) => void>();
  const connection = session.connect((message) => {
    for (const listener of [...listeners]) listener(message);
  });
  return {
    invoke: (method, input) => connection.client.invoke(method, input),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // The session outlives every page: a local connection ends only when the page drops it.
    onClose: () => () => undefined,
    close: () => connection.close(),
  };
}

function localPathRefused(method: Method, path: string, server: string): CallResult<Method> {
  const error = new SlipVaultError(
    'FORBIDDEN',
    `${method} names ${path}, a file or folder on this computer, but this window works on the server ${server}, which would look for it on its own disk; nothing was sent. Put the files in a folder the server imports from (its hot folder or a --folder-root share), or use this computer's archive (Settings → Server).`,
    { method, path, server, reason: 'local-path-over-network' },
  ).withMessage('connection.localPath', { path, server });
  return { ok: false, error: error.toPayload() };
}

/** Whether the page is logged in after this answer, or unchanged (`null`) when the answer does not say. */
function loginAfter(method: Method, result: CallResult<Method>): boolean | null {
  if (method === 'auth:logout') return false;
  if (!result.ok) return result.error.code === 'UNAUTHENTICATED' ? false : null;
  if (method === 'auth:login' || method === 'auth:setup') return true;
  if (method === 'auth:status') return (result.value as AuthStatus).user !== null;
  return null;
}

export interface RoutedConnection extends CallHandler {
  /** Connects this page to the server with the fingerprint the user compared, and keeps that connection. */
  trust(server: string, fingerprint: string): Promise<ConnectionStatus>;
  /** A page image of the server's archive through this page's login there; null when it has none (or is not on a server). */
  readBlob(sha256: string): Promise<Buffer | null>;
  /** The offline queue of the server the page works on: sends it through this page's login (all, or the one `id`, refused before or not). */
  retryQueued(id?: string): Promise<UploadQueueStatus>;
  removeQueued(id: string): Promise<UploadQueueStatus>;
  queueStatus(): UploadQueueStatus;
  close(): void;
  // --- issue 20 item 4: offline copies of recently opened documents ---
  /** The routing's status, with who may read the offline copies of its server and whether this page does. */
  status(): ConnectionStatus;
  /** While the server cannot be reached: this page reads the offline copies of `username`, opened with their password. */
  openOffline(username: string, password: string): Promise<OfflineCopies>;
  /** Back to the server: the next call connects to it again. */
  closeOffline(): ConnectionStatus;
}

interface Attached {
  target: RouteTarget;
  choice: ServerChoice | null;
  detach: () => void;
}

/**
 * One page's calls, routed: `openLocal` makes its connection to this computer's archive; `sendEvent` pushes
 * events to the page — the archive's, and `session:locked` when its login went with a change of archive (a server
 * gone away leaves the window open: see `drop`).
 */
export function routeConnection(
  routing: ServerRouting,
  options: { openLocal: () => RouteTarget; sendEvent: (message: EventMessage) => void },
): RoutedConnection {
  let attached: Attached | null = null;
  let opening: Promise<Attached> | null = null;
  let loggedIn = false;
  let closed = false;
  /** The logged-in user's offline copies, kept up to date with what the server answers this page. */
  let recorder: UserCache | null = null;
  /** Set while this page reads the offline copies instead of the server. */
  let offline: { cache: UserCache; server: string } | null = null;

  const drop = (reason: 'connection-changed' | 'connection-lost') => {
    const previous = attached;
    attached = null;
    opening = null;
    previous?.detach();
    previous?.target.close();
    if (loggedIn) {
      loggedIn = false;
      // A server gone away does not lock the window (issue 20 item 4): the clerk keeps working, imports are queued
      // on this computer, and the next call made once the server is back is refused as not logged in.
      if (reason === 'connection-changed') options.sendEvent({ event: 'session:locked', payload: { reason } });
    }
  };

  const attach = (target: RouteTarget, choice: ServerChoice | null): Attached => {
    const stopEvents = target.onEvent(options.sendEvent);
    const stopClose = target.onClose(() => {
      if (attached?.target === target) drop('connection-lost');
    });
    attached = {
      target,
      choice,
      detach: () => {
        stopEvents();
        stopClose();
      },
    };
    return attached;
  };

  /** Each copy a page holds is held in `routing.offlineCaches` too, so its key is forgotten once no page holds it. */
  const keepFor = (next: UserCache | null) => {
    const previous = recorder;
    recorder = next;
    if (previous) routing.offlineCaches.release(previous);
  };
  const readOffline = (next: { cache: UserCache; server: string } | null) => {
    const previous = offline;
    offline = next;
    if (previous) routing.offlineCaches.release(previous.cache);
  };

  const stopWatching = routing.onChange(() => {
    keepFor(null);
    readOffline(null);
    drop('connection-changed');
  });

  /** Keeps the server's answers to the document screen's reads in the logged-in user's offline copies. */
  const keepOfflineCopy = async (method: Method, input: unknown, result: CallResult<Method>, choice: ServerChoice | null): Promise<void> => {
    if (!choice) return;
    if (loginAfter(method, result) === false) keepFor(null);
    if (!result.ok) return;
    if (method === 'auth:login' || method === 'auth:setup') {
      const { password } = input as { password: string };
      keepFor(await routing.offlineCaches.afterLogin(choice.fingerprint, result.value as SessionUser, password));
    } else if (method === 'auth:changePassword' && recorder) {
      // Copies sealed with the old password would open only with it from now on: they start afresh under the new one.
      const { newPassword } = input as { newPassword: string };
      keepFor(await routing.offlineCaches.afterLogin(choice.fingerprint, recorder.user, newPassword));
    } else if (method === 'documents:get') {
      await recorder?.recordDocument(result.value as DocumentDetail);
    } else if (method === 'documents:history') {
      await recorder?.recordHistory((input as { ref: number | string }).ref, result.value as VersionSummary[]);
    }
  };

  const offlineCopies = (cache: UserCache, server: string): OfflineCopies => ({
    server,
    user: cache.user,
    copiedAt: cache.newestCopy(),
    documents: cache.documents(),
  });

  const ensure = (): Promise<Attached> => {
    const choice = routing.current();
    if (attached && attached.choice === choice) return Promise.resolve(attached);
    if (attached) drop('connection-changed');
    if (!choice) return Promise.resolve(attach(options.openLocal(), null));
    opening ??= routing.connectChosen(choice).then(
      (connection) => {
        opening = null;
        if (closed) {
          connection.close();
          throw new SlipVaultError('CONFLICT', 'The page was closed before its connection to the server was made; nothing was sent.', {
            reason: 'page-closed',
          }).withMessage('connection.pageClosed', {});
        }
        if (routing.current() !== choice) {
          // The user chose another archive while this connection was being made: the call goes there instead.
          connection.close();
          return ensure();
        }
        return attach(connection, choice);
      },
      (error: unknown) => {
        opening = null;
        throw error;
      },
    );
    return opening;
  };

  const chosenServer = () => {
    const choice = routing.current();
    return choice ? formatServerUrl(choice.address) : null;
  };
  /** Sends the chosen server's queue through this page when it is logged in there; never throws (a refusal stays on its item). */
  const drain = async (): Promise<void> => {
    const server = chosenServer();
    const route = attached;
    if (!server || !route || route.choice === null || !loggedIn) return;
    await drainQueue((method, input) => route.target.invoke(method, input), routing.queue, server);
  };

  async function forward(method: Method, input: unknown): Promise<CallResult<Method>> {
    let route: Attached;
    try {
      route = await ensure();
    } catch (error) {
      // Unreachable, refused certificate, or (unexpected) a configuration file that cannot be read: said, never thrown.
      return { ok: false, error: toErrorPayload(error) };
    }
    const result = await route.target.invoke(method, input);
    const after = loginAfter(method, result);
    if (after !== null && attached === route) {
      const cameIn = after && !loggedIn;
      loggedIn = after;
      // Logged in on the server again: what waited on this computer goes first, in the order it was made.
      // A drain that fails on this computer's disk leaves its items queued for the next login or Retry.
      if (cameIn && route.choice !== null) void drain().catch(() => undefined);
    }
    if (attached === route) {
      // A copy that cannot be kept (a full disk) costs the offline reading of this answer, never the answer.
      await keepOfflineCopy(method, input, result, route.choice).catch(() => undefined);
    }
    return result;
  }

  return {
    async invoke(name, input) {
      const method = name as Method;
      const choice = routing.current();
      if (offline && !SENT_ON_OFFLINE.has(method)) {
        const answer = await answerOffline(offline.cache, offline.server, method, input);
        if (method === 'auth:logout') readOffline(null);
        return answer;
      }
      if (choice && isWorkstationMethod(method)) {
        // Scanned here and sent (or kept while the server cannot be reached), through this page's login there.
        return answerOnWorkstation({ invoke: forward, server: formatServerUrl(choice.address), queue: routing.queue }, method, input);
      }
      const named = choice ? namedPaths(method, input)[0] : undefined;
      if (choice && named) {
        const server = formatServerUrl(choice.address);
        // A file to import is sent to the server (or kept here while it cannot be reached); other paths stay refused.
        if (method === 'documents:import') return importOverServer(forward, (input as { paths: string[] }).paths, server, routing.queue);
        return localPathRefused(method, named.path, server);
      }
      return forward(method, input);
    },
    queueStatus: () => routing.queue.status(chosenServer()),
    async retryQueued(id) {
      const server = chosenServer();
      const items = id === undefined ? routing.queue.list(server) : [routing.queue.find(server, id)];
      for (const item of items) if (item.refusal !== null) await routing.queue.setRefusal(item, null);
      await drain();
      return routing.queue.status(server);
    },
    async removeQueued(id) {
      const server = chosenServer();
      await routing.queue.remove(routing.queue.find(server, id));
      return routing.queue.status(server);
    },
    async readBlob(sha256) {
      if (offline) return offline.cache.pageImage(sha256);
      const route = attached;
      if (!route || route.choice === null || !loggedIn) return null;
      const bytes = await readRemoteBlob((method, input) => route.target.invoke(method, input), sha256);
      if (bytes) await recorder?.recordPageImage(sha256, bytes).catch(() => undefined);
      return bytes;
    },
    status() {
      const status = routing.status();
      const choice = routing.current();
      if (status.mode === 'local' || !choice) return status;
      const offlineUser = routing.offlineCaches.lastUser(choice.fingerprint);
      return {
        ...status,
        ...(offlineUser === null ? {} : { offlineUser }),
        ...(offline ? { offline: offlineCopies(offline.cache, offline.server) } : {}),
      };
    },
    async openOffline(username, password) {
      const choice = routing.current();
      if (!choice) {
        throw new SlipVaultError('CONFLICT', 'This window works on this computer’s archive: there is no server to read offline copies of.', {
          reason: 'not-on-a-server',
        }).withMessage('offline.notOnServer', {});
      }
      const server = formatServerUrl(choice.address);
      const cache = await routing.offlineCaches.unlockOffline(choice.fingerprint, server, username, password);
      // The page's session on the server, if any, is not the offline reader's: it ends here.
      drop('connection-changed');
      keepFor(null);
      readOffline({ cache, server });
      return offlineCopies(cache, server);
    },
    closeOffline() {
      readOffline(null);
      return this.status();
    },
    async trust(server, fingerprint) {
      const connection = await routing.trust(server, fingerprint);
      if (closed) {
        connection.close();
      } else {
        attach(connection, routing.current());
      }
      return routing.status();
    },
    close() {
      closed = true;
      stopWatching();
      keepFor(null);
      readOffline(null);
      const previous = attached;
      attached = null;
      previous?.detach();
      previous?.target.close();
    },
  };
}
