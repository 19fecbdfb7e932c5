/**
 * The two custom protocols, as plain functions of a URL (no electron import, so tests run them directly):
 *
 *   app://slipvault/<file>              the built renderer, only files under dist/renderer, with the CSP header
 *   slipvault-page://blob/<sha256>      a blob of the open archive, by hash only, MIME sniffed from its bytes
 *
 * Anything not matched exactly is a 404. Files are streamed (fs stream → web stream), never fetched through
 * a file:// URL, so no request can be redirected out of the directory it is meant for.
 */
import { createReadStream } from 'node:fs';
import { lstat, open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { APP_ORIGIN, APP_HOST, APP_SCHEME, PAGE_HOST, PAGE_SCHEME, contentSecurityPolicy } from './constants';
import { MIME_SNIFF_BYTES, sniffMime } from '../../shared/mime';
import { resolveRendererFile, type RendererFile } from '../host/renderer-files';

// --- responses ------------------------------------------------------------------------------------------

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export function notFound(): Response {
  return new Response('Not found', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...COMMON_HEADERS },
  });
}

export function methodNotAllowed(): Response {
  return new Response('Method not allowed', {
    status: 405,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET', ...COMMON_HEADERS },
  });
}

function streamFile(filePath: string, size: number, headers: Record<string, string>): Response {
  const body = Readable.toWeb(createReadStream(filePath)) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, {
    status: 200,
    headers: { ...COMMON_HEADERS, ...headers, 'Content-Length': String(size) },
  });
}

// --- app:// -----------------------------------------------------------------------------------------------

/**
 * Maps an app:// URL to a file under `rendererRoot`, or null. The raw path must consist of plain segments
 * (no percent-encoding, backslashes, empty or dot segments); `/` means index.html. Query and fragment are
 * ignored. The resolved path is checked to stay under the root.
 */
export function resolveAppRequest(url: string, rendererRoot: string): RendererFile | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  if (parsed.username || parsed.password || parsed.port) return null;
  return resolveRendererFile(parsed.pathname || '/', rendererRoot);
}

/** Serves one app:// request: the file with its MIME type and the CSP header, or 404. */
export async function serveAppRequest(url: string, rendererRoot: string): Promise<Response> {
  const file = resolveAppRequest(url, rendererRoot);
  if (!file) return notFound();
  try {
    // lstat: a symbolic link is not a regular file, so a link placed in the build cannot point outside it.
    const info = await lstat(file.filePath);
    if (!info.isFile()) return notFound();
    return streamFile(file.filePath, info.size, {
      'Content-Type': file.mime,
      'Content-Security-Policy': contentSecurityPolicy,
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-cache',
    });
  } catch {
    return notFound();
  }
}

// --- slipvault-page:// ------------------------------------------------------------------------------------

/** The blob store of the open archive, as far as the page protocol needs it. */
export interface BlobLookup {
  has(hash: string): boolean;
  pathOf(hash: string): string;
}

/** The whole URL, exactly: scheme, host `blob`, one path segment of 64 lowercase hex digits, nothing else. */
const PAGE_URL = new RegExp(`^${PAGE_SCHEME}://${PAGE_HOST}/([0-9a-f]{64})$`);

export interface PageFile {
  hash: string;
  filePath: string;
}

/**
 * Maps a slipvault-page:// URL to the file of a blob the open archive holds, or null. The URL is matched as
 * a raw string, so `..`, absolute paths, percent-encoding, uppercase or short hashes, queries and fragments
 * never reach the blob store.
 */
export function resolvePageRequest(url: string, blobs: BlobLookup | null | undefined): PageFile | null {
  if (typeof url !== 'string' || !blobs) return null;
  const match = PAGE_URL.exec(url);
  const hash = match?.[1];
  if (!hash) return null;
  try {
    if (!blobs.has(hash)) return null;
    return { hash, filePath: blobs.pathOf(hash) };
  } catch {
    return null;
  }
}

/** Recognises the page formats SlipVault stores from their first bytes; anything else is octet-stream. */
async function readHead(filePath: string, length: number): Promise<Uint8Array> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Serves one slipvault-page:// request from the open archive's blobs, or 404. */
export async function servePageRequest(url: string, blobs: BlobLookup | null | undefined): Promise<Response> {
  const page = resolvePageRequest(url, blobs);
  if (!page) return notFound();
  try {
    const info = await stat(page.filePath);
    if (!info.isFile()) return notFound();
    const mime = sniffMime(await readHead(page.filePath, MIME_SNIFF_BYTES));
    return streamFile(page.filePath, info.size, {
      'Content-Type': mime,
      // Content-addressed: the bytes behind a hash never change.
      'Cache-Control': 'private, max-age=31536000, immutable',
      'Access-Control-Allow-Origin': APP_ORIGIN,
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
  } catch {
    return notFound();
  }
}

/**
 * Serves one slipvault-page:// request while the window works on a server: the page image is read there
 * (host/remote-blobs.ts, which checks the bytes against the hash), or 404.
 */
export async function serveServerPageRequest(url: string, read: (hash: string) => Promise<Uint8Array | null>): Promise<Response> {
  const hash = typeof url === 'string' ? PAGE_URL.exec(url)?.[1] : undefined;
  if (!hash) return notFound();
  const bytes = await read(hash).catch(() => null);
  if (!bytes) return notFound();
  return new Response(new Uint8Array(bytes), {
    status: 200,
    headers: {
      ...COMMON_HEADERS,
      'Content-Type': sniffMime(bytes.subarray(0, MIME_SNIFF_BYTES)),
      'Content-Length': String(bytes.length),
      'Cache-Control': 'private, max-age=31536000, immutable',
      'Access-Control-Allow-Origin': APP_ORIGIN,
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  });
}

/** Only GET reaches the file servers. */
export function isReadMethod(method: string): boolean {
  return method === 'GET';
}
