/**
 * The OCR queue and text corrections on a real archive, on both back ends; text-layer PDFs need no OCR engine,
 * so this is fast. On PostgreSQL, two servers sharing one database drain one queue at once from two processes,
 * a server opening or sweeping leaves another live server's pages in flight alone and takes over those of one
 * killed with SIGKILL, and an ingest killed with SIGKILL again and again loses nothing and recognises no page
 * twice (on SQLite the CLI's ingest test, tests/integration/ingest-queue.test.ts, does this).
 */
import { execFileSync, spawn } from 'node:child_process';
import { constants, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedAdminClient } from '../helpers/sessions';
import type { Archive } from '../../src/main/core/archive';
import type { CallResult, Method, OutputOf } from '../../src/shared/contract';
import type { PgSyncDatabase } from '../../src/main/core/db/pg-sync/pg-sync-database';
import { OCR_LEASE_MS } from '../../src/main/core/ingest/ocr-queue';
import { openSession, type ArchiveSession } from '../../src/main/host/session';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { tempDir, writePdf } from '../helpers/fixtures';
import { rng } from '../../bench/search-corpus';

const ROOT = resolve(__dirname, '../..');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** Pages recognised by this process's drains: the `done` of the last progress report of each drain. */
function pagesRecognisedBy(archive: Archive): () => number {
  let earlier = 0;
  let current = 0;
  archive.events.subscribe((name, payload) => {
    if (name !== 'jobs:progress') return;
    const { done } = payload as { done: number };
    if (done < current) earlier += current;
    current = done;
  });
  return () => earlier + current;
}

/**
 * Another server on the same database in a process of its own: it opens the archive, says `ready`, drains the
 * queue when told to on stdin, and answers how many pages it recognised.
 */
