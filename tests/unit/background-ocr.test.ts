/**
 * Background OCR in the preview host (the Electron shell runs the same session code): imports are
 * recognised without anyone calling ocr:process, work left queued by an earlier run resumes when the
 * archive opens, and closing stops cleanly (no page left half-done). Text-layer PDFs keep this fast. The
 * queue's rows are storage: resuming and stopping run on both back ends, on PostgreSQL through the session that
 * `slipvault serve --db` runs.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { adminClient, ensureUser, TEST_PASSWORD } from '../helpers/sessions';
import type { Archive } from '../../src/main/core/archive';
import { openSession, type ArchiveSession } from '../../src/main/host/session';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import type { JobProgress } from '../../src/shared/events';
import type { DocumentDetail, ImportResult } from '../../src/shared/model';
import type { HotFolderStatus } from '../../src/shared/model';
import { pdfBytes, tempDir, writeJpeg, writePdf } from '../helpers/fixtures';
import { upload } from '../helpers/preview-client';
import { BACK_ENDS, useBackEnd, type TestBackEnd } from '../helpers/back-ends';

const hosts: PreviewHost[] = [];
const sessions: ArchiveSession[] = [];
const sessionErrors: unknown[] = [];

afterEach(async () => {
  await Promise.all([...hosts.splice(0), ...sessions.splice(0)].map((running) => running.close()));
  expect(sessionErrors.splice(0)).toEqual([]);
});

async function start(archiveDir: string): Promise<PreviewHost> {
  const renderer = tempDir('slipvault-renderer-');
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>SlipVault</title>');
  // The hot folders below are made in the temp folder: the page may name folders under it.
  const host = await startPreviewHost({ archiveDir, rendererRoot: renderer, actor: 'clerk-zhao', folderRoots: [tmpdir()] });
  hosts.push(host);
  return host;
}

interface Connected {
  call<T>(method: string, input: unknown): Promise<T>;
  progress: JobProgress[];
  changed: number[];
  close(): void;
}

async function connect(host: PreviewHost): Promise<Connected> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin: host.origin });
  await new Promise((opened, failed) => ws.once('open', opened).once('error', failed));
  let next = 1;
  const pending = new Map<number, (result: { ok: boolean; value?: unknown; error?: { message: string } }) => void>();
  const progress: JobProgress[] = [];
  const changed: number[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { kind: string; id?: number; result?: never; event?: string; payload?: never };
    if (message.kind === 'result') pending.get(message.id!)?.(message.result!);
    if (message.event === 'jobs:progress') progress.push(message.payload!);
    if (message.event === 'documents:changed') changed.push((message.payload as unknown as { documentId: number }).documentId);
  });
  const connected: Connected = {
    progress,
    changed,
    close: () => ws.close(),
    call: <T>(method: string, input: unknown) =>
      new Promise<T>((done, failed) => {
        const id = next++;
        pending.set(id, (result) => (result.ok ? done(result.value as T) : failed(new Error(result.error?.message))));
        ws.send(JSON.stringify({ id, method, input }));
      }),
  };
  // A page hears events only once logged in.
  await ensureUser(host.archive, 'clerk-zhao', 'admin');
  await connected.call('auth:login', { username: 'clerk-zhao', password: TEST_PASSWORD });
  return connected;
}

/** The page may import only what it uploaded (path-grants.ts): the files as the preview page hands them over. */
async function uploaded(host: PreviewHost, files: string[]): Promise<string[]> {
  return Promise.all(files.map(async (file) => (await upload(host, basename(file), readFileSync(file))).path!));
}

