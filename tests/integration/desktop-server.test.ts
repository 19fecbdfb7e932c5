/**
 * The desktop and preview hosts' routing (host/server-routing.ts) against a real SlipVault server on
 * 127.0.0.1: a page's calls and events go to the server once its fingerprint is trusted — pinned in the
 * CLI's known-servers store, the choice remembered for the next start — and a wrong or changed fingerprint,
 * a path on this computer, and a server that went away are each refused with a specific error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initArchive } from '../../src/main/core/archive';
import { openSession, type ArchiveSession } from '../../src/main/host/session';
import { ServerChoiceFile, SERVER_CHOICE_FILE } from '../../src/main/host/server-choice';
import { routeConnection, sessionTarget, ServerRouting, type RoutedConnection } from '../../src/main/host/server-routing';
import { handleConnectionCall } from '../../src/main/host/connection-calls';
import { KNOWN_SERVERS_FILE, KnownServerStore } from '../../src/main/network/known-servers';
import { connectToServer } from '../../src/main/network/remote-client';
import { parseServerUrl } from '../../src/main/network/server-address';
import type { EventMessage } from '../../src/shared/client';
import type { AuthStatus, DocumentDetail, DocumentSummary, ImportResult } from '../../src/shared/model';
import { tempDir, writePng } from '../helpers/fixtures';
import { serveArchive, type ServedArchive } from '../helpers/served-archive';
import { TEST_PASSWORD } from '../helpers/sessions';

let server: ServedArchive;
let workstation: ArchiveSession;
const opened: RoutedConnection[] = [];

beforeAll(async () => {
  const dir = tempDir('slipvault-desktop-server-');
  server = await serveArchive(dir, { admin: 'admin', 'clerk-li': 'clerk', 'clerk-wang': 'clerk' });
  // This computer's own archive: a new one, no account yet, so its answers are told apart from the server's.
  workstation = openSession(await initArchive(join(dir, 'pc-archive')), { backgroundOcr: false, resumeHotFolder: false });
});

afterAll(async () => {
  for (const route of opened) route.close();
  await server?.close();
  await workstation?.close();
});

function routingIn(configFolder: string): ServerRouting {
  const choices = new ServerChoiceFile(configFolder);
  return new ServerRouting(new KnownServerStore(configFolder), choices, choices.read());
}

function pageOf(routing: ServerRouting): { route: RoutedConnection; events: EventMessage[] } {
  const events: EventMessage[] = [];
  const route = routeConnection(routing, { openLocal: () => sessionTarget(workstation), sendEvent: (message) => events.push(message) });
  opened.push(route);
  return { route, events };
}

async function importAsWang(name: string): Promise<string> {
  const wang = await connectToServer(parseServerUrl(server.url), server.fingerprint);
  try {
    expect(await wang.invoke('auth:login', { username: 'clerk-wang', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    const file = await writePng(server.scans, name);
    const imported = await wang.invoke('documents:import', { paths: [file] });
    expect(imported.ok, JSON.stringify(imported)).toBe(true);
    return (imported as { ok: true; value: ImportResult }).value.imported[0]!.document.archiveNo;
  } finally {
    wang.close();
  }
}

describe('a host routed to a SlipVault server', () => {
  it('pins the compared fingerprint, logs in on the server and sees another clerk’s document live; the choice is kept for the next start', async () => {
    const config = tempDir('slipvault-pc-config-');
    const routing = routingIn(config);
    const { route, events } = pageOf(routing);

    expect(await handleConnectionCall(routing, route, 'connection:status', {})).toEqual({ ok: true, value: { mode: 'local' } });
    const local = await route.invoke('auth:status', {});
    expect((local as { ok: true; value: AuthStatus }).value.setupRequired).toBe(true);

    const probe = await handleConnectionCall(routing, route, 'connection:probe', { server: server.url });
    expect(probe).toEqual({ ok: true, value: { server: server.url, presented: server.fingerprint, pinned: null } });

    const trusted = await handleConnectionCall(routing, route, 'connection:trust', {
      server: server.url,
      fingerprint: server.fingerprint.replace(/:/g, '').toLowerCase(),
    });
    expect(trusted).toEqual({ ok: true, value: { mode: 'server', server: server.url, fingerprint: server.fingerprint } });
    // Pinned where `slipvault --server` looks, and remembered without any user name or password.
    expect(new KnownServerStore(config).fingerprintOf(parseServerUrl(server.url))).toBe(server.fingerprint);
    expect(JSON.parse(readFileSync(join(config, SERVER_CHOICE_FILE), 'utf8'))).toEqual({ server: server.url, fingerprint: server.fingerprint });

    const status = await route.invoke('auth:status', {});
    expect(status).toMatchObject({ ok: true, value: { setupRequired: false, user: null } });
    expect(await route.invoke('auth:login', { username: 'clerk-li', password: TEST_PASSWORD })).toMatchObject({ ok: true, value: { username: 'clerk-li' } });

    const archiveNo = await importAsWang('from-wang.png');
    await expect
      .poll(() => events.some((message) => message.event === 'documents:changed' && (message.payload as { archiveNo: string }).archiveNo === archiveNo))
      .toBe(true);
    const listed = await route.invoke('documents:list', {});
    expect(listed.ok).toBe(true);
    expect((listed as { ok: true; value: { items: DocumentSummary[] } }).value.items.map((item) => item.archiveNo)).toContain(archiveNo);

    // Its page image, read through the page's login on the server and checked against its hash.
    const detail = (await route.invoke('documents:get', { ref: archiveNo })) as { ok: true; value: DocumentDetail };
    const hash = detail.value.pages[0]!.blobHash;
    expect(await route.readBlob(hash)).toEqual(readFileSync(server.archive.blobs.pathOf(hash)));
    expect(await route.readBlob('0'.repeat(64))).toBeNull();
    const pastEnd = await route.invoke('blobs:read', { sha256: hash, offset: 10_000_000, length: 1024 });
    expect(pastEnd).toMatchObject({ ok: false, error: { code: 'VALIDATION', messageKey: 'blobs.offsetPastEnd' } });

    // The next start of the host: the same OS user's configuration, a new page, the same server.
    const again = pageOf(routingIn(config));
    expect(await again.route.invoke('auth:login', { username: 'clerk-li', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    const relisted = await again.route.invoke('documents:get', { ref: archiveNo });
    expect(relisted).toMatchObject({ ok: true, value: { archiveNo } });

    // A folder on this computer is not sent to the server (files to import are uploaded: desktop-uploads.test.ts).
    const folder = tempDir('slipvault-pc-hot-folder-');
    const refused = await again.route.invoke('hotFolder:watch', { path: folder });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { reason: 'local-path-over-network', path: folder, server: server.url } },
    });

    // Back to this computer's archive: the page's login there went with the connection, and it is told so.
    expect(await handleConnectionCall(routing, route, 'connection:useLocal', {})).toEqual({ ok: true, value: { mode: 'local' } });
    expect(events.at(-1)).toEqual({ event: 'session:locked', payload: { reason: 'connection-changed' } });
    expect(existsSync(join(config, SERVER_CHOICE_FILE))).toBe(false);
    expect((await route.invoke('auth:status', {})) as { ok: true; value: AuthStatus }).toMatchObject({ ok: true, value: { setupRequired: true } });
  });

  it('refuses a fingerprint that is not the server’s, showing both, and pins nothing', async () => {
    const config = tempDir('slipvault-pc-config-');
    const routing = routingIn(config);
    const { route } = pageOf(routing);
    const wrong = server.fingerprint.replace(/^../, server.fingerprint.startsWith('00') ? '11' : '00');
    const refused = await handleConnectionCall(routing, route, 'connection:trust', { server: server.url, fingerprint: wrong });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'SERVER_NOT_TRUSTED', details: { reason: 'fingerprint-mismatch', expected: wrong, presented: server.fingerprint } },
    });
    expect(existsSync(join(config, KNOWN_SERVERS_FILE))).toBe(false);
    expect(routing.status()).toEqual({ mode: 'local' });

    const notAFingerprint = await handleConnectionCall(routing, route, 'connection:trust', { server: server.url, fingerprint: 'AB:CD' });
    expect(notAFingerprint).toMatchObject({ ok: false, error: { code: 'VALIDATION', messageKey: 'server.badFingerprint' } });
    const notAnAddress = await handleConnectionCall(routing, route, 'connection:probe', { server: 'https://archive.office.lan' });
    expect(notAnAddress).toMatchObject({ ok: false, error: { code: 'VALIDATION', messageKey: 'server.badServerAddress' } });
  });

  it('refuses a server whose certificate changed since it was trusted, with both fingerprints', async () => {
    const config = tempDir('slipvault-pc-config-');
    const routing = routingIn(config);
    const { route } = pageOf(routing);
    expect(await handleConnectionCall(routing, route, 'connection:trust', { server: server.url, fingerprint: server.fingerprint })).toMatchObject({ ok: true });
    // What a replaced certificate looks like from here: this computer trusts another fingerprint than the one presented.
    const earlier = `00:${server.fingerprint.slice(3)}` === server.fingerprint ? `11:${server.fingerprint.slice(3)}` : `00:${server.fingerprint.slice(3)}`;
    new KnownServerStore(config).trust(parseServerUrl(server.url), earlier);
    const next = pageOf(routingIn(config));
    const refused = await next.route.invoke('auth:status', {});
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'SERVER_NOT_TRUSTED',
        messageKey: 'server.certificateChanged',
        details: { reason: 'fingerprint-changed', pinned: earlier, presented: server.fingerprint },
      },
    });
  });

  it('keeps a logged-in page open when its server goes away, and says which address cannot be reached', async () => {
    const dir = tempDir('slipvault-desktop-server-gone-');
    const doomed = await serveArchive(dir, { admin: 'admin', 'clerk-li': 'clerk' });
    const routing = routingIn(tempDir('slipvault-pc-config-'));
    const { route, events } = pageOf(routing);
    try {
      expect(await handleConnectionCall(routing, route, 'connection:trust', { server: doomed.url, fingerprint: doomed.fingerprint })).toMatchObject({
        ok: true,
      });
      expect(await route.invoke('auth:login', { username: 'clerk-li', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    } finally {
      await doomed.close();
    }
    // Not locked (the clerk may go on and queue imports, desktop-uploads.test.ts): the next call says why nothing is answered.
    await expect
      .poll(async () => ((await route.invoke('auth:status', {})) as { error?: { details?: { code?: string } } }).error?.details?.code)
      .toBe('ECONNREFUSED');
    expect(events.filter((message) => message.event === 'session:locked')).toEqual([]);
    const unreachable = await route.invoke('auth:status', {});
    expect(unreachable).toMatchObject({
      ok: false,
      error: { code: 'SERVER_UNREACHABLE', messageKey: 'server.unreachable', details: { server: doomed.url, code: 'ECONNREFUSED' } },
    });
    expect((unreachable as { ok: false; error: { message: string } }).error.message).toContain(doomed.url);
  });
});
