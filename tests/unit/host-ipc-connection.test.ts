/**
 * The window's `connection:*` calls through host/ipc.ts, without Electron (ipcMain is structural), answered
 * by the real routing (host/server-routing.ts) over a real archive: the window asks where its calls go and
 * goes back to this computer's archive; a foreign sender and a name that is no connection call are refused
 * before the routing hears of them, and a malformed address is a VALIDATION naming it.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { IPC_CONNECTION_CHANNEL, registerIpc, type InvokeEventLike, type IpcMainLike } from '../../src/main/host/ipc';
import { handleConnectionCall } from '../../src/main/host/connection-calls';
import { PathGrants } from '../../src/main/host/path-grants';
import { SERVER_CHOICE_FILE, ServerChoiceFile } from '../../src/main/host/server-choice';
import { routeConnection, sessionTarget, ServerRouting, type RoutedConnection } from '../../src/main/host/server-routing';
import { openSession, type ArchiveSession } from '../../src/main/host/session';
import { KnownServerStore } from '../../src/main/network/known-servers';
import { parseServerUrl } from '../../src/main/network/server-address';
import { tempDir } from '../helpers/fixtures';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

const WINDOW: InvokeEventLike = { sender: {}, senderFrame: { url: 'app://slipvault/index.html', parent: null } };
const STRANGER: InvokeEventLike = { sender: {}, senderFrame: { url: 'https://evil.example/', parent: null } };
const FINGERPRINT = Array.from({ length: 32 }, (_, index) => index.toString(16).padStart(2, '0').toUpperCase()).join(':');

let archive: Archive;
let session: ArchiveSession;
let config: string;
let routing: ServerRouting;
let route: RoutedConnection;
let listeners: Map<string, Listener>;
let dispose: () => void;

beforeEach(async () => {
  archive = await initArchive(join(tempDir(), 'archive'), { program: 'ipc connection test' });
  session = openSession(archive, { backgroundOcr: false, resumeHotFolder: false });
  config = tempDir('slipvault-ipc-config-');
  // A workstation that was on a server before; the server is not running now, which these calls never need.
  const address = parseServerUrl('svs://127.0.0.1:9');
  new KnownServerStore(config).trust(address, FINGERPRINT);
  new ServerChoiceFile(config).remember({ address, fingerprint: FINGERPRINT });
  const choices = new ServerChoiceFile(config);
  routing = new ServerRouting(new KnownServerStore(config), choices, choices.read());
  route = routeConnection(routing, { openLocal: () => sessionTarget(session), sendEvent: () => undefined });
  listeners = new Map();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => listeners.set(channel, listener),
    removeHandler: (channel) => listeners.delete(channel),
  };
  dispose = registerIpc({
    ipcMain,
    handler: route,
    validateSender: (event) => event === WINDOW,
    grants: new PathGrants(),
    connectionCalls: (call, input) => handleConnectionCall(routing, route, call, input),
  });
});

afterEach(async () => {
  dispose();
  route.close();
  await session.close();
});

const ask = (body: unknown, from = WINDOW) =>
  listeners.get(IPC_CONNECTION_CHANNEL)!(from, body) as Promise<{ ok: boolean; value?: unknown; error?: Record<string, unknown> }>;

describe('the connection channel', () => {
  it('says where the window works and takes it back to this computer’s archive', async () => {
    await expect(ask({ call: 'connection:status', input: {} })).resolves.toEqual({
      ok: true,
      value: { mode: 'server', server: 'svs://127.0.0.1:9', fingerprint: FINGERPRINT },
    });
    await expect(ask({ call: 'connection:useLocal', input: {} })).resolves.toEqual({ ok: true, value: { mode: 'local' } });
    expect(existsSync(join(config, SERVER_CHOICE_FILE))).toBe(false);
    // The server stays trusted, for the CLI and for the next Connect.
    expect(new KnownServerStore(config).fingerprintOf(parseServerUrl('svs://127.0.0.1:9'))).toBe(FINGERPRINT);
    await expect(route.invoke('auth:status', {})).resolves.toMatchObject({ ok: true, value: { setupRequired: true } });
  });

  it('refuses a foreign sender and a name that is no connection call, before the routing hears of them', async () => {
    await expect(ask({ call: 'connection:useLocal', input: {} }, STRANGER)).resolves.toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await expect(ask({ call: 'documents:list', input: {} })).resolves.toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await expect(ask('connection:useLocal')).resolves.toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(routing.status().mode).toBe('server');
  });

  it('refuses a malformed address or input with a specific VALIDATION', async () => {
    await expect(ask({ call: 'connection:probe', input: { server: 'archive.office.lan:7443' } })).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', messageKey: 'server.badServerAddress' },
    });
    await expect(ask({ call: 'connection:probe', input: { server: 'svs://h:1', extra: true } })).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', messageKey: 'input.invalid', details: { method: 'connection:probe' } },
    });
  });

  it('reads a damaged choice file as a specific refusal, not as a server', () => {
    writeFileSync(join(config, SERVER_CHOICE_FILE), '{"server": "svs://127.0.0.1:9"');
    expect(() => new ServerChoiceFile(config).read()).toThrow(expect.objectContaining({ code: 'CORRUPT_FILE' }));
    writeFileSync(join(config, SERVER_CHOICE_FILE), JSON.stringify({ server: 'svs://127.0.0.1:9', fingerprint: 'AB:CD' }));
    expect(() => new ServerChoiceFile(config).read()).toThrow(expect.objectContaining({ code: 'CORRUPT_FILE' }));
  });
});
