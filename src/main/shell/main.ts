/**
 * Electron main process: app lifecycle, the one window, protocols, dialogs, menu. Thin: every decision
 * that matters for security lives in security.ts / protocols.ts, and it never opens the archive. The
 * archive's owner runs in a process of its own (owner/launcher.ts, an Electron utility process here);
 * the window's calls pass the path grants (host/ipc.ts) and go to it over the window's own connection to
 * the owner socket, and the owner's events come back the same way — or, once the user connected the window
 * to a SlipVault server (host/server-routing.ts), to that server. Bundled to dist/main/shell.cjs.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
  utilityProcess,
  type MessageBoxOptions,
  type MessageBoxReturnValue,
  type OpenDialogOptions,
  type OpenDialogReturnValue,
} from 'electron';
import { join, resolve } from 'node:path';
import { connectEventsToWebContents, registerIpc } from '../host/ipc';
import { BlobStore } from '../core/store/blobs';
import { PathGrants, type NamedPath } from '../host/path-grants';
import type { OwnerConnection } from '../owner/client';
import { launchOwner, type LaunchedOwner, type OwnerGone } from '../owner/launcher';
import { createEventFanout, type CallHandler } from '../host/transport';
import type { CallResult, Method, OutputOf } from '../../shared/contract';
import type { SessionUser } from '../../shared/model';
import type { EventPayload } from '../../shared/events';
import { isErrorPayload } from '../../shared/errors';
import type { FolderPurpose } from '../../shared/client';
import { appLog } from '../core/logging/logger';
import { recordUnexpected } from '../core/logging/unexpected-error';
import { keychainSecretStore } from './backup-keychain';
import { labelsFor, type Labels } from './labels';
import { openingLogFolder } from './log-folder';
import { reminderText, showReminders } from './os-notifications';
import { menuTemplate } from './menu';
import { utilityOwnerProcess } from './owner-utility-process';
import { isReadMethod, methodNotAllowed, serveAppRequest, servePageRequest, serveServerPageRequest } from './protocols';
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
import { KnownServerStore, userConfigFolder } from '../network/known-servers';
import { handleConnectionCall } from '../host/connection-calls';
import { ServerChoiceFile } from '../host/server-choice';
import { routeConnection, ServerRouting, type RouteTarget } from '../host/server-routing';
import type { EventMessage } from '../host/transport';

// Before `ready`: the custom schemes' privileges, and the sandbox for every renderer.
protocol.registerSchemesAsPrivileged(privilegedSchemes());
app.enableSandbox();

interface OpenArchive {
  dir: string;
  /** The owner process serving the archive (to the window and to every other program of this OS user). */
  owner: LaunchedOwner;
  /** The window's connection to the owner: its own login, ended when the archive closes. */
  connection: OwnerConnection;
  /** The archive's page images, read by hash for slipvault-page:// (content-addressed files; no database). */
  blobs: BlobStore;
  detachEvents: () => void;
}

type ArchiveChoice = { kind: 'open' | 'create'; dir: string };

const NO_ARCHIVE: CallResult<Method> = {
  ok: false,
  error: { code: 'NOT_AN_ARCHIVE', message: 'No archive is open.' },
};

/** Named in the core's "archive is in use by …" messages. */
const PROGRAM = 'SlipVault app';

/** An owner that dies again this soon after being restarted is not restarted a second time. */
const RESTART_QUIET_MS = 30_000;

const devTools = !app.isPackaged;
let labels: Labels = labelsFor('en');
let current: OpenArchive | null = null;
let mainWindow: BrowserWindow | null = null;
let choosing = false;

const fanout = createEventFanout((error) => console.error('[slipvault] event delivery failed:', error));
/** The files and folders the user handed to the window (drops, the file chooser, confirmed folders). */
const grants = new PathGrants();

/** Who is logged in at the window, as its calls said; OS notifications are only for their reminders. */
let windowUser: string | null = null;

