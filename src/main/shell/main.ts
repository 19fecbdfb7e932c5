/**
 * Electron main process: app lifecycle, the one window, protocols, dialogs, menu. Thin: every decision
 * that matters for security lives in security.ts / protocols.ts, every call goes to the core through
 * host/ipc.ts and the core's handler table. Bundled to dist/main/shell.cjs.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
  type MessageBoxOptions,
  type MessageBoxReturnValue,
  type OpenDialogOptions,
  type OpenDialogReturnValue,
} from 'electron';
import { join, resolve } from 'node:path';
import { initArchive, openArchive, type Archive } from '../core/archive';
import { connectEventsToWebContents, registerIpc } from '../host/ipc';
import type { ApiClient } from '../core/api';
import { PathGrants, type NamedPath } from '../host/path-grants';
import { openSession, type ArchiveSession } from '../host/session';
import { serveSession, type OwnerServer } from '../owner/server';
import { createEventFanout, type CallHandler } from '../host/transport';
import type { CallResult, Method } from '../../shared/contract';
import { isErrorPayload } from '../../shared/errors';
import { appLog } from '../core/logging/logger';
import { recordUnexpected } from '../core/logging/unexpected-error';
import { keychainSecretStore } from './backup-keychain';
import { labelsFor, type Labels } from './labels';
import { openingLogFolder } from './log-folder';
import { menuTemplate } from './menu';
import { isReadMethod, methodNotAllowed, serveAppRequest, servePageRequest } from './protocols';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  PAGE_SCHEME,
  createAppSenderValidator,
  guardWebContents,
  isBlockedRequestUrl,
  permissionCheckHandler,
  permissionRequestHandler,
  privilegedSchemes,
  windowOptions,
} from './security';
import { readSettings, writeSettings } from './settings';

// Before `ready`: the custom schemes' privileges, and the sandbox for every renderer.
protocol.registerSchemesAsPrivileged(privilegedSchemes());
app.enableSandbox();

interface OpenSession {
  archive: Archive;
  session: ArchiveSession;
  /** The archive served to the other programs of this OS user (the CLI, the hot-folder watcher, backups). */
  server: OwnerServer | null;
  /** The window's connection: its own login, ended when the archive closes. */
  client: ApiClient;
  detachEvents: () => void;
}

type ArchiveChoice = { kind: 'open' | 'create'; dir: string };

const NO_ARCHIVE: CallResult<Method> = {
  ok: false,
  error: { code: 'NOT_AN_ARCHIVE', message: 'No archive is open.' },
};

/** Named in the core's "archive is in use by …" messages. */
const ARCHIVE_OPTIONS = { program: 'SlipVault app' };

const devTools = !app.isPackaged;
let labels: Labels = labelsFor('en');
let current: OpenSession | null = null;
let mainWindow: BrowserWindow | null = null;
let choosing = false;

const fanout = createEventFanout((error) => console.error('[slipvault] event delivery failed:', error));
/** The files and folders the user handed to the window (drops, the file chooser, confirmed folders). */
const grants = new PathGrants();

/** Calls go to whichever archive is open now; switching archives does not re-register IPC. */
const handler: CallHandler = openingLogFolder(
  { invoke: (method, input) => (current ? current.client.invoke(method, input) : Promise.resolve(NO_ARCHIVE)) },
  (path) => shell.openPath(path),
);

const rendererRoot = () => join(app.getAppPath(), 'dist', 'renderer');
const preloadPath = () => join(app.getAppPath(), 'dist', 'main', 'preload.cjs');
const settingsFile = () => join(app.getPath('userData'), 'settings.json');
const backupPassphrasesFile = () => join(app.getPath('userData'), 'backup-passphrases.json');

function liveWindow(): BrowserWindow | null {
  return mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
}

function messageBox(options: MessageBoxOptions): Promise<MessageBoxReturnValue> {
  const parent = liveWindow();
  return parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options);
}

function openDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue> {
  const parent = liveWindow();
  return parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options);
}

/** A user-facing sentence for an error: the core's own message, never a stack trace (that goes to the app log, under the id shown). */
function describe(error: unknown): string {
  if (isErrorPayload(error)) return error.message;
  console.error('[slipvault]', error);
  return `${labels.unexpected} (error id ${recordUnexpected(error)})`;
}

/**
 * The window named a folder (typed into a backup, restore or hot-folder field) the user has not confirmed
 * yet: a native dialog, which no page can answer, asks whether it may be used.
 */
async function confirmFolder(named: NamedPath): Promise<boolean> {
  const { response } = await messageBox({
    type: 'question',
    title: 'SlipVault',
    message: labels.allowFolder(named.role, named.path),
    detail: labels.allowFolderDetail,
    buttons: [labels.allow, labels.cancel],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  });
  return response === 0;
}

async function showError(title: string, error: unknown): Promise<void> {
  await messageBox({ type: 'error', title: 'SlipVault', message: title, detail: describe(error) });
}

// --- archive ----------------------------------------------------------------------------------------------

/** Stops the archive's background work (OCR, hot folder), then closes it. */
async function closeCurrent(): Promise<void> {
  const previous = current;
  current = null;
  if (!previous) return;
  previous.detachEvents();
  try {
    await previous.server?.close();
    await previous.session.close();
  } catch (error) {
    console.error('[slipvault] closing the archive failed:', error);
  }
}

async function activate(archive: Archive): Promise<void> {
  await closeCurrent();
  const session = openSession(archive, {
    onError: (error) => console.error('[slipvault] background work stopped:', error),
    secrets: keychainSecretStore(backupPassphrasesFile(), safeStorage),
  });
  // Without the socket the window still works; only other programs would be refused, as before.
  const server = await serveSession(session, ARCHIVE_OPTIONS.program).catch((error: unknown) => {
    console.error('[slipvault] serving the archive to other programs failed:', error);
    return null;
  });
  current = { archive, session, server, client: session.api.connect(), detachEvents: fanout.attach(archive.events) };
  writeSettings(settingsFile(), { lastArchive: archive.dir }).catch((error: unknown) => console.error('[slipvault] saving settings failed:', error));
}

function openChoice(choice: ArchiveChoice): Promise<Archive> {
  return choice.kind === 'create' ? initArchive(choice.dir, ARCHIVE_OPTIONS) : openArchive(choice.dir, ARCHIVE_OPTIONS);
}

async function pickFolder(kind: ArchiveChoice['kind']): Promise<ArchiveChoice | null> {
  const result = await openDialog({
    title: kind === 'create' ? labels.newArchive : labels.openArchive,
    buttonLabel: kind === 'create' ? labels.createButton : labels.openButton,
    properties: kind === 'create' ? ['openDirectory', 'createDirectory', 'promptToCreate'] : ['openDirectory'],
  });
  const dir = result.filePaths[0];
  return result.canceled || !dir ? null : { kind, dir };
}

async function askForArchive(): Promise<ArchiveChoice | null> {
  const { response } = await messageBox({
    type: 'question',
    title: labels.chooseTitle,
    message: labels.chooseMessage,
    detail: labels.chooseDetail,
    buttons: [labels.openExisting, labels.createNew, labels.quit],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  });
  if (response === 2) return null;
  return pickFolder(response === 0 ? 'open' : 'create');
}

/** The last used archive, or the one the user picks; false when the user gives up. */
async function openInitialArchive(): Promise<boolean> {
  const { lastArchive } = await readSettings(settingsFile());
  if (lastArchive) {
    try {
      await activate(await openArchive(lastArchive, ARCHIVE_OPTIONS));
      return true;
    } catch (error) {
      await showError(labels.cannotOpenLast(lastArchive), error);
    }
  }
  for (;;) {
    const choice = await askForArchive();
    if (!choice) return false;
    try {
      await activate(await openChoice(choice));
      return true;
    } catch (error) {
      await showError(labels.cannotOpen, error);
    }
  }
}

