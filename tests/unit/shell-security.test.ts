import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const openExternal = vi.hoisted(() => vi.fn(() => Promise.resolve()));
vi.mock('electron', () => ({ shell: { openExternal } }));

import type { WebContents } from 'electron';
import { SlipVaultError } from '../../src/shared/errors';
import type { FrameLike, InvokeEventLike, WebContentsLike } from '../../src/main/host/ipc';
import { resolveAppRequest, resolvePageRequest, serveAppRequest, servePageRequest, type BlobLookup } from '../../src/main/shell/protocols';
import { sniffMime } from '../../src/shared/mime';
import {
  APP_ENTRY_URL,
  CSP_DIRECTIVES,
  contentSecurityPolicy,
  createAppSenderValidator,
  guardWebContents,
  handleWindowOpen,
  isAllowedExternalUrl,
  isAllowedNavigation,
  isBlockedRequestUrl,
  permissionCheckHandler,
  permissionRequestHandler,
  privilegedSchemes,
  windowOptions,
} from '../../src/main/shell/security';

const PNG_HEAD = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let workDir: string;
let blobFile: string;
let blobBytes: Uint8Array;
const KNOWN = 'ab'.repeat(32);
const UNKNOWN = 'cd'.repeat(32);

/** Test double of the archive's blob store: one known blob backed by a real temp file. */
function blobs(): BlobLookup & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    has(hash) {
      asked.push(hash);
      return hash === KNOWN;
    },
    pathOf(hash) {
      if (hash !== KNOWN) throw new SlipVaultError('NOT_FOUND', `No blob ${hash}.`);
      return blobFile;
    },
  };
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'slipvault-shell-'));
  blobFile = join(workDir, 'blob');
  blobBytes = new Uint8Array([...PNG_HEAD, ...Array.from({ length: 3000 }, (_, i) => i % 251)]);
  writeFileSync(blobFile, blobBytes);
  const renderer = join(workDir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(renderer, 'app.js'), 'console.log(1)');
  writeFileSync(join(renderer, 'assets', 'logo-123.svg'), '<svg/>');
  writeFileSync(join(workDir, 'secret.js'), 'secret');
  try {
    symlinkSync(join(workDir, 'secret.js'), join(renderer, 'link.js'));
  } catch {
    // symlinks may be unavailable (Windows without privilege); the lexical checks are tested regardless
  }
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  openExternal.mockClear();
});

describe('window options', () => {
  it('sandboxes and isolates the renderer, without Node', () => {
    const options = windowOptions({ preload: '/app/dist/main/preload.cjs' });
    const prefs = options.webPreferences!;
    expect(prefs.sandbox).toBe(true);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toBe('/app/dist/main/preload.cjs');
    expect(prefs.devTools).toBe(false);
  });

  it('registers both schemes as standard and secure, never bypassing CSP', () => {
    const schemes = privilegedSchemes();
    expect(schemes.map((s) => s.scheme).sort()).toEqual(['app', 'slipvault-page']);
    for (const { privileges } of schemes) {
      expect(privileges).toMatchObject({ standard: true, secure: true });
      expect(privileges?.bypassCSP).toBeFalsy();
    }
  });
});

describe('content security policy', () => {
  const directives = new Map(
    contentSecurityPolicy.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values];
    }),
  );

  it('allows scripts from the app itself only', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy).not.toContain('unsafe-eval');
    for (const name of ['script-src', 'default-src']) expect(directives.get(name)).not.toContain("'unsafe-inline'");
  });

  it('names no remote origin', () => {
    expect(contentSecurityPolicy).not.toMatch(/https?:|wss?:|\*|\/\//);
    for (const values of directives.values()) {
      for (const value of values) {
        expect(value).toMatch(/^('self'|'none'|'unsafe-inline'|slipvault-page:|data:|blob:)$/);
      }
    }
  });

  it('locks objects, base, forms and framing', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'slipvault-page:', 'data:', 'blob:']);
  });

  it('matches the meta tag of index.html (which cannot carry frame-ancestors)', () => {
    const html = readFileSync(join(__dirname, '../../src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    const expected = CSP_DIRECTIVES.filter(([name]) => name !== 'frame-ancestors')
      .map(([name, value]) => `${name} ${value}`)
      .join('; ');
    expect(meta).toBe(expected);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/https?:\/\//);
  });
});

