/**
 * The foundation issue's bad-input list, against a real archive on disk. Each case goes through the
 * contract (createApi(...).invoke) or the CLI, and afterwards proves the archive is whole
 * (`archive:check` ok) and that nothing else changed: same documents, versions, pages, files, blobs and
 * write events in the audit trail (the read events that looking at the archive appends are excluded).
 * The writer-lock cases use real second processes. The contract's cases run on both back ends; opening
 * folders, the writer lock and the command line work on archive folders, so those run on SQLite.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACK_ENDS, useBackEnd, type TestBackEnd } from '../helpers/back-ends';
import type { ApiClient } from '../../src/main/core/api';
import { adminClient, TEST_PASSWORD } from '../helpers/sessions';
import { initArchive, openArchive, type Archive } from '../../src/main/core/archive';
import { runCli } from '../../src/main/cli/run';
import type { Method, OutputOf } from '../../src/shared/contract';
import type { ErrorPayload } from '../../src/shared/errors';
import { EDITABLE_FIELDS } from '../../src/shared/model';
import { tempDir, writeJpeg, writePdf } from '../helpers/fixtures';
import { READ_ACTIONS as ALL_READ_ACTIONS } from '../../src/main/core/audit/read-actions';

const ROOT = resolve(__dirname, '../..');
const CLI_BIN = join(ROOT, 'bin', 'slipvault.cjs');
const CLI_BUNDLE = join(ROOT, 'dist', 'cli', 'slipvault.cjs');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const PROGRAM = 'bad-input test';
const ACTOR = 'clerk-li';

/** Audit actions that only record that someone looked. */
const READ_ACTIONS: ReadonlySet<string> = new Set(ALL_READ_ACTIONS);
/** Logging in and out is recorded, but it changes nothing an archive holds. */
const SESSION_ACTIONS: ReadonlySet<string> = new Set(['user.login', 'user.logout']);

// ---------- the archive under test ----------

let archiveDir = '';
/** Opens the archive under test again: the back end of the block that runs now made it. */
let openUnderTest: TestBackEnd['open'] = openArchive;
let filesDir = '';
let jpegPath = '';
let docs: { plain: string; edited: string; voided: string } = { plain: '', edited: '', voided: '' };
let voidedJpegPath = '';

async function withArchive<T>(work: (api: ApiClient, archive: Archive) => Promise<T>, dir = archiveDir): Promise<T> {
  const archive = await openUnderTest(dir, { actor: ACTOR, program: PROGRAM });
  try {
    return await work(await adminClient(archive, ACTOR), archive);
  } finally {
    archive.close();
  }
}

async function call<M extends Method>(api: ApiClient, method: M, input: unknown): Promise<OutputOf<M>> {
  const result = await api.invoke(method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value as OutputOf<M>;
}

async function failure(api: ApiClient, method: Method, input: unknown): Promise<ErrorPayload> {
  const result = await api.invoke(method, input);
  expect(result.ok, `${method} ${JSON.stringify(input)} should have failed`).toBe(false);
  return (result as { ok: false; error: ErrorPayload }).error;
}

/** Imports exactly one file that must be refused; returns the refusal. */
async function refusedImport(path: string): Promise<ErrorPayload> {
  return withArchive(async (api) => {
    const result = await call(api, 'documents:import', { paths: [path] });
    expect(result.imported).toEqual([]);
    expect(result.failed).toHaveLength(1);
    const { file, ...error } = result.failed[0]!;
    expect(file).toBe(path);
    return error as ErrorPayload;
  });
}

function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .sort();
}

