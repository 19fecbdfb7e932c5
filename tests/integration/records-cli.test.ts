/**
 * `slipvault customers|signers|auth|locations` as real processes on a real archive: import and merge
 * customers, add a signer with specimens, list expiring authorizations, file paper in a box and print its label.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/main/core/archive';
import type { DocumentDetail, ImportResult, SearchResult } from '../../src/shared/model';
import type {
  AuthorizationRecord,
  BoxLabelResult,
  CustomerDetail,
  CustomerImportResult,
  CustomerMergeResult,
  SignerRecord,
  StorageLocation,
} from '../../src/shared/records';
import { callOk } from '../helpers/api-calls';
import { slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir, writeJpeg, writePng } from '../helpers/fixtures';
import { adminClient } from '../helpers/sessions';

describe('slipvault customers, signers, auth and locations', () => {
  it('runs the register from the command line and refuses bad input with exit 2', async () => {
    const dir = tempDir();
    const archive = join(dir, 'archive');
    const at = (...args: string[]) => ['--archive', archive, ...args];
    slipvaultJson(at('init'));

    const csv = join(dir, 'customers.csv');
    writeFileSync(csv, 'Account Name,Account Number,Record Id,Phone\r\nPearl River Trading,C1,zcrm_1,020-1\r\nPearl River Trdaing,C2,zcrm_2,\r\n');
    const preview = slipvault(at('customers', 'import', csv, '--preset', 'zoho', '--dry-run'));
    expect(preview.status).toBe(0);
    expect(preview.stdout).toMatch(/line +2 +create +Pearl River Trading \(C1\)\n[\s\S]*would create 2, would update 0 \(utf-8\)/);
    expect(slipvaultJson<CustomerImportResult>(at('customers', 'import', csv, '--preset', 'zoho')).created).toBe(2);
    expect(slipvault(at('customers', 'import', csv, '--preset', 'salesforce')).status).toBe(2);

    const slip = await writeJpeg(dir, 'slip.jpg');
    const imported = slipvaultJson<ImportResult>(at('import', slip)).imported[0]!.document.archiveNo;
    expect(slipvault(at('edit', imported, '--set', 'customer=Pearl River Trdaing', 'signer=Chen Jing', 'signedDate=2026-03-01')).status).toBe(0);

    const merged = slipvaultJson<CustomerMergeResult>(at('customers', 'merge', 'Pearl River Trdaing', 'Pearl River Trading', '--reason', 'typo'));
    expect(merged).toMatchObject({ mergedName: 'Pearl River Trdaing', documents: [imported] });
    const itself = slipvault(at('customers', 'merge', 'Pearl River Trdaing', 'Pearl River Trading'));
    expect(itself.status).toBe(2);
    expect(itself.stderr).toMatch(/cannot be merged into itself/);
    expect(slipvault(at('customers', 'list')).stdout).toMatch(/Pearl River Trading +C1 +zcrm_1 +1 doc\(s\) +aka Pearl River Trdaing/);
    expect(slipvaultJson<SearchResult>(at('search', 'customer:Trdaing')).hits.map((hit) => hit.document.archiveNo)).toEqual([imported]);

    const signature = await writePng(dir, 'signature.png', 200, 80);
    const signer = slipvaultJson<SignerRecord>(at('signers', 'add', 'Pearl River Trading', 'Chen Jing', '--title', 'Store keeper', '--signature', signature));
    expect(signer.signatureBlob).toMatch(/^[0-9a-f]{64}$/);
    expect(slipvault(at('signers', 'add', 'Pearl River Trading', 'Chen Jing')).status).toBe(1);
    expect(slipvault(at('signers', 'add', 'Pearl River Trading', 'Lin', '--from', '2026-05-01', '--to', '2026-04-01')).status).toBe(2);
    expect(slipvault(at('signers', 'add', 'Pearl River Trading', 'Lin', '--seal', csv)).stderr).toMatch(/customers\.csv/);
    expect(slipvault(at('signers', 'list', 'Pearl River Trading')).stdout).toMatch(/Pearl River Trading +Chen Jing +Store keeper/);

    // Authorizations are made in the app; the command line lists and checks them.
    const core = await openArchive(archive);
    try {
      const admin = await adminClient(core, 'clerk-li');
      await callOk(admin, 'authorizations:save', {
        customer: 'Pearl River Trading',
        agents: [{ name: 'Chen Jing' }],
        scope: {},
        validFrom: '2026-01-01',
        validTo: '2026-03-31',
      });
    } finally {
      core.close();
    }
    const expiring = slipvaultJson<AuthorizationRecord[]>(at('auth', 'list', '--expiring', '30', '--on', '2026-03-15'));
    expect(expiring.map((record) => [record.customer, record.state, record.warning])).toEqual([['Pearl River Trading', 'expiring', 30]]);
    expect(slipvaultJson<AuthorizationRecord[]>(at('auth', 'list', '--expiring', '30', '--on', '2026-01-15'))).toEqual([]);
    expect(slipvault(at('auth', 'list', '--expiring', 'soon')).status).toBe(2);
    expect(slipvault(at('auth', 'check', imported)).stdout).toMatch(/^GREEN: Chen Jing was authorized by Pearl River Trading on 2026-03-01/);

    slipvaultJson<StorageLocation>(at('locations', 'add', 'A', 'cabinet', '--label', 'Finance room'));
    slipvaultJson<StorageLocation>(at('locations', 'add', 'A-3', 'shelf', '--in', 'A'));
    const box = slipvaultJson<StorageLocation>(at('locations', 'add', 'B2026-014', 'box', '--in', 'A-3', '--label', '2026年3月 送货单'));
    expect(box.path).toEqual(['A', 'A-3', 'B2026-014']);
    expect(slipvault(at('locations', 'add', 'X', 'shelf', '--in', 'B2026-014')).stderr).toMatch(/A shelf cannot be kept in a box/);
    expect(slipvault(at('locations', 'add', 'Y', 'drawer')).status).toBe(2);
    const placed = slipvaultJson<DocumentDetail>(at('locations', 'set', imported, 'B2026-014'));
    expect(placed.location).toBe('B2026-014');
    expect(slipvault(at('locations', 'set', imported, 'NOPE')).stderr).toMatch(/There is no storage location "NOPE"/);
    expect(slipvaultJson<SearchResult>(at('search', 'location:A')).hits.map((hit) => hit.document.archiveNo)).toEqual([imported]);
    expect(slipvaultJson<SearchResult>(at('search', 'location:A-3', '-location:B2026-014')).hits).toEqual([]);

    const out = join(dir, 'box.pdf');
    const label = slipvaultJson<BoxLabelResult>(at('locations', 'label', 'B2026-014', '--out', out));
    expect(label).toMatchObject({ box: 'B2026-014', documents: [imported], path: ['A', 'A-3', 'B2026-014'] });
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(slipvault(at('locations', 'label', 'A-3', '--out', out)).stderr).toMatch(/A-3 is a shelf; labels are printed for boxes/);

    // Restoring the version before the location was set takes the location away again, as a new version.
    const restored = slipvaultJson<DocumentDetail>(at('restore-version', imported, String(placed.currentVersion - 1)));
    expect(restored.location).toBeNull();
    expect(slipvault(at('check')).status).toBe(0);
    expect(slipvaultJson<CustomerDetail[]>(at('customers', 'list')).map((customer) => customer.name)).toEqual(['Pearl River Trading']);
  }, 300_000);
});
