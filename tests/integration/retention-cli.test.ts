/** `slipvault retention|hold|dispose` as real processes on a real archive, with two administrators. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckReport, DisposalApproval, DisposalBatch, HoldRecord, ImportResult, RetentionState } from '../../src/shared/model';
import { slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { TEST_PASSWORD } from '../helpers/sessions';

describe('slipvault retention, hold and dispose', () => {
  it('lists what is due, holds, requests and approves a batch with two administrators, writes the certificate', async () => {
    const dir = tempDir();
    const archive = join(dir, 'archive');
    const at = (...args: string[]) => ['--archive', archive, ...args];
    const asApprover = { SLIPVAULT_USER: 'wang.fang' };
    slipvaultJson(at('init'));
    slipvaultJson(at('users', 'add', 'wang.fang', '--role', 'admin'), { SLIPVAULT_NEW_PASSWORD: TEST_PASSWORD });
    const imported = slipvaultJson<ImportResult>(at('import', await writeJpeg(dir, 'old.jpg'), await writeJpeg(dir, 'disputed.jpg', 330, 480)));
    const [old, disputed] = imported.imported.map((entry) => entry.document.archiveNo) as [string, string];
    for (const ref of [old, disputed]) slipvaultJson(at('edit', ref, '--set', 'type=delivery_receipt', 'signedDate=1990-05-01', 'customer=华南贸易'));

    // Signed in 1990: 30 years from the end of fiscal 1990 ended on 2021-01-01.
    const due = slipvaultJson<{ asOf: string; items: RetentionState[] }>(at('retention', 'due'));
    expect(due.items.map((item) => [item.archiveNo, item.dueDate])).toEqual([
      [old, '2021-01-01'],
      [disputed, '2021-01-01'],
    ]);
    const hold = slipvaultJson<HoldRecord>(at('hold', 'add', disputed, '--kind', 'legal', '--reason', '诉讼中'));
    expect(slipvault(at('retention', 'due')).stdout).toMatch(new RegExp(`${disputed}.*held \\(#${hold.id} legal\\)`));
    expect(slipvault(at('hold', 'add', disputed, '--kind', 'whim', '--reason', 'x')).status).toBe(2);

    // A held document is refused; --all-due leaves it out.
    const refused = slipvault(at('dispose', 'request', disputed, '--reason', '2026 年度销毁'));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/On hold.*legal/);
    const batch = slipvaultJson<DisposalBatch>(at('dispose', 'request', '--all-due', '--reason', '2026 年度销毁'));
    expect(batch.items.map((item) => [item.archiveNo, item.decision])).toEqual([[old, 'dispose']]);

    // The requester cannot approve; another administrator can.
    const self = slipvault(at('dispose', 'approve', String(batch.id), '--reason', 'ok'));
    expect(self.status).toBe(1);
    expect(self.stderr).toMatch(/another administrator must approve it/);
    const approval = slipvaultJson<DisposalApproval>(at('dispose', 'approve', String(batch.id), '--reason', '经鉴定可以销毁'), asApprover);
    expect(approval.disposed).toEqual([old]);
    expect(approval.filesRemoved).toBeGreaterThanOrEqual(2);

    const out = join(dir, 'certificate.pdf');
    expect(slipvault(at('dispose', 'certificate', String(batch.id), '--out', out)).status).toBe(0);
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(approval.batch.certificateSha256);
    expect(slipvault(at('dispose', 'certificate', String(batch.id), '--out', out)).stderr).toMatch(/already exists/);
    expect(slipvault(at('dispose', 'list')).stdout).toMatch(new RegExp(`Disposal batch ${batch.id} \\(approved\\)[\\s\\S]*${old}\\s+dispose`));
    expect(slipvaultJson<CheckReport>(at('check')).ok).toBe(true);
    expect(slipvault(at('retention', 'show', old)).stdout).toMatch(/DISPOSED in batch/);

    // Retention is never shortened; a hold is lifted by an administrator with a reason.
    const shorter = slipvault(at('retention', 'extend', disputed, '--until', '2020-01-01', '--reason', 'x'));
    expect(shorter.status).toBe(1);
    expect(shorter.stderr).toMatch(/must be kept until 2021-01-01/);
    expect(slipvault(at('hold', 'lift', String(hold.id))).status).toBe(2);
    expect(slipvaultJson<HoldRecord>(at('hold', 'lift', String(hold.id), '--reason', '已结案'), asApprover)).toMatchObject({ liftedBy: 'wang.fang' });
    expect(slipvaultJson<HoldRecord[]>(at('hold', 'list'))).toEqual([]);
    expect(slipvault(at('dispose', 'request', `${disputed}:extend=2019-01-01`, '--reason', 'x')).stderr).toMatch(/an extension must end after 2021-01-01/);
  });
});
