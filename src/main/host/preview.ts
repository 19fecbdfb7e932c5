/**
 * The preview host (docs/architecture.md, "Layers"): the built renderer in an ordinary browser, on a real archive,
 * without Electron. One loopback HTTP server carries
 *
 *   GET  /, /app.js, …                 the built renderer (dist/renderer), plain files only
 *   GET  /blob/<sha256>?token=T        a blob of the open archive (what slipvault-page:// is in Electron)
 *   POST /upload?token=T&name=N        one file the page hands over (a browser cannot give file paths):
 *                                      stored in this run's temp folder (core/uploads/upload-store.ts) until a call used it;
 *                                      answers { path } for documents:import / pages:add
 *   WS   /ws?token=T                   contract calls `{ id, method, input }` → `{ kind: 'result', id, result }`
 *                                      and core events → `{ kind: 'event', event, payload }`; with a
 *                                      `configFolder`, also the `connection:*` calls that point the pages at
 *                                      a SlipVault server instead (server-routing.ts)
 *
 * Safety: binds 127.0.0.1 only; a random per-run token (the page gets it in its URL fragment) is required on
 * everything but the renderer's own static files; Host must name the loopback address we listen on (no DNS
 * rebinding) and Origin must be exactly ours on the WebSocket and on uploads (no other site can drive it).
 * Calls go through the same generic transport as IPC (handleCallMessage + event fan-out), behind the path
 * check (path-grants.ts): the page may name only files it uploaded, and folders under a root the preview
 * was started with (`--folder-root`): it is a development and fallback host without native dialogs, so
 * whoever starts it says which part of the disk a page may use for backups, restores and the hot folder.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { DATABASE_FILE, initArchive, openArchive, type Archive } from '../core/archive';
import type { Method } from '../../shared/contract';
import { handleCallMessage, isCallId, type CallHandler, type CallId } from './transport';
import { MIME_SNIFF_BYTES, sniffMime } from '../../shared/mime';
import { resolveRendererFile } from './renderer-files';
import { openSession } from './session';
import { serveSession } from '../owner/server';
import { guardPaths, namedPaths, PathGrants } from './path-grants';
import { UploadRefused, UploadStore, type UploadLimits } from '../core/uploads/upload-store';
import { isConnectionCall, type ConnectionCall } from '../../shared/server-connection';
import { SlipVaultError } from '../../shared/errors';
import type { EventMessage } from '../../shared/client';
import { KnownServerStore } from '../network/known-servers';
import { handleConnectionCall } from './connection-calls';
import { ServerChoiceFile } from './server-choice';
import { routeConnection, sessionTarget, ServerRouting, type RoutedConnection } from './server-routing';

export const PREVIEW_TOKEN_PARAM = 'token';
/** A contract call is small JSON; anything bigger is not a call. */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

const BLOB_PATH = /^\/blob\/([0-9a-f]{64})$/;

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

export interface PreviewOptions {
  /** The archive folder; created as a new archive when it does not exist or is empty. */
  archiveDir: string;
  /** The built renderer (dist/renderer). */
  rendererRoot: string;
  /** 0 (default) picks a free port. */
  port?: number;
  actor?: string;
  /** Recognise queued pages while the archive is open (default true). */
  backgroundOcr?: boolean;
  /** Folders under which the page may name backup targets, restore folders and the hot folder; none by default. */
  folderRoots?: string[];
  uploadLimits?: UploadLimits;
  /**
   * The OS user's configuration folder (network/known-servers.ts userConfigFolder): where the trusted servers
   * and the remembered server choice live. Without it the pages work on the archive above only.
   */
  configFolder?: string;
}

export interface PreviewHost {
  /** The URL to open, token included (in the fragment, so it never travels in a Referer or a log line). */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly port: number;
  readonly archive: Archive;
  /** The SlipVault server the pages work on now (svs://…), or null for the archive above. */
  readonly server: string | null;
  close(): Promise<void>;
}

/** Opens the archive in `dir`, or creates one there when the folder is missing or empty. */
export async function openOrCreateArchive(dir: string, actor?: string): Promise<Archive> {
  const options = { actor, program: 'SlipVault preview' };
  return existsSync(join(dir, DATABASE_FILE)) ? openArchive(dir, options) : initArchive(dir, options);
}

function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * The request target parsed against our origin, or null when it is not a URL at all (`http://[`): such a
 * request is answered 400, never allowed to throw out of a socket handler and take the host down.
 */
