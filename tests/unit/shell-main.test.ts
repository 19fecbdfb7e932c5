/**
 * The Electron main process (src/main/shell/main.ts) with `electron` mocked: the single-instance lock, the
 * sandbox switched on before anything else, the window it opens, and that its protocol, session and IPC
 * wiring hands every request to the security functions (shell-security.test.ts tests those in depth). The
 * archive behind it is real: a temp archive named as the last one used in the shell's settings file, opened
 * by a real owner process — Electron's utilityProcess.fork stands in as a Node fork of dist/main/owner.cjs.
 * A window remembered on a SlipVault server sends its calls, and reads its page images, there.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initArchive } from '../../src/main/core/archive';
import { readLockHolder } from '../../src/main/core/lock';
import { connectToOwner, isServing } from '../../src/main/owner/client';
import { IPC_CALL_CHANNEL, IPC_CONNECTION_CHANNEL, IPC_EVENT_CHANNEL, IPC_GRANT_FILE_CHANNEL } from '../../src/shared/client';
import { ServerChoiceFile } from '../../src/main/host/server-choice';
import { KnownServerStore } from '../../src/main/network/known-servers';
import { connectToServer } from '../../src/main/network/remote-client';
import { parseServerUrl } from '../../src/main/network/server-address';
import { tempDir, writePng } from '../helpers/fixtures';
import { serveArchive, type ServedArchive } from '../helpers/served-archive';
import { TEST_PASSWORD } from '../helpers/sessions';

type Listener = (...args: unknown[]) => unknown;

const electron = vi.hoisted(() => {
  const state = {
    lock: true,
    appPath: '',
    userData: '',
    appListeners: new Map<string, Listener[]>(),
    windows: [] as FakeWindow[],
    protocolHandlers: new Map<string, (request: { method: string; url: string }) => Promise<Response> | Response>(),
    ipcHandlers: new Map<string, Listener>(),
    powerListeners: new Map<string, Listener>(),
    markReady: () => undefined as void,
    ready: Promise.resolve(),
    /** Set below, once node:child_process is imported: what utilityProcess.fork really starts. */
    forkOwner: null as null | ((modulePath: string, args: string[]) => unknown),
  };
  const calls: string[] = [];

  class FakeWebContents {
    mainFrame = { url: 'app://slipvault/index.html', parent: null, processId: 7, routingId: 1 };
    listeners = new Map<string, Listener>();
    send = vi.fn();
    reload = vi.fn();
    isDestroyed = () => false;
    on(name: string, listener: Listener) {
      this.listeners.set(name, listener);
      return this;
    }
    setWindowOpenHandler = vi.fn((_handler: (details: { url: string }) => unknown) => undefined);
  }

  class FakeWindow {
    webContents = new FakeWebContents();
    minimized = false;
    restore = vi.fn(() => (this.minimized = false));
    show = vi.fn();
    focus = vi.fn();
    loadURL = vi.fn(() => Promise.resolve());
    constructor(public options: { webPreferences: Record<string, unknown> }) {
      calls.push('new BrowserWindow');
      state.windows.push(this);
    }
    isMinimized = () => this.minimized;
    isDestroyed = () => false;
    once = vi.fn();
    on = vi.fn();
  }

  const app = {
    requestSingleInstanceLock: vi.fn(() => state.lock),
    enableSandbox: vi.fn(() => calls.push('enableSandbox')),
    quit: vi.fn(),
    exit: vi.fn(),
    isPackaged: false,
    on: vi.fn((name: string, listener: Listener) => {
      state.appListeners.set(name, [...(state.appListeners.get(name) ?? []), listener]);
      return app;
    }),
    whenReady: vi.fn(() => state.ready),
    getLocale: () => 'en-US',
    getAppPath: () => state.appPath,
    getPath: () => state.userData,
    getVersion: () => '0.0.0-test',
  };

  const mocks = {
    app,
    BrowserWindow: FakeWindow,
    dialog: {
      showMessageBox: vi.fn(() => Promise.resolve({ response: 2, checkboxChecked: false })),
      showOpenDialog: vi.fn(() => Promise.resolve({ canceled: true, filePaths: [] })),
      showErrorBox: vi.fn(),
    },
    ipcMain: {
      handle: vi.fn((channel: string, listener: Listener) => state.ipcHandlers.set(channel, listener)),
      removeHandler: vi.fn(),
    },
    powerMonitor: { on: vi.fn((name: string, listener: Listener) => state.powerListeners.set(name, listener)) },
    Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn((template: unknown) => template) },
    protocol: {
      registerSchemesAsPrivileged: vi.fn((_schemes: unknown[]) => calls.push('registerSchemesAsPrivileged')),
      handle: vi.fn((scheme: string, handler: (request: { method: string; url: string }) => Promise<Response>) => state.protocolHandlers.set(scheme, handler)),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        webRequest: { onBeforeRequest: vi.fn() },
      },
    },
    shell: { openExternal: vi.fn(() => Promise.resolve()) },
    // No keychain here: the scheduled-backup passphrase keeper finds none and saves none.
    safeStorage: { isEncryptionAvailable: () => false, encryptString: vi.fn(), decryptString: vi.fn() },
    utilityProcess: { fork: vi.fn((modulePath: string, args: string[], _options: unknown) => state.forkOwner!(modulePath, args)) },
  };

  function reset(lock: boolean) {
    state.lock = lock;
    state.appListeners.clear();
    state.windows.length = 0;
    state.protocolHandlers.clear();
    state.ipcHandlers.clear();
    state.powerListeners.clear();
    calls.length = 0;
    state.ready = new Promise<void>((resolve) => (state.markReady = resolve));
    vi.clearAllMocks();
  }

  return { state, calls, mocks, reset, FakeWebContents };
});
type FakeWindow = InstanceType<typeof electron.mocks.BrowserWindow>;

