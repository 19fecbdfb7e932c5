/**
 * An unexpected error, made for real: a row of the archive's database damaged from outside (the last-backup
 * record no longer JSON), so that `archive:status` throws deep in the core. The user sees a message ending in
 * an error id, the archive's log holds the stack under that id, the CLI prints the id and `slipvault logs`
 * finds the stack. Outside any call the app's log (SLIPVAULT_LOG_DIR here) takes it. The call's error runs on
 * both back ends (the row damaged through a connection of its own); the command line opens folders, so SQLite.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api, type ApiClient } from '../../src/main/core/api';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { toErrorPayload } from '../../src/main/core/error-payload';
import { archiveLogFolder, LOG_FILE } from '../../src/main/core/logging/log-folders';
import { readRecentEntries } from '../../src/main/core/logging/read-log';
import { callOk, refusalOf } from '../helpers/api-calls';
import { BACK_ENDS, useBackEnd, type TestBackEnd } from '../helpers/back-ends';
import { ensureCliBuilt, slipvault } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

const ERROR_ID = /\(error id ([0-9a-f]{6})\)$/;
const appLogDir = tempDir('slipvault-app-logs-');
const CLI_ENV = { SLIPVAULT_USER: 'li.na', SLIPVAULT_LOG_DIR: appLogDir };

beforeAll(() => {
  process.env.SLIPVAULT_LOG_DIR = appLogDir;
});

/** The last-backup record no longer JSON, written from outside the archive as someone with database access could. */
function damageLastBackupRecord(backEnd: TestBackEnd, archive: Archive): void {
  const db = backEnd.raw(archive);
  try {
    db.prepare("INSERT INTO archive_meta (key, value) VALUES ('last_backup', '{\"at\": \"2026-') ON CONFLICT(key) DO UPDATE SET value = excluded.value").run();
  } finally {
    db.close();
  }
}

describe.each(BACK_ENDS)('an unexpected error in a call on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  let archiveDir: string;
  let archive: Archive;
  let api: Api;
  let admin: ApiClient;

  beforeAll(async () => {
    archiveDir = join(tempDir(), 'archive');
    archive = await backEnd.init(archiveDir, { program: 'logs errors test' });
    api = createApi(archive);
    admin = await clientAs(api, archive, 'admin', 'li.na');
  });

  afterAll(async () => {
    await api.dispose();
    archive.close();
  });

  it('shows an error id to the user and logs its stack under that id in the archive log', async () => {
    damageLastBackupRecord(backEnd, archive);
    const auditHead = archive.audit.head().seq;
    const error = await refusalOf(admin, 'archive:status', {});
    expect(error.code).toBe('INTERNAL');
    const errorId = ERROR_ID.exec(error.message)?.[1];
    expect(errorId, error.message).toBeDefined();
    expect(error.details).toEqual({ errorId });
    expect(error.message).not.toMatch(/\n\s+at /);
    expect(archive.audit.head().seq, 'the failed read wrote no audit event').toBe(auditHead);

    const entries = readRecentEntries(join(archiveLogFolder(archiveDir), LOG_FILE), 20);
    const logged = entries.filter((entry) => entry.errorId === errorId);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ level: 50, msg: 'unexpected error', call: 'archive:status', user: 'li.na', err: { type: 'SyntaxError' } });
    const stack = (logged[0]!.err as { stack: string }).stack;
    expect(stack).toMatch(/^SyntaxError: /);
    expect(stack).toMatch(/\n\s+at .*JSON\.parse/);
    expect(stack).toContain('archive.ts');
    expect(logged[1]).toMatchObject({ level: 30, msg: 'call failed', call: 'archive:status', code: 'INTERNAL', ms: expect.any(Number) });
  });

  it('names the log folders through app:openLogFolder', async () => {
    expect(await callOk(admin, 'app:openLogFolder', {})).toEqual({ folder: join(archiveDir, 'logs'), appFolder: appLogDir, opened: false });
  });
});

describe('an unexpected error outside any call', () => {
  it("goes to the app's log", () => {
    const payload = toErrorPayload(new RangeError('no archive involved'));
    const errorId = ERROR_ID.exec(payload.message)?.[1];
    expect(payload).toEqual({
      code: 'INTERNAL',
      message: `Unexpected error: no archive involved (error id ${errorId})`,
      details: { errorId },
      messageKey: 'internal.unexpected',
      params: { errorId },
    });
    const [entry] = readRecentEntries(join(appLogDir, LOG_FILE), 10).filter((line) => line.errorId === errorId);
    expect(entry).toMatchObject({ name: 'app', msg: 'unexpected error', err: { type: 'RangeError', message: 'no archive involved' } });
  });
});

describe('the command line', () => {
  const sqlite = useBackEnd('sqlite');
  let archiveDir: string;

  beforeAll(async () => {
    ensureCliBuilt();
    archiveDir = join(tempDir(), 'archive');
    const archive = await initArchive(archiveDir, { program: 'logs errors test' });
    try {
      await clientAs(createApi(archive), archive, 'admin', 'li.na');
      damageLastBackupRecord(sqlite, archive);
    } finally {
      archive.close();
    }
  });

  it('prints the error id, and `slipvault logs` shows the stack behind it', async () => {
    const status = slipvault(['--archive', archiveDir, 'status'], CLI_ENV);
    expect(status.status).toBe(1);
    expect(status.stderr).toMatch(/^slipvault: Unexpected error: .+ \(error id [0-9a-f]{6}\)\n$/);
    const errorId = /error id ([0-9a-f]{6})/.exec(status.stderr)![1]!;

    const json = slipvault(['--archive', archiveDir, '--json', 'logs', '--lines', '2'], { SLIPVAULT_PASSWORD: '' });
    expect(json.status).toBe(0);
    const { file, entries } = JSON.parse(json.stdout) as { file: string; entries: Record<string, unknown>[] };
    expect(file).toBe(join(archiveDir, 'logs', LOG_FILE));
    expect(entries.map((entry) => [entry.msg, entry.errorId])).toEqual([
      ['unexpected error', errorId],
      ['call failed', errorId],
    ]);

    const human = slipvault(['--archive', archiveDir, 'logs', '--lines', '2'], { SLIPVAULT_PASSWORD: '' });
    expect(human.status).toBe(0);
    const lines = human.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  error  archive:status  li\\.na  unexpected error  error id ${errorId}$`));
    expect(lines[1]).toMatch(/^ {4}SyntaxError: /);
    expect(human.stdout).toMatch(/\n {4}\s*at .*JSON\.parse/);
    expect(lines.at(-2)).toMatch(new RegExp(`info   archive:status  li\\.na  call failed  INTERNAL  error id ${errorId}  [\\d.]+ ms$`));
  });

  it('reads the app log with --app, and refuses a folder that is no archive', () => {
    const app = slipvault(['--json', 'logs', '--app'], CLI_ENV);
    expect(app.status).toBe(0);
    expect((JSON.parse(app.stdout) as { file: string }).file).toBe(join(appLogDir, LOG_FILE));

    const nowhere = tempDir();
    const refused = slipvault(['--archive', nowhere, 'logs'], CLI_ENV);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`slipvault: ${nowhere} is not a SlipVault archive.\n`);
    expect(slipvault(['--archive', archiveDir, 'logs', '--lines', '0'], CLI_ENV).status).toBe(2);
  });
});
