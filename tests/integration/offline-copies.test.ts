/**
 * The offline copies of recently opened documents (host/offline-cache.ts, host/offline-mode.ts) against a
 * real SlipVault server on 127.0.0.1: what a clerk opened while the server answered opens again after it
 * stopped — with that clerk's password only, sealed on disk, page images checked against their hash — and
 * everything else is refused with a specific error.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handleConnectionCall } from '../../src/main/host/connection-calls';
import { OFFLINE_CACHE_FOLDER, type OfflineCacheLimits } from '../../src/main/host/offline-cache';
import { ServerChoiceFile } from '../../src/main/host/server-choice';
import { routeConnection, ServerRouting, type RoutedConnection } from '../../src/main/host/server-routing';
import { KnownServerStore } from '../../src/main/network/known-servers';
import { connectToServer } from '../../src/main/network/remote-client';
import { parseServerUrl } from '../../src/main/network/server-address';
import type { DocumentDetail, ImportResult, VersionSummary } from '../../src/shared/model';
import type { OfflineCopies } from '../../src/shared/server-connection';
import { tempDir, writePng } from '../helpers/fixtures';
import { serveArchive, type ServedArchive } from '../helpers/served-archive';
import { TEST_PASSWORD } from '../helpers/sessions';

const opened: RoutedConnection[] = [];
const servers: ServedArchive[] = [];

afterAll(async () => {
  for (const route of opened) route.close();
  for (const server of servers) await server.close();
});

function routingIn(configFolder: string, limits?: OfflineCacheLimits): ServerRouting {
  const choices = new ServerChoiceFile(configFolder);
  return new ServerRouting(new KnownServerStore(configFolder), choices, choices.read(), limits);
}

function pageOf(routing: ServerRouting): RoutedConnection {
  const route = routeConnection(routing, {
    openLocal: () => {
      throw new Error('these pages work on a server only');
    },
    sendEvent: () => undefined,
  });
  opened.push(route);
  return route;
}

function valueOf<T>(result: { ok: true; value: unknown } | { ok: false; error: unknown }): T {
  expect(result.ok, JSON.stringify(result)).toBe(true);
  return (result as { ok: true; value: T }).value;
}

/** A server with `count` documents of one page each, every page a different image. */
async function serverWithDocuments(count: number): Promise<{ server: ServedArchive; archiveNos: string[] }> {
  const server = await serveArchive(tempDir('slipvault-offline-server-'), { admin: 'admin', 'clerk-li': 'clerk', 'clerk-wang': 'clerk' });
  servers.push(server);
  const wang = await connectToServer(parseServerUrl(server.url), server.fingerprint);
  try {
    valueOf(await wang.invoke('auth:login', { username: 'clerk-wang', password: TEST_PASSWORD }));
    const archiveNos: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const file = await writePng(server.scans, `slip-${index}.png`, 300 + index * 7, 420);
      archiveNos.push(valueOf<ImportResult>(await wang.invoke('documents:import', { paths: [file] })).imported[0]!.document.archiveNo);
    }
    return { server, archiveNos };
  } finally {
    wang.close();
  }
}