describe('navigation and new windows', () => {
  it('allows only the app origin', () => {
    expect(isAllowedNavigation(APP_ENTRY_URL)).toBe(true);
    expect(isAllowedNavigation('app://slipvault/')).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'app://slipvault.evil/index.html',
      'app://slipvault@evil/index.html',
      'app://slipvault:99/index.html',
      'slipvault-page://blob/' + KNOWN,
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'chrome://settings',
      '',
      'not a url',
    ]) {
      expect(isAllowedNavigation(url), url).toBe(false);
    }
    expect(isAllowedNavigation(undefined)).toBe(false);
  });

  it('guards will-navigate, will-frame-navigate, will-redirect, webviews and window.open on a webContents', () => {
    const listeners = new Map<string, (event: { url?: string; preventDefault(): void }) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = {
      on(name: string, listener: (event: { url?: string; preventDefault(): void }) => void) {
        listeners.set(name, listener);
        return contents;
      },
      setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
        openHandler = handler;
      },
    };
    guardWebContents(contents as unknown as WebContents);

    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const listener = listeners.get(name)!;
      const foreign = { url: 'https://example.com/', preventDefault: vi.fn() };
      listener(foreign);
      expect(foreign.preventDefault, name).toHaveBeenCalled();
      const own = { url: APP_ENTRY_URL, preventDefault: vi.fn() };
      listener(own);
      expect(own.preventDefault, name).not.toHaveBeenCalled();
    }
    const webview = { preventDefault: vi.fn() };
    listeners.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();

    for (const url of ['https://example.com/', APP_ENTRY_URL, 'about:blank', 'file:///etc/passwd']) {
      expect(openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('opens external links only for allowlisted https origins, and the default allowlist is empty', () => {
    expect(isAllowedExternalUrl('https://example.com/')).toBe(false);
    expect(handleWindowOpen({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();

    const allowlist = ['https://help.example.com'];
    expect(handleWindowOpen({ url: 'https://help.example.com/zh/' }, allowlist)).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://help.example.com/zh/');
    for (const url of ['http://help.example.com/', 'https://user@help.example.com/', 'https://help.example.com.evil/']) {
      expect(isAllowedExternalUrl(url, allowlist), url).toBe(false);
    }
  });

  it('blocks network and file requests, denies every permission', () => {
    for (const url of ['http://example.com', 'https://cdn.example.com/x.js', 'ws://127.0.0.1:1', 'wss://x', 'file:///etc/passwd', 'ftp://x']) {
      expect(isBlockedRequestUrl(url), url).toBe(true);
    }
    for (const url of [APP_ENTRY_URL, 'slipvault-page://blob/' + KNOWN, 'data:image/png;base64,AA==', 'devtools://devtools/x']) {
      expect(isBlockedRequestUrl(url), url).toBe(false);
    }
    const callback = vi.fn();
    permissionRequestHandler({}, 'media', callback);
    permissionRequestHandler({}, 'notifications', callback);
    expect(callback.mock.calls).toEqual([[false], [false]]);
    expect(permissionCheckHandler()).toBe(false);
  });
});

describe('IPC sender validation', () => {
  const mainFrame: FrameLike = { url: APP_ENTRY_URL, parent: null, processId: 4, routingId: 1 };
  const contents: WebContentsLike = { mainFrame, isDestroyed: () => false, send: () => undefined };
  const validate = createAppSenderValidator(() => contents);
  const call = (sender: unknown, senderFrame: FrameLike | null): InvokeEventLike => ({ sender, senderFrame });

  it('accepts the main frame of our window on the app origin', () => {
    expect(validate(call(contents, mainFrame))).toBe(true);
    // A different wrapper object for the same frame is recognised by process and routing id.
    expect(validate(call(contents, { ...mainFrame }))).toBe(true);
  });

  it('rejects a subframe, even one on the app origin', () => {
    const subframe: FrameLike = { url: APP_ENTRY_URL, parent: mainFrame, processId: 4, routingId: 9 };
    expect(validate(call(contents, subframe))).toBe(false);
    const foreignSub: FrameLike = { url: 'https://evil.example/', parent: mainFrame, processId: 5, routingId: 2 };
    expect(validate(call(contents, foreignSub))).toBe(false);
  });

  it('rejects a foreign origin in the main frame', () => {
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'app://evil/index.html', 'about:blank', '']) {
      const frame: FrameLike = { ...mainFrame, url };
      const foreignContents: WebContentsLike = { ...contents, mainFrame: frame };
      const check = createAppSenderValidator(() => foreignContents);
      expect(check(call(foreignContents, frame)), url).toBe(false);
    }
  });

  it('rejects other webContents, missing frames, and calls while no window exists', () => {
    const other: WebContentsLike = { mainFrame: { ...mainFrame, processId: 7 }, isDestroyed: () => false, send: () => undefined };
    expect(validate(call(other, other.mainFrame))).toBe(false);
    expect(validate(call(contents, null))).toBe(false);
    expect(validate(call(contents, { ...mainFrame, routingId: 2 }))).toBe(false);
    expect(createAppSenderValidator(() => null)(call(contents, mainFrame))).toBe(false);
    const destroyed: WebContentsLike = { ...contents, isDestroyed: () => true };
    expect(createAppSenderValidator(() => destroyed)(call(destroyed, mainFrame))).toBe(false);
  });
});

describe('slipvault-page:// protocol', () => {
  it('serves a known hash from the open archive', async () => {
    const store = blobs();
    expect(resolvePageRequest(`slipvault-page://blob/${KNOWN}`, store)).toEqual({ hash: KNOWN, filePath: blobFile });

    const response = await servePageRequest(`slipvault-page://blob/${KNOWN}`, store);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-length')).toBe(String(blobBytes.length));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(blobBytes);
  });

  it('refuses traversal, absolute paths, percent-encoding and anything but an exact lowercase hash', async () => {
    const store = blobs();
    const refused = [
      'slipvault-page://blob/../../etc/passwd',
      'slipvault-page://blob/..',
      `slipvault-page://blob/../${KNOWN}`,
      'slipvault-page://blob/%2e%2e/%2e%2e/etc/passwd',
      `slipvault-page://blob/%2e%2e%2f${KNOWN}`,
      'slipvault-page://blob/%2Fetc%2Fpasswd',
      'slipvault-page://blob//etc/passwd',
      'slipvault-page://blob/etc/passwd',
      'slipvault-page:///etc/passwd',
      `slipvault-page://blob/${blobFile}`,
      `slipvault-page://blob/C:\\Windows\\win.ini`,
      `slipvault-page://blob/${KNOWN.toUpperCase()}`,
      `slipvault-page://blob/${KNOWN.slice(0, 63)}`,
      `slipvault-page://blob/${KNOWN}0`,
      `slipvault-page://blob/${KNOWN.slice(0, 62)}%61%62`,
      `slipvault-page://blob/${KNOWN}/`,
      `slipvault-page://blob/${KNOWN}?download=1`,
      `slipvault-page://blob/${KNOWN}#x`,
      // double encoding, encoded backslash, NUL, overlong UTF-8 dots, a Windows drive and a UNC path
      'slipvault-page://blob/%252e%252e%252fetc%252fpasswd',
      `slipvault-page://blob/..%5c${KNOWN}`,
      `slipvault-page://blob/${KNOWN}%00`,
      'slipvault-page://blob/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
      'slipvault-page://blob/C:/Windows/win.ini',
      'slipvault-page://blob/\\\\server\\share\\x',
      `slipvault-page://BLOB/${KNOWN}`,
      `slipvault-page://other/${KNOWN}`,
      `slipvault-page://blob.evil/${KNOWN}`,
      `app://slipvault/${KNOWN}`,
      `file://${blobFile}`,
      KNOWN,
      '',
    ];
    for (const url of refused) {
      expect(resolvePageRequest(url, store), url).toBeNull();
      const response = await servePageRequest(url, store);
      expect(response.status, url).toBe(404);
    }
    // None of them reached the blob store.
    expect(store.asked).toEqual([]);
  });

  it('answers 404 for a well-formed hash the archive does not hold, and when no archive is open', async () => {
    const store = blobs();
    expect(resolvePageRequest(`slipvault-page://blob/${UNKNOWN}`, store)).toBeNull();
    expect((await servePageRequest(`slipvault-page://blob/${UNKNOWN}`, store)).status).toBe(404);
    expect(resolvePageRequest(`slipvault-page://blob/${KNOWN}`, null)).toBeNull();
    expect((await servePageRequest(`slipvault-page://blob/${KNOWN}`, undefined)).status).toBe(404);
    // A store whose has() lies still cannot make pathOf's NOT_FOUND escape.
    const lying: BlobLookup = {
      has: () => true,
      pathOf: () => {
        throw new SlipVaultError('NOT_FOUND', 'gone');
      },
    };
    expect(resolvePageRequest(`slipvault-page://blob/${UNKNOWN}`, lying)).toBeNull();
  });

  it('sniffs the page formats from their first bytes', () => {
    const bytes = (...values: number[]) => new Uint8Array(values);
    expect(sniffMime(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffMime(bytes(...PNG_HEAD))).toBe('image/png');
    expect(sniffMime(bytes(0x49, 0x49, 0x2a, 0x00))).toBe('image/tiff');
    expect(sniffMime(bytes(0x4d, 0x4d, 0x00, 0x2a))).toBe('image/tiff');
    expect(sniffMime(new TextEncoder().encode('%PDF-1.7'))).toBe('application/pdf');
    expect(sniffMime(new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toBe('image/webp');
    expect(sniffMime(new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WAVE'))).toBe('application/octet-stream');
    expect(sniffMime(new TextEncoder().encode('<html><script>'))).toBe('application/octet-stream');
    expect(sniffMime(bytes())).toBe('application/octet-stream');
  });
});

describe('app:// protocol', () => {
  const root = () => join(workDir, 'renderer');

  it('maps the app origin to files under the renderer folder with their MIME types', () => {
    expect(resolveAppRequest('app://slipvault/', root())).toEqual({
      filePath: join(root(), 'index.html'),
      mime: 'text/html; charset=utf-8',
    });
    expect(resolveAppRequest('app://slipvault/app.js?v=1', root())?.mime).toBe('text/javascript; charset=utf-8');
    expect(resolveAppRequest('app://slipvault/assets/logo-123.svg', root())?.filePath).toBe(join(root(), 'assets', 'logo-123.svg'));
  });

  it('refuses other hosts, hidden files, unknown types and anything encoded', () => {
    for (const url of [
      'app://other/index.html',
      'app://slipvault@other/index.html',
      'app://slipvault/.env.js',
      'app://slipvault/run.exe',
      'app://slipvault/assets/',
      'app://slipvault/%2e%2e%2fsecret.js',
      'app://slipvault/..%2fsecret.js',
      'app://slipvault/a%20b.js',
      'app://slipvault/..\\secret.js',
      'app://slipvault//secret.js',
      'app://slipvault/%252e%252e/secret.js',
      'app://slipvault/..%5csecret.js',
      'app://slipvault/app.js%00.png',
      'app://slipvault/%c0%ae%c0%ae/secret.js',
      'app://slipvault/C:/Windows/win.ini',
      `app://slipvault/${join(workDir, 'secret.js')}`,
      'https://slipvault/index.html',
      'not a url',
    ]) {
      expect(resolveAppRequest(url, root()), url).toBeNull();
    }
    // Dot segments are normalised by the URL parser; the result still stays inside the folder.
    const normalised = resolveAppRequest('app://slipvault/../../secret.js', root());
    expect(normalised?.filePath).toBe(join(root(), 'secret.js'));
  });

  it('serves files with the CSP header, and 404 for missing files and symlinks', async () => {
    const response = await serveAppRequest('app://slipvault/index.html', root());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(await response.text()).toContain('<title>x</title>');

    expect((await serveAppRequest('app://slipvault/missing.js', root())).status).toBe(404);
    expect((await serveAppRequest('app://slipvault/../secret.js', root())).status).toBe(404);
    expect((await serveAppRequest('app://slipvault/link.js', root())).status).toBe(404);
  });
});