vi.mock('electron', () => electron.mocks);

/** A utility process as Electron's API shows it, run as a Node child: parentPort there is Node's IPC channel. */
electron.state.forkOwner = (modulePath, args) => {
  const child = fork(modulePath, args, { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (message: unknown) => child.send(message as object),
    on: (event: 'message', listener: (message: unknown) => void) => child.on(event, listener),
    once: (event: 'exit', listener: (code: number | null) => void) => child.once(event, (code) => listener(code)),
  };
};

const root = join(__dirname, '..', '..');
/** The window opens once the owner process serves the archive: a process start and an archive open. */
const OWNER_START_MS = 20_000;
const { app, dialog, protocol, session } = electron.mocks;

function emit(name: string, ...args: unknown[]): unknown[] {
  return (electron.state.appListeners.get(name) ?? []).map((listener) => listener(...args));
}

/**
 * A fresh main.ts (its state is module-level) against a fresh mock; the OS user's configuration folder (the
 * trusted servers, the remembered server) is a new temp folder unless one is given.
 */
async function startMain(options: { lock: boolean; lastArchive?: string; configDir?: string }): Promise<void> {
  electron.reset(options.lock);
  process.env.SLIPVAULT_CONFIG_DIR = options.configDir ?? tempDir('slipvault-shell-config-');
  electron.state.appPath = root;
  electron.state.userData = join(tempDir(), 'userData');
  mkdirSync(electron.state.userData, { recursive: true });
  if (options.lastArchive) writeFileSync(join(electron.state.userData, 'settings.json'), JSON.stringify({ lastArchive: options.lastArchive }));
  vi.resetModules();
  await import('../../src/main/shell/main');
}

/** Lets main.ts quit the way the user would, so the archive's writer lock is released. */
async function quitApp(): Promise<void> {
  const event = { preventDefault: vi.fn() };
  emit('will-quit', event);
  // The owner puts down the OCR pages in flight before it exits.
  if (event.preventDefault.mock.calls.length > 0) await vi.waitFor(() => expect(app.quit).toHaveBeenCalled(), { timeout: 30_000 });
}

afterEach(async () => {
  await quitApp();
  vi.restoreAllMocks();
});

describe('single instance', () => {
  it('a second start quits at once and registers nothing', async () => {
    await startMain({ lock: false });
    expect(app.requestSingleInstanceLock).toHaveBeenCalledTimes(1);
    expect(app.quit).toHaveBeenCalledTimes(1);
    expect(app.whenReady).not.toHaveBeenCalled();
    expect(electron.state.appListeners.size).toBe(0);
    electron.state.markReady();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(electron.state.windows).toHaveLength(0);
  });

  it('the first instance focuses its window when a second one starts', async () => {
    const archiveDir = join(tempDir(), 'archive');
    (await initArchive(archiveDir)).close();
    await startMain({ lock: true, lastArchive: archiveDir });
    expect([...electron.state.appListeners.keys()]).toEqual(
      expect.arrayContaining(['second-instance', 'web-contents-created', 'window-all-closed', 'will-quit']),
    );
    electron.state.markReady();
    await vi.waitFor(() => expect(electron.state.windows).toHaveLength(1), { timeout: OWNER_START_MS });
    const win = electron.state.windows[0]!;
    win.minimized = true;
    emit('second-instance', {}, ['slipvault'], root);
    expect(win.restore).toHaveBeenCalled();
    expect(win.show).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });
});

describe('main window and wiring', () => {
  let win: FakeWindow;
  let pageHash: string;
  let pageBytes: Buffer;
  let archiveDir: string;

  beforeEach(async () => {
    archiveDir = join(tempDir(), 'archive');
    const archive = await initArchive(archiveDir);
    pageBytes = readFileSync(await writePng(tempDir(), 'page.png'));
    pageHash = archive.blobs.put(pageBytes);
    archive.close();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await startMain({ lock: true, lastArchive: archiveDir });
    electron.state.markReady();
    await vi.waitFor(() => expect(electron.state.windows).toHaveLength(1), { timeout: OWNER_START_MS });
    win = electron.state.windows[0]!;
  });

  it('turns the sandbox and the schemes on before any window, then opens one isolated window on app://', () => {
    expect(electron.calls.slice(0, 2).sort()).toEqual(['enableSandbox', 'registerSchemesAsPrivileged']);
    expect(electron.calls.indexOf('new BrowserWindow')).toBe(2);
    expect(protocol.registerSchemesAsPrivileged.mock.calls[0]![0]).toEqual([
      expect.objectContaining({ scheme: 'app' }),
      expect.objectContaining({ scheme: 'slipvault-page' }),
    ]);
    expect(win.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: join(root, 'dist', 'main', 'preload.cjs'),
    });
    expect(win.loadURL).toHaveBeenCalledWith('app://slipvault/index.html');
  });

  it('guards every webContents Electron creates', () => {
    const contents = new electron.FakeWebContents();
    emit('web-contents-created', {}, contents);
    const navigate = { url: 'https://example.com/', preventDefault: vi.fn() };
    contents.listeners.get('will-navigate')!(navigate);
    expect(navigate.preventDefault).toHaveBeenCalled();
    const handler = contents.setWindowOpenHandler.mock.calls[0]![0];
    expect(handler({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(electron.mocks.shell.openExternal).not.toHaveBeenCalled();
  });

  it('blocks network requests and denies permissions for the session', () => {
    const ses = session.defaultSession;
    const onBefore = ses.webRequest.onBeforeRequest.mock.calls[0]![0] as unknown as (details: { url: string }, callback: (r: object) => void) => void;
    const callback = vi.fn();
    onBefore({ url: 'https://cdn.example.com/x.js' }, callback);
    onBefore({ url: 'app://slipvault/app.js' }, callback);
    expect(callback.mock.calls).toEqual([[{ cancel: true }], [{ cancel: false }]]);
    const request = ses.setPermissionRequestHandler.mock.calls[0]![0] as unknown as (c: unknown, p: string, cb: (granted: boolean) => void) => void;
    const granted = vi.fn();
    request({}, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
  });

  it('serves app:// from the built renderer with CSP, and only GET', async () => {
    const serve = electron.state.protocolHandlers.get('app')!;
    const page = await serve({ method: 'GET', url: 'app://slipvault/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="root">');
    expect((await serve({ method: 'POST', url: 'app://slipvault/index.html' })).status).toBe(405);
    expect((await serve({ method: 'GET', url: 'app://slipvault/%2e%2e/package.json' })).status).toBe(404);
  });

  it('serves slipvault-page:// only for blobs of the open archive', async () => {
    const serve = electron.state.protocolHandlers.get('slipvault-page')!;
    const page = await serve({ method: 'GET', url: `slipvault-page://blob/${pageHash}` });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await page.arrayBuffer())).toEqual(pageBytes);
    for (const url of [
      `slipvault-page://blob/${'ab'.repeat(32)}`,
      'slipvault-page://blob/../../settings.json',
      `slipvault-page://blob/%2e%2e%2f${'ab'.repeat(32)}`,
    ]) {
      expect((await serve({ method: 'GET', url })).status, url).toBe(404);
    }
    expect((await serve({ method: 'PUT', url: `slipvault-page://blob/${'ab'.repeat(32)}` })).status).toBe(405);
  });

  it('answers IPC calls from the window and refuses every other sender', async () => {
    const call = electron.state.ipcHandlers.get(IPC_CALL_CHANNEL)!;
    const body = { method: 'archive:status', input: {} };
    const own = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    expect(await call(own, body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await call(own, { method: 'auth:setup', input: { username: 'li.na', password: 'first admin secret' } })).toMatchObject({ ok: true });
    expect(await call(own, body)).toMatchObject({ ok: true });
    const foreignFrame = { ...win.webContents.mainFrame, url: 'https://evil.example/' };
    const subframe = { ...win.webContents.mainFrame, parent: win.webContents.mainFrame, routingId: 9 };
    for (const event of [
      { sender: new electron.FakeWebContents(), senderFrame: win.webContents.mainFrame },
      { sender: win.webContents, senderFrame: subframe },
      { sender: win.webContents, senderFrame: null },
    ]) {
      expect(await call(event, body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    win.webContents.mainFrame = foreignFrame;
    expect(await call({ sender: win.webContents, senderFrame: foreignFrame }, body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(console.warn).toHaveBeenCalledTimes(4);
  });

  it('opens the archive in an owner process of its own, never in the main process', () => {
    expect(electron.mocks.utilityProcess.fork).toHaveBeenCalledTimes(1);
    expect(electron.mocks.utilityProcess.fork).toHaveBeenCalledWith(
      join(root, 'dist', 'main', 'owner.cjs'),
      [archiveDir, '--program', 'SlipVault app', '--secrets-from-starter', "this computer's keychain"],
      expect.objectContaining({ serviceName: 'SlipVault archive owner' }),
    );
    const holder = readLockHolder(archiveDir);
    expect(holder?.program).toBe('SlipVault app');
    expect(holder?.pid).not.toBe(process.pid);
    expect(isServing(holder)).toBe(true);
  });

  it("forwards the window's calls to the owner after the path check, and pushes the owner's events to the window", async () => {
    const own = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    const call = (method: string, input: unknown) => electron.state.ipcHandlers.get(IPC_CALL_CHANNEL)!(own, { method, input });
    expect(await call('auth:setup', { username: 'li.na', password: 'first admin secret' })).toMatchObject({ ok: true });
    const scan = await writePng(tempDir(), 'scan.png');
    expect(await call('documents:import', { paths: [scan] })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { reason: 'path-not-chosen' } },
    });
    expect(await call('documents:list', {})).toMatchObject({ ok: true, value: { total: 0 } });
    expect(await electron.state.ipcHandlers.get(IPC_GRANT_FILE_CHANNEL)!(own, scan)).toBe(true);
    expect(await call('documents:import', { paths: [scan] })).toMatchObject({ ok: true, value: { imported: [expect.anything()] } });
    await vi.waitFor(() => expect(win.webContents.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, expect.objectContaining({ event: 'documents:changed' })));
  });

  it('locks the window and starts a new owner when the owner process dies', async () => {
    const own = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    const call = (method: string, input: unknown) => electron.state.ipcHandlers.get(IPC_CALL_CHANNEL)!(own, { method, input });
    expect(await call('auth:setup', { username: 'li.na', password: 'first admin secret' })).toMatchObject({ ok: true });
    const first = readLockHolder(archiveDir)!;
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    process.kill(first.pid, 'SIGKILL');
    await vi.waitFor(() =>
      expect(win.webContents.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, { event: 'session:locked', payload: { reason: 'owner-restarted' } }),
    );
    await vi.waitFor(
      () => {
        const holder = readLockHolder(archiveDir);
        expect(holder?.pid).not.toBe(first.pid);
        expect(isServing(holder)).toBe(true);
      },
      { timeout: OWNER_START_MS },
    );
    // Electron reports a utility process's exit code only, so the message cannot name the signal.
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining(`(SlipVault app, process ${first.pid}) exited while serving it`));
    // Until the new owner serves, a call is answered that the owner stopped; then the window must log in again.
    await vi.waitFor(async () => expect(await call('archive:status', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } }), {
      timeout: OWNER_START_MS,
    });
    expect(await call('auth:login', { username: 'li.na', password: 'first admin secret' })).toMatchObject({ ok: true });
    expect(await call('archive:status', {})).toMatchObject({ ok: true, value: { path: archiveDir } });
  });

  it('leaves an owner stopped that dies again right after its restart, and says so', async () => {
    const own = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    const call = (method: string, input: unknown) => electron.state.ipcHandlers.get(IPC_CALL_CHANNEL)!(own, { method, input });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const servedBy = (pid: number) => () => {
      const holder = readLockHolder(archiveDir);
      expect(holder?.pid).not.toBe(pid);
      expect(isServing(holder)).toBe(true);
    };
    const first = readLockHolder(archiveDir)!;
    process.kill(first.pid, 'SIGKILL');
    await vi.waitFor(servedBy(first.pid), { timeout: OWNER_START_MS });
    await vi.waitFor(async () => expect(await call('auth:status', {})).toMatchObject({ ok: true }), { timeout: OWNER_START_MS });
    const restarted = readLockHolder(archiveDir)!;
    process.kill(restarted.pid, 'SIGKILL');
    await vi.waitFor(() =>
      expect(dialog.showMessageBox).toHaveBeenCalledWith(
        win,
        expect.objectContaining({ type: 'error', message: `The archive's background process stopped and could not be started again: ${archiveDir}` }),
      ),
    );
    expect(electron.mocks.utilityProcess.fork).toHaveBeenCalledTimes(2);
    expect(await call('archive:status', {})).toMatchObject({ ok: false, error: { code: 'NOT_AN_ARCHIVE' } });
  });

  it('serves the open archive to the other programs of this OS user, until it quits', async () => {
    const holder = readLockHolder(archiveDir);
    if (!isServing(holder)) throw new Error('the app does not serve its archive');
    const call = electron.state.ipcHandlers.get(IPC_CALL_CHANNEL)!;
    await call(
      { sender: win.webContents, senderFrame: win.webContents.mainFrame },
      { method: 'auth:setup', input: { username: 'li.na', password: 'first admin secret' } },
    );
    const other = await connectToOwner(archiveDir, holder);
    expect(await other.invoke('auth:login', { username: 'li.na', password: 'first admin secret' })).toMatchObject({ ok: true });
    expect(await other.invoke('archive:status', {})).toMatchObject({ ok: true, value: { path: archiveDir } });
    other.close();
    await quitApp();
    expect(existsSync(holder.socket)).toBe(false);
    expect(existsSync(holder.secretFile)).toBe(false);
  });

  it('locks the window when the computer locks or sleeps: the renderer is told, the core session ends', async () => {
    const call = electron.state.ipcHandlers.get(IPC_CALL_CHANNEL)!;
    const own = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    await call(own, { method: 'auth:setup', input: { username: 'li.na', password: 'first admin secret' } });
    for (const [name, reason] of [
      ['lock-screen', 'os-lock'],
      ['suspend', 'suspend'],
    ] as const) {
      expect(await call(own, { method: 'auth:login', input: { username: 'li.na', password: 'first admin secret' } })).toMatchObject({ ok: true });
      win.webContents.send.mockClear();
      electron.state.powerListeners.get(name)!();
      expect(win.webContents.send).toHaveBeenCalledWith('slipvault:event', { event: 'session:locked', payload: { reason } });
      await vi.waitFor(async () =>
        expect(await call(own, { method: 'archive:status', input: {} })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } }),
      );
    }
  });
});

describe('a window on a SlipVault server', () => {
  let server: ServedArchive;
  let win: FakeWindow;
  let archiveNo: string;
  let pageHash: string;

  beforeEach(async () => {
    server = await serveArchive(tempDir(), { admin: 'admin', 'clerk-li': 'clerk' });
    archiveNo = (await server.archive.documents.importFile(await writePng(server.scans, 'slip.png'))).archiveNo;
    pageHash = server.archive.documents.get(archiveNo).pages[0]!.blobHash;
    // This OS user connected the app to the server before: the server is trusted and remembered.
    const configDir = tempDir('slipvault-shell-config-');
    const address = parseServerUrl(server.url);
    new KnownServerStore(configDir).trust(address, server.fingerprint);
    new ServerChoiceFile(configDir).remember({ address, fingerprint: server.fingerprint });
    const archiveDir = join(tempDir(), 'archive');
    (await initArchive(archiveDir)).close();
    await startMain({ lock: true, lastArchive: archiveDir, configDir });
    electron.state.markReady();
    await vi.waitFor(() => expect(electron.state.windows).toHaveLength(1), { timeout: OWNER_START_MS });
    win = electron.state.windows[0]!;
  });

  afterEach(async () => {
    await server.close();
  });

  it("sends the window's calls to the server, pushes its events and serves its page images, until the window goes back", async () => {
    const own = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    const call = (method: string, input: unknown) => electron.state.ipcHandlers.get(IPC_CALL_CHANNEL)!(own, { method, input });
    const connection = (body: unknown) => electron.state.ipcHandlers.get(IPC_CONNECTION_CHANNEL)!(own, body);
    expect(await connection({ call: 'connection:status', input: {} })).toEqual({
      ok: true,
      value: { mode: 'server', server: server.url, fingerprint: server.fingerprint },
    });
    // The archive on this computer has no account yet; the server has.
    expect(await call('auth:status', {})).toMatchObject({ ok: true, value: { setupRequired: false, user: null } });
    expect(await call('auth:login', { username: 'clerk-li', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    expect(await call('documents:get', { ref: archiveNo })).toMatchObject({ ok: true, value: { archiveNo } });
    // The server's log folder is named, not opened in this computer's file manager.
    expect(await call('app:openLogFolder', {})).toMatchObject({ ok: true, value: { folder: join(server.archive.dir, 'logs'), opened: false } });

    const page = await electron.state.protocolHandlers.get('slipvault-page')!({ method: 'GET', url: `slipvault-page://blob/${pageHash}` });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await page.arrayBuffer())).toEqual(readFileSync(server.archive.blobs.pathOf(pageHash)));

    const admin = await connectToServer(parseServerUrl(server.url), server.fingerprint);
    expect(await admin.invoke('auth:login', { username: 'admin', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    expect(await admin.invoke('documents:edit', { ref: archiveNo, changes: { slipNo: 'DN-7' }, baseVersion: 1 })).toMatchObject({ ok: true });
    admin.close();
    await vi.waitFor(() =>
      expect(win.webContents.send).toHaveBeenCalledWith(
        IPC_EVENT_CHANNEL,
        expect.objectContaining({ event: 'documents:changed', payload: expect.objectContaining({ archiveNo }) }),
      ),
    );

    expect(await connection({ call: 'connection:useLocal', input: {} })).toEqual({ ok: true, value: { mode: 'local' } });
    expect(win.webContents.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, { event: 'session:locked', payload: { reason: 'connection-changed' } });
    expect(await call('auth:status', {})).toMatchObject({ ok: true, value: { setupRequired: true } });
  });
});

describe('first run', () => {
  it('asks for an archive, and quitting there opens no window', async () => {
    await startMain({ lock: true });
    electron.state.markReady();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(1);
    expect(electron.state.windows).toHaveLength(0);
  });
});
