/** `slipvault audit` as a real process on a real archive: filters, local dates, paging, CSV, refusals. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../src/shared/audit-view';
import type { AuditEvent, ImportResult } from '../../src/shared/model';
import { TEST_PASSWORD } from '../helpers/sessions';
import { ensureCliBuilt, slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir, writeJpeg } from '../helpers/fixtures';

/** The CLI reads dates on this calendar; the test works out "today" on the same one. */
const TZ = { TZ: 'Asia/Shanghai' };
const dayInShanghai = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + offsetDays * 86_400_000));

describe('slipvault audit', () => {
  beforeAll(() => ensureCliBuilt());

  it('lists the trail newest first, filters by user, document, action and local day, pages and exports CSV', async () => {
    const archive = join(tempDir(), 'archive');
    const files = tempDir('slipvault-files-');
    const arc = ['--archive', archive];
    expect(slipvault([...arc, 'init']).status).toBe(0);
    expect(slipvault([...arc, 'users', 'add', '王芳', '--role', 'clerk'], { SLIPVAULT_NEW_PASSWORD: TEST_PASSWORD }).status).toBe(0);
    const imported = slipvaultJson<ImportResult>([...arc, 'import', await writeJpeg(files, '送货单.jpg'), await writeJpeg(files, 'b.jpg')]);
    const [a, b] = imported.imported.map((entry) => entry.document.archiveNo) as [string, string];
    expect(slipvault([...arc, 'edit', a, '--set', 'customer=华南贸易, "总部"'], { SLIPVAULT_USER: '王芳' }).status).toBe(0);
    expect(slipvault([...arc, 'show', b]).status).toBe(0);

    // Every command logged in (user.login) besides what it did.
    const all = slipvaultJson<AuditPage>([...arc, 'audit']);
    const withoutLogins = all.events.filter((event) => event.action !== 'user.login');
    expect(withoutLogins.map((event) => event.action)).toEqual([
      'document.read',
      'document.edit',
      'document.import',
      'document.import',
      'user.create',
      'user.setup',
      'archive.init',
    ]);
    expect(all.events.map((event) => event.seq)).toEqual(all.events.map((_, index) => all.total - index));
    expect(withoutLogins[0]).toMatchObject({ actor: 'clerk-li', targetId: b });
    expect(all.nextBefore).toBeNull();
    const [read, edit, importB, importA] = withoutLogins as [AuditEvent, AuditEvent, AuditEvent, AuditEvent];

    expect(slipvaultJson<AuditPage>([...arc, 'audit', '--user', '王芳']).events.map((event) => [event.action, event.targetId])).toEqual([
      ['document.edit', a],
      ['user.login', '王芳'],
    ]);
    expect(slipvaultJson<AuditPage>([...arc, 'audit', '--doc', a]).events.map((event) => event.action)).toEqual(['document.edit', 'document.import']);
    const byId = imported.imported[1]!.document.id;
    expect(slipvaultJson<AuditPage>([...arc, 'audit', '--doc', String(byId)]).events.map((event) => event.action)).toEqual([
      'document.read',
      'document.import',
    ]);
    expect(slipvaultJson<AuditPage>([...arc, 'audit', '--action', 'document.*']).total).toBe(4);

    // Days are local: today (in Shanghai) holds everything, tomorrow nothing; --until includes its whole day.
    const today = dayInShanghai(0);
    const everything = slipvaultJson<AuditPage>([...arc, 'audit']).total;
    // +1: the login of the command itself.
    expect(slipvaultJson<AuditPage>([...arc, 'audit', '--since', today, '--until', today], TZ).total).toBe(everything + 1);
    expect(slipvaultJson<AuditPage>([...arc, 'audit', '--since', dayInShanghai(1)], TZ).total).toBe(0);
    expect(slipvaultJson<AuditPage>([...arc, 'audit', '--until', dayInShanghai(-1)], TZ).total).toBe(0);

    const documentsOnly = ['--action', 'document.*'];
    const first = slipvaultJson<AuditPage>([...arc, 'audit', ...documentsOnly, '--limit', '2']);
    expect(first.events.map((event) => event.seq)).toEqual([read.seq, edit.seq]);
    expect(first.nextBefore).toBe(edit.seq);
    expect(
      slipvaultJson<AuditPage>([...arc, 'audit', ...documentsOnly, '--limit', '2', '--before', String(edit.seq)]).events.map((event) => event.seq),
    ).toEqual([importB.seq, importA.seq]);

    const human = slipvault([...arc, 'audit', ...documentsOnly, '--limit', '2']);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(`^\\s+${read.seq}  \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}  clerk-li  document\\.read  ${b}  \\{"version":1\\}$`, 'm'),
    );
    expect(human.stdout).toContain('2 of 4 matching event(s), newest first.');
    expect(human.stdout).toContain(`Older ones: add --before ${edit.seq}.`);

    const csvFile = join(files, '审计.csv');
    const written = slipvaultJson<{ file: string; rows: number }>([...arc, 'audit', '--doc', a, '--csv', csvFile]);
    expect(written).toEqual({ file: csvFile, rows: 2 });
    const bytes = readFileSync(csvFile);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('seq,at,actor,action,target_type,target_id,details,prev_hash,hash');
    expect(lines[1]).toMatch(
      new RegExp(
        `^${edit.seq},[^,]+,王芳,document\\.edit,document,${a},"\\{""fields"":\\{""customer"":\\{""from"":null,""to"":""华南贸易, \\\\""总部\\\\""""\\}\\},""version"":2\\}",[0-9a-f]{64},[0-9a-f]{64}$`,
      ),
    );
    expect(lines[2]).toMatch(new RegExp(`^${importA.seq},.*,clerk-li,document\\.import,document,${a},`));
    expect(lines[3]).toBe('');
    // The export is itself in the trail.
    expect(slipvaultJson<AuditPage>([...arc, 'audit', '--action', 'audit.export']).events).toMatchObject([
      { action: 'audit.export', details: { rows: 2, filters: { document: a } } },
    ]);
  });

  it('refuses bad options with exit 2, an unknown document or a missing folder with exit 1, and records nothing', async () => {
    const archive = join(tempDir(), 'archive');
    const arc = ['--archive', archive];
    expect(slipvault([...arc, 'init']).status).toBe(0);
    const usage: [string[], RegExp][] = [
      [['--since', '2026-02-30'], /--since 2026-02-30: there is no such day/],
      [['--until', 'yesterday'], /--until takes a date \(2026-03-05\) or a date-time/],
      [['--since', '2026-03-05T08:00:00'], /ISO date-time with its offset/],
      [['--since', '2026-03-02', '--until', '2026-03-01'], /since must be before until/],
      [['--limit', '0'], /not a number of events/],
      [['--limit', '5000'], /limit/],
      [['--action', 'document.%'], /document\.\*/],
      [['--doc', 'SV-26-1'], /archive number/],
    ];
    for (const [options, message] of usage) {
      const run = slipvault([...arc, 'audit', ...options]);
      expect(run.status, options.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    const missing = slipvault([...arc, 'audit', '--doc', 'SV-2026-999999']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no document SV-2026-999999/);

    const folder = tempDir('slipvault-out-');
    const noFolder = slipvault([...arc, 'audit', '--csv', join(folder, 'gone', 'x.csv')]);
    expect(noFolder.status).toBe(1);
    expect(noFolder.stderr).toMatch(/folder .*gone does not exist; nothing was exported/);
    const isFolder = slipvault([...arc, 'audit', '--csv', folder]);
    expect(isFolder.status).toBe(2);
    expect(isFolder.stderr).toMatch(/is a folder/);
    expect(readdirSync(folder)).toEqual([]);
    expect(existsSync(join(folder, 'gone'))).toBe(false);

    // Nothing but the logins of the refused commands was recorded.
    expect(
      slipvaultJson<AuditPage>([...arc, 'audit'])
        .events.filter((event) => event.action !== 'user.login')
        .map((event) => event.action),
    ).toEqual(['user.setup', 'archive.init']);
  });
});
