/**
 * Names and policies of the shell's origins. No electron import: protocols.ts and tests use them directly.
 */

/** The renderer is served from `app://slipvault/`; there is no file:// or http:// loading. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'slipvault';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Page images: `slipvault-page://blob/<sha256>`, only blobs of the open archive. */
export const PAGE_SCHEME = 'slipvault-page';
export const PAGE_HOST = 'blob';

/** The Content-Security-Policy sent with every app:// response (index.html carries the same as a meta tag). */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', `'self' ${PAGE_SCHEME}: data: blob:`],
  // PDF pages are fetched as bytes for pdfjs (its worker parses them); the worker itself is an app file.
  ['connect-src', `'self' ${PAGE_SCHEME}:`],
  ['worker-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

export const contentSecurityPolicy = CSP_DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');