function noteWindowUser(method: Method, result: CallResult<Method>): void {
  if (method === 'auth:logout') windowUser = null;
  if (!result.ok) return;
  if (method === 'auth:login' || method === 'auth:setup') windowUser = (result.value as SessionUser).username;
  if (method === 'auth:status') windowUser = (result.value as OutputOf<'auth:status'>).user?.username ?? null;
}

// --- this computer's archive or a server ------------------------------------------------------------------

/**
 * Where the window's calls go, remembered per OS user beside the CLI's trusted servers. A damaged choice file
 * is logged and the window starts on this computer's archive.
 */
function openRouting(): ServerRouting {
  const folder = userConfigFolder();
  const choices = new ServerChoiceFile(folder);
  let choice = null;
  try {
    choice = choices.read();
  } catch (error) {
    console.error('[slipvault]', (error as Error).message);
  }
  return new ServerRouting(new KnownServerStore(folder), choices, choice);
}

const routing = openRouting();

/**
 * The window's connection to this computer's archive: the open archive's owner connection (its events reach
 * the window through openOwner while the window works here). Leaving it for a server logs it out.
 */
const localTarget = (): RouteTarget => ({
  invoke: (method, input) => (current ? current.connection.invoke(method, input) : Promise.resolve(NO_ARCHIVE)),
  onEvent: () => () => undefined,
  onClose: () => () => undefined,
  close: () => void current?.connection.invoke('auth:logout', {}),
});

const windowRoute = routeConnection(routing, { openLocal: localTarget, sendEvent: (message) => publishWindowEvent(message) });

/** Calls go to whichever archive the window works on now; switching archives does not re-register IPC. */
const windowCalls: CallHandler = {
  // The transport (host/transport.ts dispatchCall) has refused every method that is not a contract call before this.
  invoke: async (method, input) => {
    if (!current && !routing.current()) return NO_ARCHIVE;
    const result = await windowRoute.invoke(method, input);
    noteWindowUser(method as Method, result);
    return result;
  },
};
const openingLocalLogFolder = openingLogFolder(windowCalls, (path) => shell.openPath(path));
// A server's log folder is on the server: the window shows where, this computer's file manager cannot open it.
const handler: CallHandler = { invoke: (method, input) => (routing.current() ? windowCalls : openingLocalLogFolder).invoke(method, input) };

const rendererRoot = () => join(app.getAppPath(), 'dist', 'renderer');
const preloadPath = () => join(app.getAppPath(), 'dist', 'main', 'preload.cjs');
const ownerEntry = () => join(app.getAppPath(), 'dist', 'main', 'owner.cjs');
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

