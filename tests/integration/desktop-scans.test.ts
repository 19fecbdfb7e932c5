/**
 * Scanning and adding pages on a workstation whose window works on a SlipVault server (host/server-scans.ts),
 * against a real TLS server on 127.0.0.1 and SANE's `test` backend on the workstation: a preview host process
 * scans into the server's inbox (the answer shaped as a local scan's, the documents on the server as the clerk,
 * none in the workstation's archive) and adds a PNG uploaded to it to a server document as version N+1; with the
 * server stopped a scan into the inbox and a scan into a document are kept and land once it is back and the
 * clerk logs in; a missing file, a damaged image, a scanner that fails, an unknown document and a viewer are
 * refused with their own errors and nothing on the server changes.
 */
import { createHash } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/main/core/api';
import { initArchive, openArchive, type Archive } from '../../src/main/core/archive';
import { OFFLINE_QUEUE_FOLDER } from '../../src/main/host/offline-queue';
import { ServerChoiceFile } from '../../src/main/host/server-choice';
import { answerOnWorkstation } from '../../src/main/host/server-scans';
import { routeConnection, sessionTarget, ServerRouting, type RoutedConnection } from '../../src/main/host/server-routing';
import { openSession, type ArchiveSession } from '../../src/main/host/session';
import { KnownServerStore } from '../../src/main/network/known-servers';
import { parseServerUrl } from '../../src/main/network/server-address';
import type { CallResult, Method } from '../../src/shared/contract';
import type { DocumentDetail, ImportResult, ScanResult } from '../../src/shared/model';
import { callOk } from '../helpers/api-calls';
import { tempDir, writePng } from '../helpers/fixtures';
import { connectCaller, upload } from '../helpers/preview-client';
import { startPreviewProcess } from '../helpers/preview-process';
import { hasScanimage, saneTestConfig } from '../helpers/sane';
import { serveAgain, serveArchive, type ServedArchive } from '../helpers/served-archive';
import { clientAs, TEST_PASSWORD } from '../helpers/sessions';

const BATCH = { device: 'test:0', source: 'ADF', resolution: 50, pages: 3 } as const;
const USERS = { admin: 'admin', 'clerk-li': 'clerk', 'viewer-zhao': 'viewer' } as const;
const savedSaneConfig = process.env.SANE_CONFIG_DIR;
const scanimage = hasScanimage();

