/**
 * Which files of the renderer build may be served, and where they are: shared by the Electron app://
 * protocol and the preview host so both transports serve exactly the same files.
 */
import { extname, resolve, sep } from 'node:path';

/** MIME types of the files the renderer build may contain; any other extension is not served. */
const RENDERER_MIME_TYPES: Readonly<Record<string, string>> = {
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

export interface RendererFile {
  filePath: string;
  mime: string;
}

/**
 * Maps a URL path to a file under `rendererRoot`, or null. The path must consist of plain segments (no
 * percent-encoding, backslashes, empty or dot segments) with a known extension; `/` means index.html.
 * The resolved path is checked to stay under the root.
 */
export function resolveRendererFile(pathname: string, rendererRoot: string): RendererFile | null {
  const path = pathname === '/' ? '/index.html' : pathname;
  if (!path.startsWith('/')) return null;
  const segments = path.slice(1).split('/');
  if (segments.length > 8 || !segments.every((segment) => ASSET_SEGMENT.test(segment))) return null;
  const mime = RENDERER_MIME_TYPES[extname(segments[segments.length - 1] ?? '').toLowerCase()];
  if (!mime) return null;
  const root = resolve(rendererRoot);
  const filePath = resolve(root, ...segments);
  return filePath.startsWith(root + sep) ? { filePath, mime } : null;
}
