/** `slipvault ledger …` and `slipvault due` as real processes on a real archive, the way scheduled jobs run them. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DueSummary, ImportResult, LedgerImportPreview, LedgerImportResult, LedgerList, LedgerRow, ReminderRun } from '../../src/shared/model';
import { ensureCliBuilt, slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { encodeGb18030 } from '../helpers/gb18030';

/** Each command is a process that logs in (argon2) and opens the archive: a few seconds each on a busy machine. */
const CLI_TEST_TIMEOUT = 180_000;

describe('slipvault ledger', () => {
  let dir: string;
  let arc: string[];

  beforeAll(() => {
    ensureCliBuilt();
    dir = tempDir();
    arc = ['--archive', join(dir, 'archive')];
    expect(slipvault([...arc, 'init']).status).toBe(0);
  });

  it(
    'imports GBK and bad files (all or the good rows) and lists what is overdue; bad input exits 2',
    () => {
      const gbk = join(dir, '回单.csv');
      writeFileSync(
        gbk,
        encodeGb18030(
          '送货单号,客户名称,发货日期,金额,跟单员\r\nSO-1,华南贸易,2026-03-01,"1,000.00",clerk-li\r\nSO-2,华南贸易,2026/3/20,50,\r\nSO-3,东方物流,2026年1月5日,75,\r\n',
        ),
      );

      const preview = slipvaultJson<LedgerImportPreview>([...arc, 'ledger', 'import', gbk, '--preview']);
      expect(preview).toMatchObject({ encoding: 'gb18030', totalRows: 3, goodRows: 3 });
      const imported = slipvault([...arc, 'ledger', 'import', gbk, '--encoding', 'gb18030']);
      expect(imported.status).toBe(0);
      expect(imported.stdout).toContain('(csv, gb18030): 3 created, 0 updated, 0 unchanged of 3 rows.');
      expect(slipvaultJson<LedgerImportResult>([...arc, 'ledger', 'import', gbk])).toMatchObject({ created: 0, unchanged: 3 });

      const bad = join(dir, 'bad.csv');
      writeFileSync(bad, '送货单号,客户名称,发货日期,金额\nSO-9,华南贸易,2026-13-01,5\nSO-10,华南贸易,2026-03-01,5\n');
      const refused = slipvault([...arc, 'ledger', 'import', bad]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('line 2: issue date "2026-13-01" is not a real calendar day');
      const good = slipvault([...arc, 'ledger', 'import', bad, '--good-rows']);
      expect(good.status).toBe(0);
      expect(good.stdout).toContain('1 created');
      expect(good.stdout).toContain('skipped line 2: issue date "2026-13-01" is not a real calendar day');

      const overdue = slipvaultJson<LedgerList>([...arc, 'ledger', 'list', '--overdue', '--as-of', '2026-04-15']);
      expect(overdue.items.map((row) => [row.slipNo, row.daysOverdue, row.bucket])).toEqual([
        ['SO-3', 85, '61-90'],
        ['SO-1', 30, '16-30'],
        ['SO-10', 30, '16-30'],
        ['SO-2', 11, '0-15'],
      ]);
      const human = slipvault([...arc, 'ledger', 'list', '--customer', '华南贸易', '--as-of', '2026-04-15']);
      expect(human.stdout).toMatch(/SO-1 +华南贸易 +2026-03-16 {2}30d over +1000\.00 CNY +sent +clerk-li/);
      expect(slipvault([...arc, 'ledger', 'list', '--bucket', '7-8']).status).toBe(2);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'links a filed slip, unlinks and links it by hand, and refuses a second link',
    async () => {
      // A slip comes back: filing the scan with its number links it — a blank scan with a signature problem.
      const scan = slipvaultJson<ImportResult>([...arc, 'import', await writeJpeg(dir, 'so-2.jpg')]).imported[0]!.document.archiveNo;
      const filing = ['slipNo=SO-2', 'customer=华南贸易', 'type=delivery_receipt', 'signedDate=2026-03-28', 'status=filed'];
      expect(slipvault([...arc, 'edit', scan, '--set', ...filing]).status).toBe(0);
      const linked = slipvaultJson<LedgerList>([...arc, 'ledger', 'list', '--text', 'SO-2']).items[0]!;
      expect(linked).toMatchObject({ archiveNo: scan, custody: 'sent', exception: 'signature_problem' });
      expect(slipvault([...arc, 'ledger', 'unlink', 'SO-2']).status).toBe(2);
      expect(slipvaultJson<LedgerRow>([...arc, 'ledger', 'unlink', 'SO-2', '--reason', 'wrong scan'])).toMatchObject({ custody: 'sent', archiveNo: null });
      const unsigned = slipvault([...arc, 'ledger', 'link', 'so-2', scan, '--reason', 'it was right']);
      expect([unsigned.status, unsigned.stderr]).toEqual([1, expect.stringContaining(`${scan} shows no signature or seal`)]);
      const relinked = slipvault([...arc, 'ledger', 'link', 'so-2', scan, '--reason', 'it was right', '--signature-override', 'signed on the carbon copy']);
      expect(relinked.stdout).toContain(`SO-2 is linked to ${scan} (filed).`);
      const twice = slipvault([...arc, 'ledger', 'link', 'SO-1', scan]);
      expect(twice.status).toBe(1);
      expect(twice.stderr).toContain(`${scan} is already linked to the slip SO-2; unlink it there first.`);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'creates reminders, sums up what is due, and writes exports and reminder letters',
    () => {
      const reminders = slipvaultJson<ReminderRun>([...arc, 'ledger', 'remind', '--as-of', '2026-03-16']);
      expect(reminders.created.map((n) => `${n.slipNo}:${n.level}:${n.recipient}`).sort()).toEqual([
        'SO-10:due:clerk-li',
        'SO-1:due:clerk-li',
        'SO-3:due:clerk-li',
        'SO-3:overdue-admin:clerk-li',
        'SO-3:overdue-owner:clerk-li',
      ]);

      const due = slipvaultJson<DueSummary>([...arc, 'due', '--as-of', '2026-03-16']);
      expect(due).toMatchObject({ user: 'clerk-li', myOverdue: 0, unreadNotifications: 5, backNotFiled: 0 });
      expect(due.myDueToday.map((row) => row.slipNo)).toEqual(['SO-1']);
      expect(slipvault([...arc, 'due', '--as-of', '2026-03-16']).stdout).toContain('my slips due back today: SO-1 (华南贸易)');

      const csv = join(dir, 'overdue.csv');
      expect(slipvault([...arc, 'ledger', 'export', '--overdue', '--as-of', '2026-04-15', '--out', csv]).stdout).toContain('Wrote 3 row(s)');
      expect(readFileSync(csv, 'utf8')).toMatch(/^\uFEFFslipNo,customer,/);
      const letter = join(dir, 'letter.pdf');
      expect(slipvault([...arc, 'ledger', 'letter', '华南贸易', '--as-of', '2026-04-15', '--out', letter]).status).toBe(0);
      expect(readFileSync(letter).subarray(0, 5).toString()).toBe('%PDF-');
    },
    CLI_TEST_TIMEOUT,
  );
});