async function secondServer(filesFolder: string, url: string): Promise<{ drain(): Promise<number> }> {
  const script = join(filesFolder, '..', 'second-server.mts');
  writeFileSync(
    script,
    [
      `import { openArchiveOnPostgres } from ${JSON.stringify(join(ROOT, 'src/main/core/archive.ts'))};`,
      `const archive = await openArchiveOnPostgres(process.argv[2]!, process.argv[3]!, { program: 'second server' });`,
      'let done = 0;',
      "archive.events.subscribe((name, payload) => { if (name === 'jobs:progress') done = (payload as { done: number }).done; });",
      "process.stdout.write('ready\\n');",
      "process.stdin.once('data', async () => {",
      '  await archive.processQueue();',
      '  archive.close();',
      '  process.stdout.write(`recognised ${done}\\n`);',
      '  process.exit(0);',
      '});',
    ].join('\n'),
  );
  const child = spawn(process.execPath, ['--import', TSX_LOADER, script, filesFolder, url], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const said = (pattern: RegExp) =>
    Promise.race([
      new Promise<RegExpExecArray>((found) => {
        const look = () => {
          const match = pattern.exec(stdout);
          if (match) found(match);
          else setTimeout(look, 20);
        };
        look();
      }),
      exited.then((code) => {
        throw new Error(`the second server exited (${code}) early: ${stderr}`);
      }),
    ]);
  await said(/^ready$/m);
  return {
    async drain() {
      child.stdin.write('go\n');
      const match = await said(/^recognised (\d+)$/m);
      expect(await exited).toBe(0);
      return Number(match[1]);
    },
  };
}

/**
 * One ingest in a process of its own: it imports every file (those already in are refused as duplicates), then
 * recognises the queue, saying `step` after each import and each page. Killed with SIGKILL `afterMs` after its
 * `afterSteps`th step (when it gets that far); resolves once it is gone.
 */
async function killedIngest(filesFolder: string, url: string, files: string[], afterSteps: number, afterMs: number): Promise<void> {
  const script = join(filesFolder, '..', 'ingest.mts');
  writeFileSync(
    script,
    [
      `import { openArchiveOnPostgres } from ${JSON.stringify(join(ROOT, 'src/main/core/archive.ts'))};`,
      `const archive = await openArchiveOnPostgres(process.argv[2]!, process.argv[3]!, { program: 'killed ingest' });`,
      "const step = () => process.stdout.write('step\\n');",
      "archive.events.subscribe((name) => name === 'jobs:progress' && step());",
      `for (const file of ${JSON.stringify(files)}) await archive.documents.importFile(file).then(step, step);`,
      'await archive.processQueue();',
      'archive.close();',
      'process.exit(0);',
    ].join('\n'),
  );
  const child = spawn(process.execPath, ['--import', TSX_LOADER, script, filesFolder, url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let steps = 0;
  let timer: NodeJS.Timeout | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    steps += chunk.toString().split('step').length - 1;
    if (steps >= afterSteps && !timer) timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
  });
  const code = await exited;
  clearTimeout(timer);
  // Finished before its kill: it must have finished well.
  if (code !== null) expect(code, stderr).toBe(0);
}

/**
 * A server on the same database in a process of its own (files folder `filesFolder`, one OCR worker, leases of
 * `leaseMs`): it opens the archive, says its queue holder, drains the queue and exits.
 */
function drainingServer(filesFolder: string, url: string, leaseMs: number): { holder: Promise<string>; exited: Promise<number | null>; kill(): void } {
  const script = join(filesFolder, '..', 'draining-server.mts');
  writeFileSync(
    script,
    [
      `import { openArchiveOnPostgres } from ${JSON.stringify(join(ROOT, 'src/main/core/archive.ts'))};`,
      `const archive = await openArchiveOnPostgres(process.argv[2]!, process.argv[3]!, { program: 'draining server', ocrWorkers: 1, ocrLeaseMs: ${leaseMs} });`,
      'process.stdout.write(`holder ${archive.ocrQueue.holder}\\n`);',
      'await archive.processQueue();',
      'archive.close();',
      'process.exit(0);',
    ].join('\n'),
  );
  const child = spawn(process.execPath, ['--import', TSX_LOADER, script, filesFolder, url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const holder = Promise.race([
    new Promise<string>((found) => {
      const look = () => {
        const match = /^holder (.+)$/m.exec(stdout);
        if (match) found(match[1]!);
        else setTimeout(look, 20);
      };
      look();
    }),
    exited.then((code) => {
      throw new Error(`the draining server exited (${code}) early: ${stderr}`);
    }),
  ]);
  return { holder, exited, kill: () => child.kill('SIGKILL') };
}

/**
 * Keeps a server that reads the stored file at `path` waiting with its page in flight: the file becomes a named
 * pipe, whose reader waits until `release()` writes the file's bytes into it. `restore()` puts the file back for
 * readers to come (after `release`, or when the waiting reader was killed).
 */
function holdStoredFile(path: string): { release(): Promise<void>; restore(): void } {
  const bytes = readFileSync(path);
  const mode = statSync(path).mode & 0o777;
  rmSync(path);
  execFileSync('mkfifo', ['-m', mode.toString(8), path]);
  const restore = () => {
    writeFileSync(`${path}.back`, bytes, { mode });
    renameSync(`${path}.back`, path);
  };
  return {
    async release() {
      // Non-blocking: with no reader waiting this fails (ENXIO) instead of hanging the test.
      const pipe = await open(path, constants.O_WRONLY | constants.O_NONBLOCK);
      restore();
      await pipe.writeFile(bytes);
      await pipe.close();
    },
    restore,
  };
}

interface JobRow {
  id: number;
  status: string;
  attempts: number;
  holder: string | null;
}

function jobs(archive: Archive): JobRow[] {
  return archive.connection.sqlite.prepare('SELECT id, status, attempts, holder FROM ocr_jobs ORDER BY id').all() as JobRow[];
}

async function call<M extends Method>(archive: Archive, method: M, input: unknown): Promise<OutputOf<M>> {
  const result = (await (await sharedAdminClient(archive, 'clerk')).invoke(method, input)) as CallResult<M>;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe.each(BACK_ENDS)('OCR queue on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  it('queues every imported page in the import itself, and text-layer pages become a version each', async () => {
    const dir = tempDir();
    const archive = await backEnd.init(join(dir, 'a'), { actor: 'clerk' });
    try {
      const imported = await call(archive, 'documents:import', { paths: [writePdf(dir, 'three.pdf', 3)] });
      const ref = imported.imported[0]!.document.archiveNo;
      expect(await call(archive, 'ocr:queue', {})).toMatchObject({ queued: 3, done: 0 });
      expect(await call(archive, 'ocr:process', {})).toMatchObject({ queued: 0, done: 3, failed: 0 });
      const detail = await call(archive, 'documents:get', { ref });
      expect(detail.pages.map((page) => page.text)).toEqual(expect.arrayContaining([expect.stringMatching(/page 1$/)]));
      const history = await call(archive, 'documents:history', { ref });
      expect(history.map((version) => version.action)).toEqual(['import', 'ocr', 'ocr', 'ocr']);
      // Nothing left to do: processing again writes nothing.
      await call(archive, 'ocr:process', {});
      expect(await call(archive, 'documents:history', { ref })).toHaveLength(4);
      expect((await call(archive, 'archive:check', {})).ok).toBe(true);
    } finally {
      archive.close();
    }
  });

  it('a clerk correction is a new version; the old text stays in history; a page of another document is refused', async () => {
    const dir = tempDir();
    const archive = await backEnd.init(join(dir, 'a'), { actor: 'clerk' });
    try {
      const imported = await call(archive, 'documents:import', { paths: [writePdf(dir, 'one.pdf', 1), writePdf(dir, 'two.pdf', 1)] });
      await call(archive, 'ocr:process', {});
      const [one, two] = imported.imported.map((entry) => entry.document.archiveNo);
      const page = (await call(archive, 'documents:get', { ref: one! })).pages[0]!;
      const corrected = await call(archive, 'pages:setText', { ref: one!, pageId: page.pageId, text: '送货单 SO-2026-0417', reason: 'OCR misread' });
      expect(corrected.pages[0]?.text).toBe('送货单 SO-2026-0417');
      const diff = await call(archive, 'documents:diff', { ref: one!, from: 2, to: 3 });
      expect(diff.pages).toEqual([{ kind: 'text', pageId: page.pageId }]);
      const wrong = await (await sharedAdminClient(archive, 'clerk')).invoke('pages:setText', { ref: two!, pageId: page.pageId, text: 'x' });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const same = await (await sharedAdminClient(archive, 'clerk')).invoke('pages:setText', { ref: one!, pageId: page.pageId, text: '送货单 SO-2026-0417' });
      expect(same).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    } finally {
      archive.close();
    }
  });

  it('a page that cannot be read fails with its reason, the others continue, and the inbox flags it', async () => {
    const dir = tempDir();
    const archive = await backEnd.init(join(dir, 'a'), { actor: 'clerk' });
    try {
      const imported = await call(archive, 'documents:import', { paths: [writePdf(dir, 'good.pdf', 1), writePdf(dir, 'lost.pdf', 1)] });
      const [good, lost] = await Promise.all(imported.imported.map((entry) => call(archive, 'documents:get', { ref: entry.document.archiveNo })));
      rmSync(archive.blobs.pathOf(lost!.files[0]!.blobHash));
      expect(await call(archive, 'ocr:process', {})).toMatchObject({ done: 1, failed: 1, queued: 0 });
      const failed = await call(archive, 'ocr:page', { ref: lost!.archiveNo, pageId: lost!.pages[0]!.pageId });
      expect(failed).toMatchObject({ status: 'failed', error: expect.stringMatching(/is missing from the archive/), words: [] });
      const done = await call(archive, 'ocr:page', { ref: good!.archiveNo, pageId: good!.pages[0]!.pageId });
      expect(done).toMatchObject({ status: 'done', source: 'pdf-text', confidence: 100 });
      const inbox = await call(archive, 'inbox:list', {});
      expect(inbox.find((item) => item.document.archiveNo === lost!.archiveNo)).toMatchObject({
        needsReview: true,
        pagesDone: 0,
        failedPages: [{ pageId: lost!.pages[0]!.pageId }],
      });
      expect(inbox.find((item) => item.document.archiveNo === good!.archiveNo)).toMatchObject({ needsReview: false, pagesDone: 1 });
      const foreign = await (await sharedAdminClient(archive, 'clerk')).invoke('ocr:page', { ref: good!.archiveNo, pageId: lost!.pages[0]!.pageId });
      expect(foreign).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    } finally {
      archive.close();
    }
  });

  it('pages a killed process left half-done are queued again on open', async () => {
    const dir = tempDir();
    const folder = join(dir, 'a');
    const archive = await backEnd.init(folder, { actor: 'clerk' });
    await call(archive, 'documents:import', { paths: [writePdf(dir, 'two.pdf', 2)] });
    archive.close();
    const raw = backEnd.raw(archive);
    raw.prepare("UPDATE ocr_jobs SET status = 'ocr' WHERE id = 1").run();
    raw.prepare("UPDATE ocr_jobs SET status = 'preprocessing' WHERE id = 2").run();
    raw.close();
    const reopened = await backEnd.open(folder, { actor: 'clerk' });
    try {
      expect(await call(reopened, 'ocr:queue', {})).toMatchObject({ queued: 2, ocr: 0, preprocessing: 0 });
    } finally {
      reopened.close();
    }
  });

  it('at open, a page claimed by another holder whose lease runs on stays in flight on PostgreSQL; on SQLite (one owner) it goes back', async () => {
    const dir = tempDir();
    const folder = join(dir, 'a');
    const archive = await backEnd.init(folder, { actor: 'clerk' });
    await call(archive, 'documents:import', { paths: [writePdf(dir, 'three.pdf', 3)] });
    const holder = archive.ocrQueue.holder;
    archive.close();
    const raw = backEnd.raw(archive);
    const claim = raw.prepare('UPDATE ocr_jobs SET status = ?, attempts = 1, holder = ?, lease_until = ? WHERE id = ?');
    const hourFromNow = new Date(Date.now() + 3_600_000).toISOString();
    // This owner's own page from a run that died, a live server's page, and the page of a server whose lease ran out.
    claim.run('ocr', holder, hourFromNow, 1);
    claim.run('preprocessing', 'other-host:/srv/files', hourFromNow, 2);
    claim.run('ocr', 'gone-host:/srv/files', new Date(Date.now() - 1000).toISOString(), 3);
    raw.close();
    const reopened = await backEnd.open(folder, { actor: 'clerk' });
    try {
      const live = backEnd.name === 'postgres' ? [{ id: 2, status: 'preprocessing', attempts: 1, holder: 'other-host:/srv/files' }] : [];
      expect(jobs(reopened).filter((job) => job.status !== 'queued')).toEqual(live);
      // The sweep a serving owner runs leaves a lease that runs on alone too.
      expect(reopened.ocrQueue.takeOverExpired()).toBe(0);
      expect(jobs(reopened).filter((job) => job.status !== 'queued')).toEqual(live);
    } finally {
      reopened.close();
    }
  });

  // Two servers may share one database, each with its files folder on one shared store (here a link to the
  // first's). Claims are write transactions, serialised between connections, so no page is claimed twice.
  it.runIf(backEnd.name === 'postgres')('two servers on one database drain one queue together, each page recognised once', async () => {
    const dir = tempDir();
    const folder = join(dir, 'a');
    const archive = await backEnd.init(folder, { actor: 'clerk' });
    try {
      const documents = 2;
      const pagesEach = 3;
      const paths = Array.from({ length: documents }, (_, index) => writePdf(dir, `batch-${index}.pdf`, pagesEach));
      const imported = await call(archive, 'documents:import', { paths });
      const otherFolder = join(dir, 'b');
      mkdirSync(otherFolder);
      symlinkSync(join(folder, 'blobs'), join(otherFolder, 'blobs'));
      const other = await secondServer(otherFolder, (archive.connection.sqlite as unknown as PgSyncDatabase).url);
      const recognisedHere = pagesRecognisedBy(archive);

      const [there] = await Promise.all([other.drain(), archive.processQueue()]);
      const here = recognisedHere();

      expect(here + there).toBe(documents * pagesEach);
      expect(here).toBeGreaterThan(0);
      expect(there).toBeGreaterThan(0);
      expect(await call(archive, 'ocr:queue', {})).toMatchObject({ queued: 0, preprocessing: 0, ocr: 0, done: documents * pagesEach, failed: 0 });
      const attempts = archive.connection.sqlite.prepare('SELECT DISTINCT attempts FROM ocr_jobs').pluck().all();
      expect(attempts).toEqual([1]);
      for (const entry of imported.imported) {
        const history = await call(archive, 'documents:history', { ref: entry.document.archiveNo });
        expect(history.filter((version) => version.action === 'ocr')).toHaveLength(pagesEach);
      }
      expect((await call(archive, 'archive:check', {})).ok).toBe(true);
    } finally {
      archive.close();
    }
  });

  /** One file of one page that `drainingServer`'s first claim will wait on, and two more pages; the archive closed. */
  async function archiveWithHeldPage(dir: string): Promise<{ folder: string; url: string; otherFolder: string; held: ReturnType<typeof holdStoredFile> }> {
    const folder = join(dir, 'a');
    const archive = await backEnd.init(folder, { actor: 'clerk' });
    const imported = await call(archive, 'documents:import', { paths: [writePdf(dir, 'held.pdf', 1), writePdf(dir, 'more.pdf', 2)] });
    const heldFile = (await call(archive, 'documents:get', { ref: imported.imported[0]!.document.archiveNo })).files[0]!.blobHash;
    const url = (archive.connection.sqlite as unknown as PgSyncDatabase).url;
    archive.close();
    const held = holdStoredFile(archive.blobs.pathOf(heldFile));
    const otherFolder = join(dir, 'b');
    mkdirSync(otherFolder);
    symlinkSync(join(folder, 'blobs'), join(otherFolder, 'blobs'));
    return { folder, url, otherFolder, held };
  }

  /** Every page recognised into its document exactly once: one `ocr` version and one page_ocr row per page, `check` passing. */
  async function expectEachPageRecognisedOnce(archive: Archive, pages: number): Promise<void> {
    expect(archive.ocrQueue.counts()).toEqual({ queued: 0, preprocessing: 0, ocr: 0, done: pages, failed: 0 });
    const sqlite = archive.connection.sqlite;
    const ocrVersions = sqlite.prepare("SELECT count(*) FROM document_versions WHERE action = 'ocr' GROUP BY document_id ORDER BY document_id").pluck().all();
    expect(ocrVersions).toEqual([1, 2]);
    expect(sqlite.prepare('SELECT count(*) FROM page_ocr').pluck().get()).toBe(pages);
    expect((await archive.check()).ok).toBe(true);
  }

  /** Short for the tests' sake, but longer than a busy test machine keeps a waiting server from renewing. */
  const LEASE_MS = 1000;

  /** Waits until the draining server holding `holder` has claimed the oldest page and waits on its held file. */
  async function firstPageHeldBy(folder: string, holder: string): Promise<JobRow> {
    const inFlight = { id: 1, status: 'preprocessing', attempts: 1, holder };
    const raw = backEnd.rawAt(folder);
    try {
      await expect.poll(() => raw.prepare('SELECT id, status, attempts, holder FROM ocr_jobs WHERE id = 1').get(), { timeout: 30_000 }).toEqual(inFlight);
    } finally {
      raw.close();
    }
    return inFlight;
  }

  it.runIf(backEnd.name === 'postgres')(
    "a server opening while another is mid-OCR leaves that server's pages in flight alone, and its sweep too: each page recognised once",
    async () => {
      const dir = tempDir();
      const { folder, url, otherFolder, held } = await archiveWithHeldPage(dir);
      const first = drainingServer(otherFolder, url, LEASE_MS);
      const errors: unknown[] = [];
      let second: ArchiveSession | undefined;
      try {
        const firstHolder = await first.holder;
        const inFlight = await firstPageHeldBy(folder, firstHolder);

        second = openSession(await backEnd.open(folder, { actor: 'clerk', ocrLeaseMs: LEASE_MS }), { onError: (error) => errors.push(error) });
        const secondHolder = second.archive.ocrQueue.holder;
        expect(jobs(second.archive)[0]).toEqual(inFlight);
        // The second server recognises the other pages, and its sweep runs again and again past the lease the
        // first took with its claim, which the first renews while it waits.
        await expect.poll(() => jobs(second!.archive).map((job) => job.status), { timeout: 30_000 }).toEqual(['preprocessing', 'done', 'done']);
        await new Promise((wait) => setTimeout(wait, 1.5 * LEASE_MS));
        expect(jobs(second.archive)[0]).toEqual(inFlight);
        // Closed before the first goes on, so that how long the first then takes cannot matter.
        await second.close();

        await held.release();
        expect(await first.exited).toBe(0);
        const after = await backEnd.open(folder, { actor: 'clerk' });
        try {
          expect(jobs(after)).toEqual([
            { id: 1, status: 'done', attempts: 1, holder: firstHolder },
            { id: 2, status: 'done', attempts: 1, holder: secondHolder },
            { id: 3, status: 'done', attempts: 1, holder: secondHolder },
          ]);
          await expectEachPageRecognisedOnce(after, 3);
        } finally {
          after.close();
        }
      } finally {
        first.kill();
        // A reader still waiting on the pipe (a failed test) gets the bytes; otherwise the file is put back.
        await held.release().catch(() => held.restore());
        await second?.close();
      }
      expect(errors).toEqual([]);
    },
    60_000,
  );

  it.runIf(backEnd.name === 'postgres')(
    'a server killed with SIGKILL mid-OCR: the surviving server takes its page over once the lease runs out, each page done once',
    async () => {
      const dir = tempDir();
      const { folder, url, otherFolder, held } = await archiveWithHeldPage(dir);
      const killed = drainingServer(otherFolder, url, LEASE_MS);
      const errors: unknown[] = [];
      let survivor: ArchiveSession | undefined;
      try {
        const inFlight = await firstPageHeldBy(folder, await killed.holder);
        survivor = openSession(await backEnd.open(folder, { actor: 'clerk', ocrLeaseMs: LEASE_MS }), { onError: (error) => errors.push(error) });
        const archive = survivor.archive;
        await expect.poll(() => jobs(archive).map((job) => job.status), { timeout: 30_000 }).toEqual(['preprocessing', 'done', 'done']);
        expect(jobs(archive)[0]).toEqual(inFlight);

        killed.kill();
        expect(await killed.exited).toBe(null);
        held.restore();
        const killedAt = Date.now();
        await expect.poll(() => jobs(archive)[0]!.status, { timeout: 30_000, interval: 20 }).toBe('done');
        const takenOverIn = Date.now() - killedAt;

        // Taken over once the killed server's lease ran out (at the survivor's next sweep) and recognised, far
        // sooner than the default lease: the lease, not a restart, decided it.
        expect(takenOverIn).toBeLessThan(OCR_LEASE_MS / 4);
        expect(jobs(archive)).toEqual([
          { id: 1, status: 'done', attempts: 2, holder: archive.ocrQueue.holder },
          { id: 2, status: 'done', attempts: 1, holder: archive.ocrQueue.holder },
          { id: 3, status: 'done', attempts: 1, holder: archive.ocrQueue.holder },
        ]);
        await expectEachPageRecognisedOnce(archive, 3);
      } finally {
        killed.kill();
        await held.release().catch(() => held.restore());
        await survivor?.close();
      }
      expect(errors).toEqual([]);
    },
    60_000,
  );

  it.runIf(backEnd.name === 'postgres')(
    'an ingest killed with SIGKILL at seeded moments and resumed each time: every page in one document, recognised once',
    async () => {
      const FILES = 8;
      const KILLS = 5;
      // Seeded: the same kill moments on every run.
      const random = rng(20261207);
      const dir = tempDir();
      const folder = join(dir, 'a');
      const archive = await backEnd.init(folder, { actor: 'clerk' });
      const url = (archive.connection.sqlite as unknown as PgSyncDatabase).url;
      archive.close();
      const files = Array.from({ length: FILES }, (_, index) => writePdf(dir, `slip-${index}.pdf`, 1));
      // An ingest takes about two steps per file: the kills fall in the imports and in the recognising.
      for (let kill = 0; kill < KILLS; kill += 1) await killedIngest(folder, url, files, 1 + Math.floor(random() * 2 * FILES), Math.floor(random() * 200));

      const resumed = await backEnd.open(folder, { actor: 'clerk' });
      try {
        for (const file of files) await resumed.documents.importFile(file).catch(() => undefined);
        expect(await resumed.processQueue()).toEqual({ queued: 0, preprocessing: 0, ocr: 0, done: FILES, failed: 0 });
        const sqlite = resumed.connection.sqlite;
        const pages = sqlite.prepare('SELECT p.document_id AS "documentId", d.title FROM pages p JOIN documents d ON d.id = p.document_id').all() as {
          documentId: number;
          title: string;
        }[];
        expect(pages).toHaveLength(FILES);
        expect(new Set(pages.map((page) => page.documentId)).size).toBe(FILES);
        expect(pages.map((page) => page.title).sort()).toEqual(files.map((_, index) => `slip-${index}`).sort());
        const ocrVersions = sqlite.prepare("SELECT count(*) AS n FROM document_versions WHERE action = 'ocr' GROUP BY document_id").pluck().all() as number[];
        expect(ocrVersions).toEqual(Array.from({ length: FILES }, () => 1));
        expect(sqlite.prepare('SELECT count(*) FROM page_ocr').pluck().get()).toBe(FILES);
        expect((await resumed.check()).ok).toBe(true);
      } finally {
        resumed.close();
      }
    },
    240_000,
  );
});
