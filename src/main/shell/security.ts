/**
 * The security-relevant decisions of the Electron shell (docs/architecture.md, "Electron security"), kept as small functions so unit
 * tests can check them without starting Electron. main.ts only wires them to Electron events.
 */
import type { BrowserWindowConstructorOptions, CustomScheme, HandlerDetails, WebContents, WindowOpenHandlerResponse } from 'electron';
import { shell } from 'electron';
import { createSenderValidator, type SenderValidator, type WebContentsLike } from '../host/ipc';
import { APP_HOST, APP_SCHEME, PAGE_SCHEME } from './constants';

export * from './constants';

/**
 * Must be registered before the app is ready. Neither scheme bypasses CSP. corsEnabled lets the page load
 * its ES module bundle and fetch page blobs in CORS mode; no response grants another origin access except
 * page blobs, which answer only to app://slipvault.
 */
export function privilegedSchemes(): CustomScheme[] {
  return [
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true },
    },
    {
      scheme: PAGE_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true },
    },
  ];
}

/** The one BrowserWindow's options: sandboxed, isolated, no Node, web security on. */
export function windowOptions(options: { preload: string; devTools?: boolean }): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'SlipVault',
    backgroundColor: '#f5f6f8',
    webPreferences: {
      preload: options.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: options.devTools ?? false,
    },
  };
}

function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True for URLs of our own app origin. WHATWG URL gives custom schemes an opaque origin ("null"), so the
 * scheme and host are compared instead; credentials and ports are refused.
 */
export function isAppUrl(url: unknown): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === ''
  );
}

/** will-navigate / will-frame-navigate: only our own pages (a reload); everything else is prevented. */
export function isAllowedNavigation(url: unknown): boolean {
  return isAppUrl(url);
}

/** Origins allowed to open in the user's browser. Empty: SlipVault links nowhere outside itself. */
export const EXTERNAL_ORIGIN_ALLOWLIST: readonly string[] = [];

export function isAllowedExternalUrl(url: unknown, allowlist: readonly string[] = EXTERNAL_ORIGIN_ALLOWLIST): boolean {
  const parsed = parseUrl(url);
  if (!parsed || parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return false;
  return allowlist.includes(parsed.origin);
}

/**
 * setWindowOpenHandler: never a new Electron window. An https link to an allowlisted origin is handed to
 * the system browser; anything else is dropped.
 */
export function handleWindowOpen(details: Pick<HandlerDetails, 'url'>, allowlist: readonly string[] = EXTERNAL_ORIGIN_ALLOWLIST): WindowOpenHandlerResponse {
  if (isAllowedExternalUrl(details.url, allowlist)) {
    void shell.openExternal(details.url).catch(() => undefined);
  }
  return { action: 'deny' };
}

/** Network schemes no request may use (docs/architecture.md: "Offline always", and no remote content). */
const BLOCKED_REQUEST_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);

export function isBlockedRequestUrl(url: unknown): boolean {
  const parsed = parseUrl(url);
  return parsed === null || BLOCKED_REQUEST_SCHEMES.has(parsed.protocol);
}

/** Every permission (camera, notifications, geolocation, clipboard-read, …) is refused. */
export function permissionRequestHandler(_contents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

export function permissionCheckHandler(): boolean {
  return false;
}

/** Attaches the navigation / window-open / webview guards to a webContents. */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler((details) => handleWindowOpen(details));
}

/** IPC sender validation: only the main frame of our window, showing an app:// page. */
export function createAppSenderValidator(getWindowContents: () => WebContentsLike | null | undefined): SenderValidator {
  return createSenderValidator({ getTrustedContents: getWindowContents, isTrustedUrl: isAppUrl });
}