/** A workstation's configuration folder that already trusts and chose `server`. */
function configFor(server: { url: string; fingerprint: string }): string {
  const config = tempDir('slipvault-pc-config-');
  const address = parseServerUrl(server.url);
  new KnownServerStore(config).trust(address, server.fingerprint);
  new ServerChoiceFile(config).remember({ address, fingerprint: server.fingerprint });
  return config;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function value<T>(result: CallResult<Method>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** Imports a PNG made on this computer through the page; answers its archive number on the server. */
async function importedPng(route: RoutedConnection, name: string): Promise<string> {
  const png = await writePng(tempDir('slipvault-pc-files-'), name);
  return value<ImportResult>(await route.invoke('documents:import', { paths: [png] })).imported[0]!.document.archiveNo;
}

/** What the server's archive holds: rows and audit events, to show a refusal changed nothing. */
function holdings(archive: Archive) {
  const count = (table: string) => (archive.connection.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { documents: count('documents'), versions: count('document_versions'), pages: count('pages'), sourceFiles: count('source_files') };
}

const documentEvents = (archive: Archive) =>
  archive.audit
    .list(0, 10_000)
    .filter((event) => event.action === 'document.import' || event.action === 'document.page.add')
    .map((event) => ({ action: event.action, actor: event.actor, targetId: event.targetId }));

describe.runIf(scanimage)(
  `scanning on a workstation working on a server (SANE test backend${scanimage ? '' : ': skipped, scanimage is not installed'})`,
  () => {
    const grid = saneTestConfig(1);
    const opened: RoutedConnection[] = [];
    let workstation: ArchiveSession;

    beforeAll(async () => {
      // The in-process page scans through this process's environment, as the host process does through its own.
      process.env.SANE_CONFIG_DIR = grid;
      workstation = openSession(await initArchive(join(tempDir('slipvault-pc-'), 'archive')), { backgroundOcr: false, resumeHotFolder: false });
    });

    afterAll(async () => {
      for (const route of opened) route.close();
      await workstation?.close();
      if (savedSaneConfig === undefined) delete process.env.SANE_CONFIG_DIR;
      else process.env.SANE_CONFIG_DIR = savedSaneConfig;
    });

    function pageIn(config: string): { route: RoutedConnection; routing: ServerRouting } {
      const choices = new ServerChoiceFile(config);
      const routing = new ServerRouting(new KnownServerStore(config), choices, choices.read());
      const route = routeConnection(routing, { openLocal: () => sessionTarget(workstation), sendEvent: () => undefined });
      opened.push(route);
      return { route, routing };
    }

    async function loggedIn(config: string, username = 'clerk-li') {
      const page = pageIn(config);
      expect(await page.route.invoke('auth:login', { username, password: TEST_PASSWORD })).toMatchObject({ ok: true });
      return page;
    }

    it('scans from a preview host into the server’s inbox and adds a page uploaded to it, as a local window would', async () => {
      const server = await serveArchive(tempDir('slipvault-scan-server-'), USERS);
      let host: ChildProcess | null = null;
      try {
        // The workstation has a second scanner, test:1, that the server (this process, test:0 only) has not: only a
        // scan made on the workstation can use it.
        const preview = await startPreviewProcess(configFor(server), { SANE_CONFIG_DIR: saneTestConfig(2) });
        host = preview.child;
        const page = await connectCaller(preview.host, null);
        expect(await page.call('auth:login', { username: 'clerk-li', password: TEST_PASSWORD })).toMatchObject({ ok: true });
        const scanners = await page.call('scanner:list', {});
        expect((scanners.value as { device: string }[]).map((scanner) => scanner.device)).toEqual(['test:0', 'test:1']);

        const scanned = await page.call('scanner:scan', { ...BATCH, device: 'test:1' });
        expect(scanned.ok, scanned.error?.message).toBe(true);
        const remote = scanned.value as ScanResult;

        // The same batch scanned by a window on a local archive: the answer has the same shape.
        const local = await initArchive(join(tempDir('slipvault-local-'), 'archive'));
        const localApi = createApi(local);
        try {
          const here = await callOk(await clientAs(localApi, local, 'clerk', 'clerk-li'), 'scanner:scan', BATCH);
          const shape = (result: ScanResult) => ({
            pages: result.pages,
            failed: result.import.failed,
            imported: result.import.imported.map((entry) => ({
              file: entry.file
                .split('/')
                .at(-1)!
                .replace(/^scan-[\dT-]+Z/, 'scan'),
              pageCount: entry.document.pageCount,
              status: entry.document.status,
            })),
          });
          expect(shape(remote)).toEqual(shape(here));
          expect(Object.keys(remote).sort()).toEqual(Object.keys(here).sort());
        } finally {
          await localApi.dispose();
          local.close();
        }
        expect(remote).toMatchObject({ pages: 3, import: { failed: [], imported: [{ document: { pageCount: 3, status: 'inbox' } }] } });
        const archiveNo = remote.import.imported[0]!.document.archiveNo;
        expect(server.archive.documents.get(archiveNo).pages).toHaveLength(3);
        expect(documentEvents(server.archive)).toEqual([{ action: 'document.import', actor: 'clerk-li', targetId: archiveNo }]);

        // A PNG on this computer, handed to the host as the page hands a dropped file over, added as version 2.
        const png = readFileSync(await writePng(tempDir('slipvault-pc-files-'), '背面.png', 300, 420));
        const uploaded = await upload(preview.host, '背面.png', png);
        const added = await page.call('pages:add', { ref: archiveNo, paths: [uploaded.path], reason: 'the back' });
        expect(added.ok, added.error?.message).toBe(true);
        const detail = added.value as DocumentDetail;
        expect(detail.currentVersion).toBe(2);
        expect(detail.pages).toHaveLength(4);
        expect(detail.pages[3]!.blobHash).toBe(sha256(png));
        expect(server.archive.documents.get(archiveNo).currentVersion).toBe(2);
        expect(documentEvents(server.archive).at(-1)).toEqual({ action: 'document.page.add', actor: 'clerk-li', targetId: archiveNo });
        page.close();

        // Nothing of it is in the workstation's own archive.
        host.kill('SIGTERM');
        await new Promise((done) => host!.once('exit', done));
        const workstationArchive = await openArchive(preview.archive);
        try {
          expect(holdings(workstationArchive).documents).toBe(0);
        } finally {
          workstationArchive.close();
        }
      } finally {
        if (host && host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
        await server.close();
      }
    }, 120_000);

    it('scans into a server document as one new version, audited as the clerk', async () => {
      const server = await serveArchive(tempDir('slipvault-scan-server-'), USERS);
      try {
        const { route } = await loggedIn(configFor(server));
        const archiveNo = await importedPng(route, '签收单.png');
        const detail = value<DocumentDetail>(await route.invoke('pages:scan', { ref: archiveNo, ...BATCH, pages: 2, reason: 'signed back' }));
        expect(detail.currentVersion).toBe(2);
        expect(detail.pages).toHaveLength(3);
        const history = server.archive.documents.history(archiveNo);
        expect(history.at(-1)).toMatchObject({ number: 2, actor: 'clerk-li', action: 'page.add', reason: 'signed back' });
        expect(holdings(workstation.archive).documents).toBe(0);
      } finally {
        await server.close();
      }
    });

    it('keeps scans made while the server is stopped, and they land once it is back and the clerk logs in', async () => {
      const dir = tempDir('slipvault-scan-queue-');
      let server: ServedArchive = await serveArchive(dir, USERS);
      try {
        const config = configFor(server);
        const { route, routing } = await loggedIn(config);
        const archiveNo = await importedPng(route, '送货单.png');
        await server.close();

        const scan = value<ScanResult>(await route.invoke('scanner:scan', BATCH));
        expect(scan).toMatchObject({
          pages: 3,
          import: {
            imported: [],
            failed: [{ code: 'SERVER_UNREACHABLE', messageKey: 'uploadQueue.queued', details: { reason: 'queued-offline', waiting: 1 } }],
          },
        });
        const intoDocument = await route.invoke('pages:scan', { ref: archiveNo, ...BATCH, pages: 2 });
        expect(intoDocument).toMatchObject({
          ok: false,
          error: {
            code: 'SERVER_UNREACHABLE',
            messageKey: 'uploadQueue.queuedPages',
            details: { reason: 'queued-offline', waiting: 2, document: archiveNo },
            message: expect.stringContaining('Its pages are added to the document when the server is back and you are logged in.'),
          },
        });
        expect(routing.queue.status(server.url)).toMatchObject({ waiting: 2, refused: 0 });

        server = await serveAgain(server);
        expect(await route.invoke('auth:login', { username: 'clerk-li', password: TEST_PASSWORD })).toMatchObject({ ok: true });
        await expect.poll(() => routing.queue.status(server.url).items.length, { timeout: 30_000 }).toBe(0);
        expect(readdirSync(join(config, OFFLINE_QUEUE_FOLDER))).toEqual([]);

        const documents = server.archive.documents.list({ limit: 10, offset: 0, includeVoided: false }).items;
        expect(documents.map((document) => document.pageCount).sort()).toEqual([3, 3]);
        expect(server.archive.documents.get(archiveNo)).toMatchObject({ currentVersion: 2 });
        expect(server.archive.documents.get(archiveNo).pages).toHaveLength(3);
        expect(documentEvents(server.archive).map((event) => [event.action, event.actor])).toEqual([
          ['document.import', 'clerk-li'],
          ['document.import', 'clerk-li'],
          ['document.page.add', 'clerk-li'],
        ]);
      } finally {
        await server.close();
      }
    }, 60_000);

    it('keeps a scan whose login on the server ended while the scanner ran, and sends it after the next login', async () => {
      const server = await serveArchive(tempDir('slipvault-scan-logout-'), USERS);
      try {
        const { route, routing } = await loggedIn(configFor(server));
        const archiveNo = await importedPng(route, '回单.png');
        // The page's real connection, on which the session ends right after the server said the scan may go ahead.
        const endingSession = async (method: Method, input: unknown) => {
          const answer = await route.invoke(method, input);
          if (method === 'uploads:checkScan') expect(await route.invoke('auth:logout', {})).toMatchObject({ ok: true });
          return answer;
        };
        const workstation = { invoke: endingSession, server: server.url, queue: routing.queue };

        const scan = value<ScanResult>(await answerOnWorkstation(workstation, 'scanner:scan', BATCH));
        expect(scan).toMatchObject({
          pages: 3,
          import: {
            imported: [],
            failed: [{ code: 'UNAUTHENTICATED', messageKey: 'uploadQueue.queuedLoggedOut', details: { reason: 'queued-logged-out', waiting: 1 } }],
          },
        });
        expect(await route.invoke('auth:login', { username: 'clerk-li', password: TEST_PASSWORD })).toMatchObject({ ok: true });
        const intoDocument = await answerOnWorkstation(workstation, 'pages:scan', { ref: archiveNo, ...BATCH, pages: 2 });
        expect(intoDocument).toMatchObject({
          ok: false,
          error: { code: 'UNAUTHENTICATED', messageKey: 'uploadQueue.queuedPagesLoggedOut', details: { document: archiveNo } },
        });

        expect(await route.invoke('auth:login', { username: 'clerk-li', password: TEST_PASSWORD })).toMatchObject({ ok: true });
        await expect.poll(() => routing.queue.status(server.url).items.length, { timeout: 30_000 }).toBe(0);
        expect(server.archive.documents.get(archiveNo)).toMatchObject({ currentVersion: 2 });
        expect(documentEvents(server.archive).map((event) => [event.action, event.actor])).toEqual([
          ['document.import', 'clerk-li'],
          ['document.import', 'clerk-li'],
          ['document.page.add', 'clerk-li'],
        ]);
      } finally {
        await server.close();
      }
    }, 60_000);

    describe('refusals', () => {
      let server: ServedArchive;
      let archiveNo: string;
      let route: RoutedConnection;
      let routing: ServerRouting;
      let config: string;

      beforeAll(async () => {
        server = await serveArchive(tempDir('slipvault-scan-refusals-'), USERS);
        config = configFor(server);
        ({ route, routing } = await loggedIn(config));
        archiveNo = await importedPng(route, '签收单-0601.png');
      });
      afterAll(async () => {
        await server?.close();
      });

      /** `call` is refused with `expected`, and the server keeps exactly what it had, nothing queued here. */
      async function refusedWithNothingChanged(call: () => Promise<CallResult<Method>>, expected: Record<string, unknown>): Promise<void> {
        const before = { holdings: holdings(server.archive), events: server.archive.audit.list(0, 10_000).length };
        expect(await call()).toMatchObject({ ok: false, error: expected });
        expect(holdings(server.archive)).toEqual(before.holdings);
        // Only a refusal's own audit event (a call the role may not make) may have been written.
        const after = server.archive.audit.list(0, 10_000).slice(before.events);
        expect(after.filter((event) => !event.action.startsWith('call.'))).toEqual([]);
        expect(routing.queue.status(server.url).items).toEqual([]);
      }

      it('refuses a local file that is missing and an image that is damaged before anything is sent', async () => {
        const files = tempDir('slipvault-pc-files-');
        const missing = join(files, 'gone.png');
        await refusedWithNothingChanged(() => route.invoke('pages:add', { ref: archiveNo, paths: [missing] }), {
          code: 'FILE_NOT_FOUND',
          messageKey: 'files.missing',
          details: { file: missing },
        });
        const whole = readFileSync(await writePng(files, 'whole.png', 400, 600));
        const damaged = join(files, 'damaged.png');
        writeFileSync(damaged, whole.subarray(0, Math.floor(whole.length / 2)));
        const fine = await writePng(files, 'fine.png');
        await refusedWithNothingChanged(() => route.invoke('pages:add', { ref: archiveNo, paths: [fine, damaged] }), {
          code: 'CORRUPT_FILE',
          messageKey: 'files.damaged',
        });
      });

      it('says what the scanner reported when it fails, and sends nothing', async () => {
        // SANE's test backend offers test:0 only: test:7 fails as an unplugged scanner does.
        const broken = { ...BATCH, device: 'test:7' };
        await refusedWithNothingChanged(() => route.invoke('scanner:scan', broken), { code: 'FILE_UNREADABLE', messageKey: 'scan.scannerError' });
        await refusedWithNothingChanged(() => route.invoke('pages:scan', { ref: archiveNo, ...broken }), {
          code: 'FILE_UNREADABLE',
          messageKey: 'scan.scannerError',
        });
      });

      it('refuses an unknown document, bad scan options and a viewer before the scanner moves', async () => {
        await refusedWithNothingChanged(() => route.invoke('pages:scan', { ref: 'SV-1999-000001', ...BATCH }), { code: 'NOT_FOUND' });
        await refusedWithNothingChanged(() => route.invoke('scanner:scan', { ...BATCH, source: 'Flatbed', duplex: true }), {
          code: 'VALIDATION',
          messageKey: 'input.invalid',
        });
        await refusedWithNothingChanged(() => route.invoke('scanner:scan', { ...BATCH, device: '--help' }), { code: 'VALIDATION' });
        const viewer = await loggedIn(config, 'viewer-zhao');
        await refusedWithNothingChanged(() => viewer.route.invoke('scanner:scan', BATCH), { code: 'FORBIDDEN' });
        const png = await writePng(tempDir('slipvault-pc-files-'), 'from-a-viewer.png');
        await refusedWithNothingChanged(() => viewer.route.invoke('pages:add', { ref: archiveNo, paths: [png] }), { code: 'FORBIDDEN' });
      });
    });
  },
);