function jobStatuses(backEnd: TestBackEnd, archive: Archive): Record<string, number> {
  const db = backEnd.raw(archive);
  try {
    const rows = db.prepare('SELECT status, count(*) AS n FROM ocr_jobs GROUP BY status').all() as { status: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  } finally {
    db.close();
  }
}

describe('background OCR in the UI host', () => {
  it('recognises imported pages by itself, reporting progress and changes', async () => {
    const host = await start(join(tempDir(), 'archive'));
    const client = await connect(host);
    const file = writePdf(tempDir('slipvault-files-'), 'two-pages.pdf', 2);
    const imported = await client.call<ImportResult>('documents:import', { paths: await uploaded(host, [file]) });
    const ref = imported.imported[0]!.document.archiveNo;

    await expect
      .poll(async () => (await client.call<DocumentDetail>('documents:get', { ref })).pages.map((page) => page.text), { timeout: 20_000 })
      .toEqual([expect.stringMatching(/page 1$/), expect.stringMatching(/page 2$/)]);
    expect(await client.call('ocr:queue', {})).toMatchObject({ queued: 0, done: 2, failed: 0 });
    // Nobody asked for it: the audit trail has the import and the OCR versions, no ocr:process call.
    const history = await client.call<{ action: string }[]>('documents:history', { ref });
    expect(history.map((version) => version.action)).toEqual(['import', 'ocr', 'ocr']);
    const last = client.progress.at(-1)!;
    expect(last).toMatchObject({ phase: 'ocr', done: 2, total: 2 });
    expect(client.progress.some((event) => event.done === 1 && event.total === 2 && typeof event.etaMs === 'number')).toBe(true);
    expect(client.changed.filter((id) => id === imported.imported[0]!.document.id).length).toBeGreaterThanOrEqual(3);
    client.close();
  });

  it('closing the host also stops the hot folder it was watching', async () => {
    const host = await start(join(tempDir(), 'archive'));
    const client = await connect(host);
    const folder = tempDir('slipvault-hot-');
    expect(await client.call<HotFolderStatus>('hotFolder:watch', { path: folder })).toMatchObject({ watching: true, path: folder });
    client.close();
    await host.close();
    const late = await writeJpeg(folder, 'late.jpg');
    await new Promise((wait) => setTimeout(wait, 3500));
    expect(existsSync(late)).toBe(true);
  });

  it('remembers the watched hot folder: the next session of the archive watches it again', async () => {
    const archiveDir = join(tempDir(), 'archive');
    const folder = tempDir('slipvault-hot-');
    const first = await start(archiveDir);
    const firstClient = await connect(first);
    await firstClient.call<HotFolderStatus>('hotFolder:watch', { path: folder });
    firstClient.close();
    await first.close();
    hosts.splice(hosts.indexOf(first), 1);

    const second = await start(archiveDir);
    const client = await connect(second);
    const status = await client.call<HotFolderStatus>('hotFolder:status', {});
    expect(status).toMatchObject({ watching: true, path: folder });
    const dropped = await writeJpeg(folder, 'dropped.jpg');
    await expect.poll(() => existsSync(join(folder, 'done', 'dropped.jpg')), { timeout: 15_000, interval: 250 }).toBe(true);
    expect(existsSync(dropped)).toBe(false);
    client.close();
  });
});

describe.each(BACK_ENDS)('background OCR of an archive on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  const made = new Set<string>();
  // A page's recognition costs the same on both; on PostgreSQL a smaller batch still closes with pages in flight
  // and pages queued, which is what its rows must show.
  const batch = backEnd.name === 'sqlite' ? { files: 4, pages: 6 } : { files: 2, pages: 3 };

  /** The archive in `dir`, made on the first call. */
  async function archiveIn(dir: string): Promise<Archive> {
    const archive = await (made.has(dir) ? backEnd.open : backEnd.init)(dir, { actor: 'clerk-zhao' });
    made.add(dir);
    return archive;
  }

  /** The archive running with background OCR: on SQLite in the preview host, on PostgreSQL in the server's session. */
  async function startOn(dir: string): Promise<{ archive: Archive; close(): Promise<void> }> {
    if (backEnd.name === 'sqlite') return start(dir);
    const session = openSession(await archiveIn(dir), { onError: (error) => sessionErrors.push(error) });
    sessions.push(session);
    return session;
  }

  it('resumes pages an earlier run left queued as soon as the archive is opened', async () => {
    const archiveDir = join(tempDir(), 'archive');
    const earlier = await archiveIn(archiveDir);
    const result = await (
      await adminClient(earlier, 'clerk-zhao')
    ).invoke('documents:import', { paths: [writePdf(tempDir('slipvault-files-'), 'left.pdf', 3)] });
    expect(result.ok).toBe(true);
    earlier.close();
    expect(jobStatuses(backEnd, earlier)).toEqual({ queued: 3 });

    const running = await startOn(archiveDir);
    await expect.poll(() => running.archive.ocrQueue.counts(), { timeout: 20_000 }).toMatchObject({ queued: 0, done: 3 });
  });

  it('stops cleanly when the archive closes: pages in flight finish, the rest stay queued for next time', async () => {
    const archiveDir = join(tempDir(), 'archive');
    const running = await startOn(archiveDir);
    const progress: JobProgress[] = [];
    running.archive.events.subscribe((name, payload) => {
      if (name === 'jobs:progress') progress.push(payload as JobProgress);
    });
    const files = tempDir('slipvault-files-');
    const paths = Array.from({ length: batch.files }, (_, index) => {
      const path = join(files, `batch-${index}.pdf`);
      writeFileSync(path, pdfBytes(batch.pages));
      return path;
    });
    const clerk = await adminClient(running.archive, 'clerk-zhao');
    expect((await clerk.invoke('documents:import', { paths })).ok).toBe(true);
    await expect.poll(() => progress.some((event) => event.done >= 1)).toBe(true);
    await running.close();

    const statuses = jobStatuses(backEnd, running.archive);
    expect(statuses.preprocessing ?? 0).toBe(0);
    expect(statuses.ocr ?? 0).toBe(0);
    expect((statuses.done ?? 0) + (statuses.queued ?? 0)).toBe(batch.files * batch.pages);
    expect(statuses.done).toBeGreaterThanOrEqual(1);

    // Nothing is lost or damaged: the next session finishes the queue and the archive checks out.
    const reopened = await startOn(archiveDir);
    await expect.poll(() => reopened.archive.ocrQueue.counts(), { timeout: 45_000 }).toMatchObject({ queued: 0, done: batch.files * batch.pages });
    expect((await reopened.archive.check()).ok).toBe(true);
  });
});