export function parseRequestTarget(target: string | undefined, origin: string): URL | null {
  try {
    return new URL(target ?? '/', origin);
  } catch {
    return null;
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

/** The stored page formats, recognised from their first bytes (blobs carry no name). */
async function mimeOfFile(filePath: string): Promise<string> {
  const handle = await open(filePath, 'r');
  const head = Buffer.alloc(MIME_SNIFF_BYTES);
  try {
    await handle.read(head, 0, MIME_SNIFF_BYTES, 0);
  } finally {
    await handle.close();
  }
  return sniffMime(head);
}

async function streamFile(res: ServerResponse, filePath: string, headers: Record<string, string>): Promise<void> {
  const info = await lstat(filePath);
  if (!info.isFile()) return send(res, 404, 'Not found');
  res.writeHead(200, { ...SECURITY_HEADERS, ...headers, 'Content-Length': info.size });
  await pipeline(createReadStream(filePath), res);
}

/** The server choice remembered in `configFolder`; a damaged file is reported and the pages start on this archive. */
function openRouting(configFolder: string): ServerRouting {
  const choices = new ServerChoiceFile(configFolder);
  let choice = null;
  try {
    choice = choices.read();
  } catch (error) {
    console.error(`[slipvault preview] ${(error as Error).message}`);
  }
  return new ServerRouting(new KnownServerStore(configFolder), choices, choice);
}

export async function startPreviewHost(options: PreviewOptions): Promise<PreviewHost> {
  const archive = await openOrCreateArchive(resolve(options.archiveDir), options.actor);
  const session = openSession(archive, {
    backgroundOcr: options.backgroundOcr,
    onError: (error) => console.error('[slipvault preview] background OCR stopped:', error),
  });
  // The command line and the hot-folder watcher reach the archive through the preview while it runs.
  const ownerServer = await serveSession(session, 'SlipVault preview').catch((error: unknown) => {
    console.error('[slipvault preview] serving the archive to other programs failed:', error);
    return null;
  });
  const token = randomBytes(24).toString('base64url');
  const grants = new PathGrants();
  for (const root of options.folderRoots ?? []) grants.grantFolder(resolve(root));
  const uploads = await UploadStore.create(options.uploadLimits, (path) => grants.revokeFile(path));
  // A connection's calls: paths checked against what the user handed over, an upload removed once the call
  // that named it has finished.
  const callsOf = (target: CallHandler): CallHandler =>
    guardPaths(
      {
        invoke: (method, input) => {
          const files = namedPaths(method as Method, input).filter((named) => named.use === 'file');
          return uploads.use(
            files.map((named) => named.path),
            () => target.invoke(method, input),
          );
        },
      },
      grants,
    );
  const routing = options.configFolder === undefined ? null : openRouting(options.configFolder);
  /** Every open page's routed connection: a page image from a server is read through one that is logged in there. */
  const routes = new Set<RoutedConnection>();
  let origin = '';
  let allowedHosts: string[] = [];

  const hostAllowed = (req: IncomingMessage) => allowedHosts.includes(req.headers.host ?? '');
  const originAllowed = (req: IncomingMessage) => req.headers.origin === origin;

  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!originAllowed(req)) return send(res, 403, 'Uploads are accepted only from the SlipVault preview page.');
    const declared = Number(req.headers['content-length'] ?? NaN);
    try {
      const stored = await uploads.receive(req, url.searchParams.get('name'), Number.isFinite(declared) ? declared : null);
      grants.grantFile(stored.path);
      sendJson(res, 200, stored);
    } catch (error) {
      if (!(error instanceof UploadRefused)) throw error;
      if (!res.headersSent) send(res, error.status, error.message);
    }
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req)) return send(res, 421, 'Wrong host.');
    const url = parseRequestTarget(req.url, origin);
    if (!url) return send(res, 400, 'Bad request target.');
    if (url.pathname === '/upload') {
      if (req.method !== 'POST') return send(res, 405, 'Method not allowed');
      if (!sameSecret(url.searchParams.get(PREVIEW_TOKEN_PARAM), token)) return send(res, 403, 'Forbidden');
      return handleUpload(req, res, url);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    const blob = BLOB_PATH.exec(url.pathname);
    if (blob) {
      if (!sameSecret(url.searchParams.get(PREVIEW_TOKEN_PARAM), token)) return send(res, 403, 'Forbidden');
      const hash = blob[1]!;
      if (routing?.current()) return serveServerBlob(res, hash);
      if (!archive.blobs.has(hash)) return send(res, 404, 'Not found');
      const blobPath = archive.blobs.pathOf(hash);
      return streamFile(res, blobPath, {
        'Content-Type': await mimeOfFile(blobPath),
        'Cache-Control': 'private, max-age=31536000, immutable',
        'Content-Security-Policy': "default-src 'none'; sandbox",
      });
    }
    const file = resolveRendererFile(url.pathname, options.rendererRoot);
    if (!file) return send(res, 404, 'Not found');
    try {
      return await streamFile(res, file.filePath, { 'Content-Type': file.mime, 'Cache-Control': 'no-cache' });
    } catch {
      if (!res.headersSent) send(res, 404, 'Not found');
    }
  }

  const server = createServer((req, res) => {
    handleRequest(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal error');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    // Until ws takes the socket over, a client resetting it must not raise an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const url = parseRequestTarget(req.url, origin);
    if (!url) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const allowed = hostAllowed(req) && url.pathname === '/ws' && originAllowed(req) && sameSecret(url.searchParams.get(PREVIEW_TOKEN_PARAM), token);
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
  });

  /** A page image while the pages work on a server: read there through a logged-in page's connection. */
  async function serveServerBlob(res: ServerResponse, hash: string): Promise<void> {
    for (const route of routes) {
      const bytes = await route.readBlob(hash);
      if (!bytes) continue;
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': sniffMime(bytes.subarray(0, MIME_SNIFF_BYTES)),
        'Content-Length': bytes.length,
        'Cache-Control': 'private, max-age=31536000, immutable',
        'Content-Security-Policy': "default-src 'none'; sandbox",
      });
      res.end(bytes);
      return;
    }
    send(res, 404, 'Not found');
  }

  function localConnection(sendEvent: (message: EventMessage) => void): CallHandler & { close(): void } {
    const connection = session.connect(sendEvent);
    return { invoke: (method, input) => connection.client.invoke(method, input), close: connection.close };
  }

  async function connectionAnswer(routed: RoutedConnection | null, id: CallId, call: ConnectionCall, input: unknown): Promise<{ id: CallId; result: unknown }> {
    if (!routing || !routed) {
      const refusal = new SlipVaultError('FORBIDDEN', 'This preview was started without a configuration folder, so it works on its own archive only.', {
        reason: 'no-server-connections',
      }).withMessage('connection.unavailable', {});
      return { id, result: { ok: false, error: refusal.toPayload() } };
    }
    return { id, result: await handleConnectionCall(routing, routed, call, input) };
  }

  function connect(ws: WebSocket): void {
    // Each page connection logs in by itself: a second tab is not the first tab's user.
    const sendEvent = (message: EventMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'event', ...message }));
    };
    const routed = routing ? routeConnection(routing, { openLocal: () => sessionTarget(session), sendEvent }) : null;
    const connection = routed ?? localConnection(sendEvent);
    if (routed) routes.add(routed);
    const calls = callsOf(connection);
    ws.on('message', (data, isBinary) => {
      let message: unknown = null;
      if (!isBinary) {
        try {
          message = JSON.parse(data.toString());
        } catch {
          message = null;
        }
      }
      const envelope = message as { id?: unknown; method?: unknown; input?: unknown } | null;
      const answered =
        isConnectionCall(envelope?.method) && isCallId(envelope.id)
          ? connectionAnswer(routed, envelope.id, envelope.method, envelope.input)
          : handleCallMessage(calls, message);
      void answered.then((response) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'result', ...response }));
      });
    });
    const closeConnection = () => {
      if (routed) routes.delete(routed);
      connection.close();
    };
    ws.on('close', closeConnection);
    ws.on('error', closeConnection);
  }

  try {
    await new Promise<void>((resolveListen, rejectListen) => {
      server.once('error', rejectListen);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
    });
  } catch (error) {
    await ownerServer?.close();
    await session.close();
    await uploads.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = [`127.0.0.1:${port}`];

  let closed = false;
  return {
    url: `${origin}/#${PREVIEW_TOKEN_PARAM}=${token}`,
    origin,
    token,
    port,
    archive,
    get server() {
      const status = routing?.status();
      return status?.mode === 'server' ? status.server : null;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await ownerServer?.close();
      await session.close();
      await uploads.close();
    },
  };
}
