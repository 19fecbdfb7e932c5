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
import { extname, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { APP_ORIGIN, APP_HOST, APP_SCHEME, PAGE_HOST, PAGE_SCHEME, contentSecurityPolicy } from './constants';
import { MIME_SNIFF_BYTES, sniffMime } from '../../shared/mime';

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

/** MIME types of the files the renderer build may contain; any other extension is not served. */
export const APP_MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};

/** One path segment of a renderer asset: plain characters, not hidden, not `.` or `..`. */
const ASSET_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export interface AppFile {
  filePath: string;
  mime: string;
}

/**
 * Maps an app:// URL to a file under `rendererRoot`, or null. The raw path must consist of plain segments
 * (no percent-encoding, backslashes, empty or dot segments); `/` means index.html. Query and fragment are
 * ignored. The resolved path is checked to stay under the root.
 */
export function resolveAppRequest(url: string, rendererRoot: string): AppFile | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  if (parsed.username || parsed.password || parsed.port) return null;
  const pathname = parsed.pathname === '/' || parsed.pathname === '' ? '/index.html' : parsed.pathname;
  if (!pathname.startsWith('/')) return null;
  const segments = pathname.slice(1).split('/');
  if (segments.length > 8 || !segments.every((segment) => ASSET_SEGMENT.test(segment))) return null;
  const mime = APP_MIME_TYPES[extname(segments[segments.length - 1] ?? '').toLowerCase()];
  if (!mime) return null;
  const root = resolve(rendererRoot);
  const filePath = resolve(root, ...segments);
  if (!filePath.startsWith(root + sep)) return null;
  return { filePath, mime };
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

/** Only GET reaches the file servers. */
export function isReadMethod(method: string): boolean {
  return method === 'GET';
}
