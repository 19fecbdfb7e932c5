/**
 * `slipvault auth add|revoke` as real processes on a real archive: an authorization with agents, scope,
 * validity and a verification attachment decides the filing check; a revocation turns later slips red; bad
 * input exits 2 (1 for a conflict) and stores nothing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportResult } from '../../src/shared/model';
import type { AuthorizationRecord, SigningCheck } from '../../src/shared/records';
import { slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir, writeJpeg, writePng } from '../helpers/fixtures';

describe('slipvault auth add and revoke', () => {
  it('records and revokes an authorization that the filing check then follows', async () => {
    const dir = tempDir();
    const archive = join(dir, 'archive');
    const at = (...args: string[]) => ['--archive', archive, ...args];
    slipvaultJson(at('init'));
    const csv = join(dir, 'customers.csv');
    writeFileSync(csv, 'name,code\r\n华南贸易,C001\r\n');
    expect(slipvault(at('customers', 'import', csv)).status).toBe(0);
    const slip = slipvaultJson<ImportResult>(at('import', await writeJpeg(dir, 'slip.jpg'))).imported[0]!.document.archiveNo;
    const filed = slipvault(at('edit', slip, '--set', 'customer=华南贸易', 'signer=张 三', 'signedDate=2026-03-05', 'amount=4200', 'type=delivery_receipt'));
    expect(filed.status).toBe(0);

    const idCard = await writePng(dir, 'id-card.png', 320, 200);
    const added = slipvaultJson<AuthorizationRecord>(
      at(
        'auth',
        'add',
        '华南贸易',
        '--agent',
        '张三=440301199001011234',
        '--agent',
        '李四',
        '--from',
        '2026-01-01',
        '--to',
        '2099-12-31',
        '--type',
        'delivery_receipt',
        '--cap',
        '5000',
        '--verified-by',
        'ID card',
        '--attach',
        idCard,
      ),
    );
    expect(added).toMatchObject({
      customer: '华南贸易',
      agents: [{ name: '张三', idNumber: '440301199001011234' }, { name: '李四' }],
      scope: { documentTypes: ['delivery_receipt'], amountCap: '5000.00' },
      validFrom: '2026-01-01',
      validTo: '2099-12-31',
      verificationMethod: 'ID card',
      state: 'active',
    });
    expect(added.verificationAttachments).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(slipvaultJson<SigningCheck>(at('auth', 'check', slip))).toMatchObject({ verdict: 'green', authorizationId: added.id });

    const count = () => slipvaultJson<AuthorizationRecord[]>(at('auth', 'list')).length;
    const backwards = slipvault(at('auth', 'add', '华南贸易', '--agent', '王五', '--from', '2026-05-01', '--to', '2026-04-01'));
    expect(backwards.status).toBe(2);
    expect(backwards.stderr).toMatch(/before/);
    expect(slipvault(at('auth', 'add', '华南贸易', '--agent', '=123', '--from', '2026-05-01')).status).toBe(2);
    expect(slipvault(at('auth', 'add', '华南贸易', '--agent', '王五', '--from', '2026-05-01', '--supersedes', 'latest')).status).toBe(2);
    expect(slipvault(at('auth', 'add', '华南贸易', '--from', '2026-05-01')).status).not.toBe(0);
    expect(slipvault(at('auth', 'add', '无此客户', '--agent', '王五', '--from', '2026-05-01')).status).toBe(1);
    expect(count()).toBe(1);

    expect(slipvault(at('auth', 'revoke', `#${added.id}`, '--on', '2025-12-01', '--reason', 'too early')).status).toBe(2);
    const revoked = slipvaultJson<AuthorizationRecord>(at('auth', 'revoke', `#${added.id}`, '--on', '2026-03-01', '--reason', '员工离职'));
    expect(revoked).toMatchObject({ state: 'revoked', revokedOn: '2026-03-01', revokeReason: '员工离职' });
    expect(slipvaultJson<SigningCheck>(at('auth', 'check', slip))).toMatchObject({ verdict: 'red', reason: 'signed-after-revocation' });
    const again = slipvault(at('auth', 'revoke', String(added.id), '--on', '2026-04-01', '--reason', 'twice'));
    expect(again.status).toBe(1);
    expect(slipvaultJson<AuthorizationRecord[]>(at('auth', 'list'))[0]).toMatchObject({ revokedOn: '2026-03-01' });
    expect(slipvault(at('check')).status).toBe(0);
  }, 300_000);
});