/** A page logged in on `server` as clerk-li that opens each document as the drawer does: details, versions, page image. */
async function openOnline(routing: ServerRouting, server: ServedArchive, archiveNos: string[]) {
  const route = pageOf(routing);
  valueOf(await handleConnectionCall(routing, route, 'connection:trust', { server: server.url, fingerprint: server.fingerprint }));
  valueOf(await route.invoke('auth:login', { username: 'clerk-li', password: TEST_PASSWORD }));
  const seen = new Map<string, { detail: DocumentDetail; history: VersionSummary[]; image: Buffer }>();
  for (const archiveNo of archiveNos) {
    const detail = valueOf<DocumentDetail>(await route.invoke('documents:get', { ref: archiveNo }));
    const history = valueOf<VersionSummary[]>(await route.invoke('documents:history', { ref: detail.id }));
    const image = await route.readBlob(detail.pages[0]!.blobHash);
    expect(image).not.toBeNull();
    seen.set(archiveNo, { detail, history, image: image! });
  }
  return { route, seen };
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('offline copies of recently opened documents', () => {
  it('opens what the clerk opened once the server is gone — with their password, read-only, sealed on disk', async () => {
    const { server, archiveNos } = await serverWithDocuments(3);
    const [first, second, notOpened] = archiveNos as [string, string, string];
    const config = tempDir('slipvault-offline-config-');
    const { route: online, seen } = await openOnline(routingIn(config), server, [first, second]);
    expect(valueOf(await handleConnectionCall(routingIn(config), online, 'connection:status', {}))).toMatchObject({ offlineUser: 'clerk-li' });
    await server.close();

    // The next start of the app: the server cannot be reached, and the login says so.
    const routing = routingIn(config);
    const page = pageOf(routing);
    expect(await page.invoke('auth:login', { username: 'clerk-li', password: TEST_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'SERVER_UNREACHABLE' },
    });
    expect(valueOf(await handleConnectionCall(routing, page, 'connection:status', {}))).toEqual({
      mode: 'server',
      server: server.url,
      fingerprint: server.fingerprint,
      offlineUser: 'clerk-li',
    });

    // Only the user who last logged in there, and only with that user's password.
    expect(await handleConnectionCall(routing, page, 'connection:openOffline', { username: 'clerk-li', password: 'not the password' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', messageKey: 'offline.wrongPassword', details: { reason: 'offline-wrong-password' } },
    });
    expect(await handleConnectionCall(routing, page, 'connection:openOffline', { username: 'clerk-wang', password: TEST_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', messageKey: 'offline.noCopies', details: { reason: 'no-offline-copies', username: 'clerk-wang' } },
    });
    expect(await page.invoke('documents:get', { ref: first })).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });

    const copies = valueOf<OfflineCopies>(
      await handleConnectionCall(routing, page, 'connection:openOffline', { username: 'clerk-li', password: TEST_PASSWORD }),
    );
    expect(copies.user.username).toBe('clerk-li');
    expect(copies.server).toBe(server.url);
    expect(copies.documents.map((document) => document.archiveNo)).toEqual([second, first]);
    expect(copies.copiedAt).toBe(copies.documents[0]!.copiedAt);
    expect(valueOf(await handleConnectionCall(routing, page, 'connection:status', {}))).toMatchObject({ offline: { user: { username: 'clerk-li' } } });

    for (const archiveNo of [first, second]) {
      const online = seen.get(archiveNo)!;
      expect(valueOf(await page.invoke('documents:get', { ref: archiveNo }))).toEqual(online.detail);
      expect(valueOf(await page.invoke('documents:get', { ref: online.detail.id }))).toEqual(online.detail);
      expect(valueOf(await page.invoke('documents:history', { ref: online.detail.id }))).toEqual(online.history);
      expect(await page.readBlob(online.detail.pages[0]!.blobHash)).toEqual(online.image);
    }
    expect(valueOf(await page.invoke('auth:status', {}))).toMatchObject({ user: { username: 'clerk-li', role: 'clerk' } });

    expect(await page.invoke('documents:get', { ref: notOpened })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', messageKey: 'offline.notCached', details: { reason: 'not-cached-offline', ref: notOpened } },
    });
    expect(await page.invoke('documents:edit', { ref: first, changes: { customer: '华东物流' } })).toMatchObject({
      ok: false,
      error: { code: 'SERVER_UNREACHABLE', messageKey: 'offline.readOnly', details: { reason: 'offline-read-only', method: 'documents:edit' } },
    });
    expect(await page.invoke('documents:list', {})).toMatchObject({ ok: false, error: { details: { reason: 'offline-read-only' } } });
    // Imports are not this mode's: they go the usual way, which keeps them on this computer while the server is away.
    const file = await writePng(tempDir('slipvault-offline-pc-'), 'on-this-pc.png');
    expect(await page.invoke('documents:import', { paths: [file] })).toMatchObject({
      ok: true,
      value: { imported: [], failed: [{ code: 'SERVER_UNREACHABLE', details: { reason: 'queued-offline', waiting: 1 } }] },
    });

    // Another tab of the same host is not in the offline mode.
    expect(await pageOf(routing).invoke('documents:get', { ref: first })).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });

    // On disk: nothing readable without the password — no archive number, no page image bytes.
    const cacheFiles = filesUnder(join(config, OFFLINE_CACHE_FOLDER));
    for (const path of cacheFiles) {
      const bytes = readFileSync(path);
      expect(bytes.includes(Buffer.from(first)), path).toBe(false);
      expect(bytes.includes(seen.get(first)!.image.subarray(0, 64)), path).toBe(false);
    }

    // A page image changed on disk is refused, not shown.
    const image = seen.get(first)!.image;
    const sealedImage = cacheFiles.find((path) => statSync(path).size === image.length + 28)!;
    const tampered = readFileSync(sealedImage);
    tampered[tampered.length - 1]! ^= 0xff;
    writeFileSync(sealedImage, tampered);
    expect(await page.readBlob(seen.get(first)!.detail.pages[0]!.blobHash)).toBeNull();

    // Logging out leaves the copies: the page is logged in nowhere, and its calls go to the server again.
    expect(valueOf(await page.invoke('auth:logout', {}))).toMatchObject({ user: null });
    expect(valueOf(await handleConnectionCall(routing, page, 'connection:status', {}))).not.toHaveProperty('offline');
    valueOf(await handleConnectionCall(routing, page, 'connection:openOffline', { username: 'clerk-li', password: TEST_PASSWORD }));

    // Leaving the offline mode: the page's calls go to the server again.
    expect(valueOf(await handleConnectionCall(routing, page, 'connection:closeOffline', {}))).not.toHaveProperty('offline');
    expect(await page.invoke('documents:get', { ref: first })).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });
  });

  it('keeps the last documents opened within its limits, dropping the oldest first', async () => {
    const { server, archiveNos } = await serverWithDocuments(3);
    const byCount = tempDir('slipvault-offline-config-');
    await openOnline(routingIn(byCount, { documents: 2, bytes: 500 * 1024 * 1024 }), server, archiveNos);

    // A byte cap that holds two of these documents with their page images, not three.
    const measured = tempDir('slipvault-offline-config-');
    await openOnline(routingIn(measured), server, archiveNos.slice(0, 1));
    const oneDocument = filesUnder(join(measured, OFFLINE_CACHE_FOLDER))
      .filter((path) => !path.endsWith('.json'))
      .reduce((sum, path) => sum + statSync(path).size, 0);
    const byBytes = tempDir('slipvault-offline-config-');
    await openOnline(routingIn(byBytes, { documents: 200, bytes: oneDocument * 2 }), server, archiveNos);
    await server.close();

    for (const config of [byCount, byBytes]) {
      const routing = routingIn(config);
      const page = pageOf(routing);
      const copies = valueOf<OfflineCopies>(
        await handleConnectionCall(routing, page, 'connection:openOffline', { username: 'clerk-li', password: TEST_PASSWORD }),
      );
      expect(copies.documents.map((document) => document.archiveNo)).toEqual([archiveNos[2], archiveNos[1]]);
      expect(await page.invoke('documents:get', { ref: archiveNos[0]! })).toMatchObject({ ok: false, error: { details: { reason: 'not-cached-offline' } } });
      expect(valueOf(await page.invoke('documents:get', { ref: archiveNos[1]! }))).toMatchObject({ archiveNo: archiveNos[1] });
    }
  });

  it('starts the copies afresh when the password is changed: the old password opens nothing', async () => {
    const { server, archiveNos } = await serverWithDocuments(2);
    const config = tempDir('slipvault-offline-config-');
    const { route } = await openOnline(routingIn(config), server, archiveNos.slice(0, 1));
    const newPassword = `${TEST_PASSWORD}-changed`;
    valueOf(await route.invoke('auth:changePassword', { currentPassword: TEST_PASSWORD, newPassword }));
    valueOf(await route.invoke('documents:get', { ref: archiveNos[1]! }));
    await server.close();

    const routing = routingIn(config);
    const page = pageOf(routing);
    expect(await handleConnectionCall(routing, page, 'connection:openOffline', { username: 'clerk-li', password: TEST_PASSWORD })).toMatchObject({
      ok: false,
      error: { details: { reason: 'offline-wrong-password' } },
    });
    const copies = valueOf<OfflineCopies>(await handleConnectionCall(routing, page, 'connection:openOffline', { username: 'clerk-li', password: newPassword }));
    expect(copies.documents.map((document) => document.archiveNo)).toEqual([archiveNos[1]]);
  });
});