/** Menu: open or create another archive; the window reloads onto it. */
async function switchArchive(kind: ArchiveChoice['kind']): Promise<void> {
  if (choosing) return;
  choosing = true;
  try {
    const choice = await pickFolder(kind);
    if (!choice) return;
    if (kind === 'open' && current && resolve(current.archive.dir) === resolve(choice.dir)) return;
    await activate(await openChoice(choice));
    liveWindow()?.webContents.reload();
  } catch (error) {
    await showError(labels.cannotOpen, error);
  } finally {
    choosing = false;
  }
}

// --- window, protocols, session ---------------------------------------------------------------------------

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(windowOptions({ preload: preloadPath(), devTools }));
  const disconnectEvents = connectEventsToWebContents(fanout, win.webContents, () => current?.client.user() != null);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    disconnectEvents();
    if (mainWindow === win) mainWindow = null;
  });
  win.loadURL(APP_ENTRY_URL).catch((error: unknown) => console.error('[slipvault] loading the UI failed:', error));
  return win;
}

function focusWindow(): void {
  const win = liveWindow();
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function registerProtocols(): void {
  protocol.handle(APP_SCHEME, (request) => (isReadMethod(request.method) ? serveAppRequest(request.url, rendererRoot()) : methodNotAllowed()));
  protocol.handle(PAGE_SCHEME, (request) => (isReadMethod(request.method) ? servePageRequest(request.url, current?.archive.blobs) : methodNotAllowed()));
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler(permissionRequestHandler);
  ses.setPermissionCheckHandler(permissionCheckHandler);
  // Offline always: no request leaves through a network scheme, nor reads the disk through file://.
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: isBlockedRequestUrl(details.url) }));
}

async function showAbout(): Promise<void> {
  await messageBox({ type: 'info', title: labels.about, message: 'SlipVault', detail: labels.aboutDetail(app.getVersion()) });
}

async function start(): Promise<void> {
  appLog().info({ version: app.getVersion(), packaged: app.isPackaged }, 'app started');
  labels = labelsFor(app.getLocale());
  hardenSession();
  registerProtocols();
  registerIpc({
    ipcMain,
    handler,
    validateSender: createAppSenderValidator(() => liveWindow()?.webContents ?? null),
    grants,
    confirmFolder,
    onRejected: (event) => console.warn('[slipvault] refused an IPC call from', event.senderFrame?.url ?? 'an unknown frame'),
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        labels,
        {
          openArchive: () => void switchArchive('open'),
          newArchive: () => void switchArchive('create'),
          about: () => void showAbout(),
        },
        { isMac: process.platform === 'darwin', devTools },
      ),
    ),
  );
  powerMonitor.on('lock-screen', () => lockWindow('os-lock'));
  powerMonitor.on('suspend', () => lockWindow('suspend'));
  if (!(await openInitialArchive())) {
    app.quit();
    return;
  }
  mainWindow = createWindow();
}

/**
 * The computer locked or went to sleep: the window's session ends in the core (its next call needs the
 * password again) and the renderer shows its lock screen. The event goes out first: a logged-out connection
 * hears no events.
 */
function lockWindow(reason: 'os-lock' | 'suspend'): void {
  if (!current) return;
  fanout.publish('session:locked', { reason });
  void current.client.invoke('auth:logout', {});
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => focusWindow());
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!liveWindow() && current) mainWindow = createWindow();
  });
  // The archive closes only after its background OCR has put down the pages in flight.
  app.on('will-quit', (event) => {
    if (!current) return;
    event.preventDefault();
    void closeCurrent().finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('[slipvault] start-up failed:', error);
      dialog.showErrorBox('SlipVault', describe(error));
      app.exit(1);
    });
}