/** Everything a bad input must not change. */
async function archiveState() {
  return withArchive(async (api, archive) => {
    const sqlite = archive.connection.sqlite;
    const all = (sql: string) => sqlite.prepare(sql).all();
    const list = await call(api, 'documents:list', { includeVoided: true, limit: 1000 });
    const writes = (all('SELECT seq, action, target_id AS targetId, hash FROM audit_events ORDER BY seq') as { action: string }[]).filter(
      (event) => !READ_ACTIONS.has(event.action) && !SESSION_ACTIONS.has(event.action),
    );
    return {
      list,
      documents: all('SELECT * FROM documents ORDER BY id'),
      versions: all('SELECT * FROM document_versions ORDER BY id'),
      pages: all('SELECT * FROM pages ORDER BY id'),
      sourceFiles: all('SELECT * FROM source_files ORDER BY id'),
      customers: all('SELECT * FROM customers ORDER BY id'),
      tags: all('SELECT * FROM tags ORDER BY id'),
      documentTags: all('SELECT * FROM document_tags ORDER BY document_id, tag_id'),
      sequences: all('SELECT * FROM archive_number_sequences ORDER BY year'),
      meta: all('SELECT * FROM archive_meta ORDER BY key'),
      writes,
      blobs: archive.blobs.list().sort(),
      blobFiles: filesUnder(join(archive.dir, 'blobs')),
      tmp: filesUnder(join(archive.dir, 'tmp')),
    };
  });
}

type State = Awaited<ReturnType<typeof archiveState>>;

/** archive:check is ok and nothing but read events changed since `before`. */
async function expectUnchanged(before: State): Promise<void> {
  const report = await withArchive((api) => call(api, 'archive:check', {}));
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
  const after = await archiveState();
  expect(after).toEqual(before);
  expect(after.tmp).toEqual([]);
}

function digestTree(dir: string): Record<string, string> {
  return Object.fromEntries(
    filesUnder(dir).map((file) => [
      file,
      createHash('sha256')
        .update(readFileSync(join(dir, file)))
        .digest('hex'),
    ]),
  );
}