/** The system's folder chooser for a folder the window needs (a backup target, a folder to restore into). */
async function chooseFolder(purpose: FolderPurpose): Promise<string | null> {
  const result = await openDialog({ title: labels.chooseFolder(purpose), properties: ['openDirectory', 'createDirectory', 'promptToCreate'] });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function showError(title: string, error: unknown): Promise<void> {
  await messageBox({ type: 'error', title: 'SlipVault', message: title, detail: describe(error) });
}

// --- archive ----------------------------------------------------------------------------------------------

/** Ends the window's connection; an owner started here finishes its background work (OCR, hot folder) and closes the archive. */
async function closeCurrent(): Promise<void> {
  const previous = current;
  current = null;
  if (!previous) return;
  previous.detachEvents();
  previous.connection.close();
  try {
    await previous.owner.close();
  } catch (error) {
    console.error('[slipvault] closing the archive failed:', error);
  }
}

/** The archive's owner — started in a utility process, or the one already serving it — with the window's connection to it. */
async function openOwner(choice: ArchiveChoice): Promise<OpenArchive> {
  const owner = await launchOwner(choice.dir, {
    program: PROGRAM,
    create: choice.kind === 'create',
    secrets: keychainSecretStore(backupPassphrasesFile(), safeStorage),
    startProcess: utilityOwnerProcess(utilityProcess),
    entry: ownerEntry(),
  });
  let connection: OwnerConnection;
  try {
    connection = await owner.connect();
  } catch (error) {
    await owner.close();
    throw error;
  }
  // The owner sends events only to a logged-in connection; they go on to the window as they come, while
  // the window works on this archive (a server's come through windowRoute).
  const stopEvents = connection.onEvent((message) => {
    if (!routing.current()) publishWindowEvent(message);
  });
  const opened: OpenArchive = { dir: owner.archiveDir, owner, connection, blobs: new BlobStore(owner.archiveDir), detachEvents: stopEvents };
  owner.onGone((gone) => void ownerGone(opened, gone));
  return opened;
}

/** An event of the archive the window works on, to the window; a reminder for its user also to the OS. */
function publishWindowEvent(message: EventMessage): void {
  fanout.publish(message.event, message.payload as EventPayload<typeof message.event>);
  if (message.event === 'notifications:new') {
    showReminders(
      {
        isSupported: () => Notification.isSupported(),
        create: (options) => new Notification(options),
        focus: focusWindow,
        windowUser: () => windowUser,
        text: (notification) => reminderText(notification, app.getLocale().startsWith('zh')),
      },
      (message.payload as EventPayload<'notifications:new'>).notifications,
    );
  }
}

/** Closes the archive open now, then opens (or, with `create`, makes) the one chosen. */
async function activate(choice: ArchiveChoice): Promise<void> {
  await closeCurrent();
  current = await openOwner(choice);
  writeSettings(settingsFile(), { lastArchive: current.dir }).catch((error: unknown) => console.error('[slipvault] saving settings failed:', error));
}

let lastRestart = 0;

/**
 * The owner process died or its program stopped serving: the window is locked (its login went with the
 * connection) and a new owner is started on the same archive, which the next login reaches; until it serves,
 * the window's calls are answered that the owner has stopped. One that keeps dying right after a restart is
 * left stopped and the user is told.
 */
async function ownerGone(gone: OpenArchive, why: OwnerGone): Promise<void> {
  if (current !== gone) return;
  console.error(`[slipvault] ${why.message}`);
  appLog().warn({ archive: gone.dir, code: why.code, signal: why.signal }, 'archive owner stopped');
  // A window working on a server kept its login there.
  if (!routing.current()) {
    fanout.publish('session:locked', { reason: 'owner-restarted' });
    windowUser = null;
  }
  if (Date.now() - lastRestart < RESTART_QUIET_MS) {
    await closeCurrent();
    await showError(labels.ownerStopped(gone.dir), { code: 'CONFLICT', message: why.message, details: { reason: 'owner-gone' } });
    return;
  }
  lastRestart = Date.now();
  try {
    const next = await openOwner({ kind: 'open', dir: gone.dir });
    if (current !== gone) {
      // The user opened another archive meanwhile.
      next.detachEvents();
      next.connection.close();
      await next.owner.close();
      return;
    }
    await closeCurrent();
    current = next;
  } catch (error) {
    if (current === gone) await closeCurrent();
    await showError(labels.ownerStopped(gone.dir), error);
  }
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
      await activate({ kind: 'open', dir: lastArchive });
      return true;
    } catch (error) {
      await showError(labels.cannotOpenLast(lastArchive), error);
    }
  }
  for (;;) {
    const choice = await askForArchive();
    if (!choice) return false;
    try {
      await activate(choice);
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
    if (kind === 'open' && current && resolve(current.dir) === resolve(choice.dir)) return;
    await activate(choice);
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
  // Only a logged-in connection hears the owner's events; the shell's own (the lock) go out while one is.
  const disconnectEvents = connectEventsToWebContents(fanout, win.webContents, () => current !== null || routing.current() !== null);
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
  protocol.handle(PAGE_SCHEME, (request) => {
    if (!isReadMethod(request.method)) return methodNotAllowed();
    return routing.current() ? serveServerPageRequest(request.url, (hash) => windowRoute.readBlob(hash)) : servePageRequest(request.url, current?.blobs);
  });
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
    pickFolder: chooseFolder,
    connectionCalls: (call, input) => handleConnectionCall(routing, windowRoute, call, input),
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
  if (!current && !routing.current()) return;
  fanout.publish('session:locked', { reason });
  windowUser = null;
  void windowRoute.invoke('auth:logout', {});
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