// ---------- real files that are not what they claim ----------

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A real (stored, uncompressed) ZIP archive, as a minimal .docx is. */
function zipOf(entries: { name: string; data: string }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.from(entry.data, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function writeDocx(dir: string, name: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    zipOf([
      {
        name: '[Content_Types].xml',
        data: '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      },
      {
        name: 'word/document.xml',
        data: '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>送货单</w:t></w:r></w:p></w:body></w:document>',
      },
    ]),
  );
  return path;
}

// ---------- processes ----------

function ensureCliBuilt(): void {
  if (existsSync(CLI_BUNDLE)) return;
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  // The build makes every target; only the CLI bundle matters here.
  if (!existsSync(CLI_BUNDLE)) throw new Error(`could not build the CLI (exit ${build.status}):\n${build.stderr}`);
}

function slipvaultProcess(args: string[]) {
  const result = spawnSync(process.execPath, [CLI_BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, SLIPVAULT_USER: ACTOR, SLIPVAULT_PASSWORD: TEST_PASSWORD },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function runCliInProcess(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { SLIPVAULT_USER: ACTOR, SLIPVAULT_PASSWORD: TEST_PASSWORD },
  });
  return { code, stdout, stderr };
}

function canMount(): { ok: boolean; reason: string } {
  const probe = tempDir('slipvault-mount-probe-');
  try {
    const bind = spawnSync('mount', ['--bind', probe, probe], { encoding: 'utf8' });
    if (bind.status !== 0) return { ok: false, reason: `bind mounts are not permitted here: ${bind.stderr.trim() || bind.error}` };
    const ro = spawnSync('mount', ['-o', 'remount,bind,ro', probe, probe], { encoding: 'utf8' });
    spawnSync('umount', [probe]);
    if (ro.status !== 0) return { ok: false, reason: `read-only remounts are not permitted here: ${ro.stderr.trim()}` };
    return { ok: true, reason: '' };
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

// ---------- setup ----------

/** Makes the archive under test on `backEnd`: three documents, one of them edited and one voided. */
async function makeArchiveUnderTest(backEnd: TestBackEnd): Promise<void> {
  openUnderTest = backEnd.open;
  archiveDir = join(tempDir(), 'archive');
  filesDir = tempDir('slipvault-files-');
  jpegPath = await writeJpeg(filesDir, '送货单-001.jpg', 80, 120);
  voidedJpegPath = await writeJpeg(filesDir, 'scanned-twice.jpg', 80, 120);
  const archive = await backEnd.init(archiveDir, { actor: ACTOR, program: PROGRAM });
  try {
    const api = await adminClient(archive, ACTOR);
    const imported = await call(api, 'documents:import', { paths: [jpegPath, writePdf(filesDir, 'contract.pdf', 2), voidedJpegPath] });
    expect(imported.failed).toEqual([]);
    const [plain, edited, voided] = imported.imported.map((entry) => entry.document.archiveNo) as [string, string, string];
    await call(api, 'documents:edit', { ref: edited, changes: { customer: '华南贸易有限公司', amount: '1200.50', signedDate: '2026-03-05' } });
    await call(api, 'documents:void', { ref: voided, reason: 'scanned twice' });
    docs = { plain, edited, voided };
  } finally {
    archive.close();
  }
}

beforeAll(ensureCliBuilt, 120_000);

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  beforeAll(() => makeArchiveUnderTest(backEnd), 120_000);

  // ---------- files that cannot be imported ----------

  describe('importing a bad file changes nothing', () => {
    it('a file that does not exist → FILE_NOT_FOUND', async () => {
      const before = await archiveState();
      const missing = join(filesDir, 'no-such-slip.jpg');
      const error = await refusedImport(missing);
      expect(error.code).toBe('FILE_NOT_FOUND');
      expect(error.message).toContain(missing);
      await expectUnchanged(before);
    });

    it('a directory → UNSUPPORTED_FILE', async () => {
      const before = await archiveState();
      const folder = join(filesDir, 'a-folder.jpg');
      mkdirSync(folder, { recursive: true });
      const error = await refusedImport(folder);
      expect(error.code).toBe('UNSUPPORTED_FILE');
      expect(error.message).toMatch(/folder/);
      await expectUnchanged(before);
    });

    it('a zero-byte file → CORRUPT_FILE', async () => {
      const before = await archiveState();
      const empty = join(filesDir, 'empty.jpg');
      writeFileSync(empty, '');
      const error = await refusedImport(empty);
      expect(error.code).toBe('CORRUPT_FILE');
      expect(error.message).toMatch(/empty/);
      await expectUnchanged(before);
    });

    it('an unsupported type (.docx, a real ZIP) → UNSUPPORTED_FILE naming JPG, PNG, TIFF and PDF', async () => {
      const before = await archiveState();
      const docx = writeDocx(filesDir, '送货单.docx');
      // It really is a ZIP: the system's unzip reads it back, if there is one.
      const unzip = spawnSync('unzip', ['-l', docx], { encoding: 'utf8' });
      if (!unzip.error) expect(unzip.stdout).toContain('word/document.xml');
      expect(readFileSync(docx).subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');

      const error = await refusedImport(docx);
      expect(error.code).toBe('UNSUPPORTED_FILE');
      for (const format of ['JPG', 'PNG', 'TIFF', 'PDF']) expect(error.message).toContain(format);
      expect(error.message).toMatch(/ZIP|Word/);
      await expectUnchanged(before);
    });

    it('a truncated JPEG → CORRUPT_FILE', async () => {
      const before = await archiveState();
      const truncated = await writeJpeg(filesDir, 'truncated.jpg', 200, 300);
      truncateSync(truncated, Math.floor(statSync(truncated).size / 2));
      const error = await refusedImport(truncated);
      expect(error.code).toBe('CORRUPT_FILE');
      expect(error.message).toMatch(/damaged or incomplete/);
      await expectUnchanged(before);
    });

    it('a "PDF" that is not a PDF (text named x.pdf) → CORRUPT_FILE', async () => {
      const before = await archiveState();
      const fake = join(filesDir, 'x.pdf');
      writeFileSync(fake, 'Dear customer, please find the delivery note attached.\n');
      const error = await refusedImport(fake);
      expect(error.code).toBe('CORRUPT_FILE');
      expect(error.message).toMatch(/PDF/);
      await expectUnchanged(before);
    });

    it('a damaged PDF (%PDF- header, garbage after) → CORRUPT_FILE', async () => {
      const before = await archiveState();
      const damaged = join(filesDir, 'damaged.pdf');
      const garbage = Buffer.from(Array.from({ length: 4000 }, (_, index) => (index * 7919 + 13) % 251));
      writeFileSync(damaged, Buffer.concat([Buffer.from('%PDF-1.7\n'), garbage]));
      const error = await refusedImport(damaged);
      expect(error.code).toBe('CORRUPT_FILE');
      expect(error.message).toMatch(/not a readable PDF/);
      await expectUnchanged(before);
    });

    it('the same file imported twice → DUPLICATE naming the existing archive number (also under another name, also when void)', async () => {
      const before = await archiveState();
      const again = await refusedImport(jpegPath);
      expect(again.code).toBe('DUPLICATE');
      expect(again.message).toContain(docs.plain);
      expect(again.details).toMatchObject({ archiveNo: docs.plain });

      const renamed = join(tempDir('slipvault-elsewhere-'), 'copy-of-slip.jpg');
      copyFileSync(jpegPath, renamed);
      const copy = await refusedImport(renamed);
      expect(copy.code).toBe('DUPLICATE');
      expect(copy.message).toContain(docs.plain);

      const ofVoided = await refusedImport(voidedJpegPath);
      expect(ofVoided.code).toBe('DUPLICATE');
      expect(ofVoided.message).toContain(docs.voided);
      await expectUnchanged(before);
    });

    it('several bad files in one call: each refused with its own reason, nothing imported', async () => {
      const before = await archiveState();
      const empty = join(filesDir, 'empty-2.png');
      writeFileSync(empty, '');
      const paths = [join(filesDir, 'gone.pdf'), empty, writeDocx(filesDir, 'notes.docx'), jpegPath];
      const result = await withArchive(async (api) => call(api, 'documents:import', { paths }));
      expect(result.imported).toEqual([]);
      expect(result.failed.map((failed) => [failed.file, failed.code])).toEqual([
        [paths[0], 'FILE_NOT_FOUND'],
        [paths[1], 'CORRUPT_FILE'],
        [paths[2], 'UNSUPPORTED_FILE'],
        [paths[3], 'DUPLICATE'],
      ]);
      await expectUnchanged(before);
    });
  });

  // ---------- archives that cannot be opened ----------

  // An archive on PostgreSQL is opened by URL and files folder: tests/unit/pg-archive-open.test.ts refuses those.
  describe.runIf(backEndName === 'sqlite')('opening something that is not a usable archive', () => {
    it('a folder that is not initialised → NOT_AN_ARCHIVE, and the folder is left as it was', async () => {
      const folder = tempDir('slipvault-not-archive-');
      writeFileSync(join(folder, 'holiday.jpg'), 'not ours');
      await expect(openArchive(folder)).rejects.toMatchObject({ code: 'NOT_AN_ARCHIVE', message: expect.stringMatching(/slipvault init/) });
      expect(readdirSync(folder)).toEqual(['holiday.jpg']); // no lock file, no database

      const cli = await runCliInProcess(['--archive', folder, 'list']);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toMatch(/is not a SlipVault archive/);
      expect(readdirSync(folder)).toEqual(['holiday.jpg']);
    });

    it('a folder that does not exist → NOT_AN_ARCHIVE, and it is not created', async () => {
      const missing = join(tempDir(), 'no', 'such', 'archive');
      await expect(openArchive(missing)).rejects.toMatchObject({ code: 'NOT_AN_ARCHIVE', message: expect.stringMatching(/does not exist/) });
      expect(existsSync(join(missing, '..', '..'))).toBe(false);
    });

    describe('a read-only archive folder', () => {
      const mountable = canMount();
      const roDir = join(tempDir(), 'ro-archive');
      let mounted = false;

      afterAll(() => {
        if (mounted) spawnSync('umount', [roDir]);
      });

      it.skipIf(!mountable.ok)(`→ ARCHIVE_READ_ONLY, nothing written ${mountable.ok ? '' : `(skipped: ${mountable.reason})`}`, async () => {
        const archive = await initArchive(roDir, { actor: ACTOR });
        await call(await adminClient(archive, ACTOR), 'documents:import', { paths: [await writeJpeg(filesDir, 'ro.jpg', 40, 60)] });
        archive.close();
        const before = digestTree(roDir);

        expect(spawnSync('mount', ['--bind', roDir, roDir]).status).toBe(0);
        mounted = true;
        expect(spawnSync('mount', ['-o', 'remount,bind,ro', roDir, roDir]).status).toBe(0);
        try {
          // Root ignores mode bits; only a read-only mount really refuses. Make sure it does.
          expect(() => writeFileSync(join(roDir, 'probe'), 'x')).toThrow(expect.objectContaining({ code: 'EROFS' }));

          await expect(openArchive(roDir)).rejects.toMatchObject({ code: 'ARCHIVE_READ_ONLY', message: expect.stringMatching(/read-only/) });
          const cli = await runCliInProcess(['--archive', roDir, 'list']);
          expect(cli.code).toBe(1);
          expect(cli.stderr).toMatch(/read-only/);
          expect(cli.stderr).not.toMatch(/\n\s+at /); // no stack trace
          expect(digestTree(roDir)).toEqual(before);
        } finally {
          spawnSync('umount', [roDir]);
          mounted = false;
        }
        // Writable again, it opens normally and is whole.
        await withArchive(async (api) => expect((await call(api, 'archive:check', {})).ok).toBe(true), roDir);
      });
    });
  });

  // ---------- one writer at a time ----------

  describe.runIf(backEndName === 'sqlite')('a second writer (the command line opens folders)', () => {
    it('is refused while this process holds the archive ("in use by …", exit 1), and succeeds after it closes', async () => {
      const expected = (await archiveState()).list.items.map((item) => item.archiveNo).sort();
      const archive = await openArchive(archiveDir, { actor: ACTOR, program: PROGRAM });
      let busy;
      try {
        busy = slipvaultProcess(['--archive', archiveDir, 'list']);
      } finally {
        archive.close();
      }
      expect(busy.status).toBe(1);
      expect(busy.stderr).toContain('in use by');
      expect(busy.stderr).toContain(PROGRAM);
      expect(busy.stderr).toContain(`process ${process.pid}`);
      expect(busy.stdout).toBe('');

      const free = slipvaultProcess(['--archive', archiveDir, '--json', 'list', '--all']);
      expect(free.stderr).toBe('');
      expect(free.status).toBe(0);
      const list = JSON.parse(free.stdout) as { items: { archiveNo: string }[] };
      expect(list.items.map((item) => item.archiveNo).sort()).toEqual(expected);
      expect(expected).toEqual(expect.arrayContaining([docs.plain, docs.edited, docs.voided]));
    });

    it('a holder killed with SIGKILL leaves no stale lock', async () => {
      const documentCount = (await archiveState()).documents.length;
      const script = join(tempDir('slipvault-holder-'), 'hold.mts');
      writeFileSync(
        script,
        [
          `import { openArchive } from ${JSON.stringify(join(ROOT, 'src/main/core/archive.ts'))};`,
          `await openArchive(process.argv[2]!, { program: 'lock holder' });`,
          `process.stdout.write('holding ' + process.pid + '\\n');`,
          'setInterval(() => {}, 60_000);',
        ].join('\n'),
      );
      const child: ChildProcess = spawn(process.execPath, ['--import', TSX_LOADER, script, archiveDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        let stderr = '';
        child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const holderPid = await new Promise<number>((resolvePid, reject) => {
          let out = '';
          const timer = setTimeout(() => reject(new Error(`holder did not start: ${stderr}`)), 20_000);
          child.stdout!.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const match = /holding (\d+)/.exec(out);
            if (match) {
              clearTimeout(timer);
              resolvePid(Number(match[1]));
            }
          });
          child.on('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`holder exited early (${code}): ${stderr}`));
          });
        });
        expect(holderPid).toBe(child.pid);

        await expect(openArchive(archiveDir)).rejects.toMatchObject({
          code: 'ARCHIVE_IN_USE',
          message: expect.stringContaining(`lock holder (user`),
        });

        const exited = new Promise<NodeJS.Signals | null>((resolveExit) => child.once('exit', (_code, signal) => resolveExit(signal)));
        child.kill('SIGKILL');
        expect(await exited).toBe('SIGKILL');

        // The holder file is still there (nobody could clean it up) but the lock died with the process.
        expect(existsSync(join(archiveDir, 'slipvault.lock.json'))).toBe(true);
        const reopened = await openArchive(archiveDir, { actor: ACTOR, program: PROGRAM });
        try {
          expect(reopened.status().documents).toBe(documentCount);
        } finally {
          reopened.close();
        }
        const cli = slipvaultProcess(['--archive', archiveDir, 'status']);
        expect(cli.stderr).toBe('');
        expect(cli.status).toBe(0);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    });
  });

  // ---------- edits that must be refused ----------

  describe('refused calls change nothing', () => {
    it('an unknown document → NOT_FOUND for every call that names one', async () => {
      const before = await archiveState();
      await withArchive(async (api) => {
        for (const ref of ['SV-2026-999999', 9999, '9999']) {
          const calls: [Method, Record<string, unknown>][] = [
            ['documents:get', { ref }],
            ['documents:history', { ref }],
            ['documents:edit', { ref, changes: { title: 'x' } }],
            ['documents:void', { ref, reason: 'x' }],
            ['documents:restoreVersion', { ref, version: 1 }],
            ['documents:diff', { ref, from: 1, to: 2 }],
          ];
          for (const [method, input] of calls) {
            const error = await failure(api, method, input);
            expect(error.code, `${method} ${String(ref)}`).toBe('NOT_FOUND');
            expect(error.message).toContain(String(ref));
          }
        }
        // Not a reference at all is a validation error, not a lookup.
        expect((await failure(api, 'documents:get', { ref: '../../etc/passwd' })).code).toBe('VALIDATION');
      });
      await expectUnchanged(before);
    });

    it('an edit of an unknown field → VALIDATION naming it', async () => {
      const before = await archiveState();
      await withArchive(async (api) => {
        const error = await failure(api, 'documents:edit', { ref: docs.plain, changes: { colour: 'red' } });
        expect(error.code).toBe('VALIDATION');
        expect(error.message).toMatch(/colour/);
      });
      await expectUnchanged(before);
    });

    it.each([
      ['signedDate', '2026-02-30', /real calendar date/],
      ['amount', '-5', /non-negative/],
      ['amount', '12.345', /at most 2 decimals/],
      ['currency', 'yuan', /3-letter code/],
    ])('an invalid %s (%s) → VALIDATION', async (field, value, message) => {
      const before = await archiveState();
      await withArchive(async (api) => {
        const error = await failure(api, 'documents:edit', { ref: docs.edited, changes: { [field]: value } });
        expect(error.code).toBe('VALIDATION');
        expect(error.message).toContain(field);
        expect(error.message).toMatch(message);
      });
      await expectUnchanged(before);
    });

    it('restoring a version that does not exist → NOT_FOUND naming the range', async () => {
      const before = await archiveState();
      await withArchive(async (api) => {
        const error = await failure(api, 'documents:restoreVersion', { ref: docs.edited, version: 99 });
        expect(error.code).toBe('NOT_FOUND');
        expect(error.message).toContain('no version 99');
        expect(error.message).toContain('versions 1 to 2');
        expect((await failure(api, 'documents:restoreVersion', { ref: docs.edited, version: 0 })).code).toBe('VALIDATION');
      });
      await expectUnchanged(before);
    });

    it('editing, restoring or voiding a voided document → CONFLICT', async () => {
      const before = await archiveState();
      await withArchive(async (api) => {
        const edit = await failure(api, 'documents:edit', { ref: docs.voided, changes: { title: 'revived' } });
        expect(edit.code).toBe('CONFLICT');
        expect(edit.message).toContain(docs.voided);
        expect(edit.message).toMatch(/voided/);
        expect((await failure(api, 'documents:restoreVersion', { ref: docs.voided, version: 1 })).code).toBe('CONFLICT');
        expect((await failure(api, 'documents:void', { ref: docs.voided, reason: 'again' })).code).toBe('CONFLICT');
        // Status cannot be used to un-void it either.
        expect((await failure(api, 'documents:edit', { ref: docs.voided, changes: { status: 'filed' } })).code).toBe('CONFLICT');
      });
      await expectUnchanged(before);
    });

    it('a no-op edit → CONFLICT "Nothing changed"', async () => {
      const before = await archiveState();
      const current = before.list.items.find((item) => item.archiveNo === docs.edited)!;
      await withArchive(async (api) => {
        for (const changes of [
          { title: current.title },
          { customer: '华南贸易有限公司' },
          { amount: '1200.5', signedDate: '2026-03-05' },
          { customer: ' 华南贸易有限公司 ' },
        ]) {
          const error = await failure(api, 'documents:edit', { ref: docs.edited, changes });
          expect(error.code, JSON.stringify(changes)).toBe('CONFLICT');
          expect(error.message).toMatch(/^Nothing changed/);
          expect(error.message).toContain(docs.edited);
        }
      });
      await expectUnchanged(before);
    });

    // The files are stored before the change is known to commit (withStoredFiles): a refusal must discard them.
    it('a refused pages:add leaves no blob behind', async () => {
      const before = await archiveState();
      const newPage = await writeJpeg(filesDir, 'extra-page.jpg', 40, 60);
      await withArchive(async (api) => {
        expect((await failure(api, 'pages:add', { ref: docs.voided, paths: [newPage] })).code).toBe('CONFLICT');
        expect((await failure(api, 'pages:add', { ref: docs.plain, paths: [newPage, join(filesDir, 'missing-page.jpg')] })).code).toBe('FILE_NOT_FOUND');
      });
      await expectUnchanged(before);
    });
  });

  describe.runIf(backEndName === 'sqlite')('the command line refuses the same, changing nothing (it opens folders)', () => {
    it('an edit of an unknown field exits 2 and lists the fields', async () => {
      const before = await archiveState();
      const result = await runCliInProcess(['--archive', archiveDir, 'edit', docs.plain, '--set', 'colour=red']);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/Unknown field "colour"/);
      for (const field of EDITABLE_FIELDS) expect(result.stderr).toContain(field);
      await expectUnchanged(before);
    });

    it.each([
      ['signedDate', '2026-02-30', /real calendar date/],
      ['amount', '-5', /non-negative/],
      ['amount', '12.345', /at most 2 decimals/],
      ['currency', 'yuan', /3-letter code/],
    ])('an invalid %s (%s) exits 2', async (field, value, message) => {
      const before = await archiveState();
      const cli = await runCliInProcess(['--archive', archiveDir, 'edit', docs.edited, '--set', `${field}=${value}`]);
      expect(cli.code).toBe(2);
      expect(cli.stderr).toMatch(message);
      await expectUnchanged(before);
    });

    it('restoring a version that does not exist exits 1 naming the range', async () => {
      const before = await archiveState();
      const cli = await runCliInProcess(['--archive', archiveDir, 'restore-version', docs.edited, '3']);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain('versions 1 to 2');
      await expectUnchanged(before);
    });

    it('a no-op edit exits 1 with "Nothing changed"', async () => {
      const before = await archiveState();
      const cli = await runCliInProcess(['--archive', archiveDir, 'edit', docs.edited, '--set', 'customer=华南贸易有限公司']);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toMatch(/Nothing changed/);
      await expectUnchanged(before);
    });
  });
});
