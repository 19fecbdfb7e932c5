/**
 * The records a signed slip depends on, on a real archive through the contract: merging and renaming
 * customers (search still finds the old name), authorization states on a clock the test sets, the filing
 * check's green / amber / red, customer imports (UTF-8, GB18030, bad rows) and paper locations.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import type { DocumentDetail } from '../../src/shared/model';
import type { CustomerImportProblem } from '../../src/shared/records';
import { callOk, refusalOf } from '../helpers/api-calls';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { tempDir, writeJpeg, writePng } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

/** The clock of every call: 2026-06-01, noon local time. */
const NOW = new Date(2026, 5, 1, 12).getTime();

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  let archive: Archive;
  let clerk: ApiClient;
  let files: string;

  async function newDocument(changes: Record<string, unknown>): Promise<DocumentDetail> {
    const path = await writeJpeg(files, `slip-${Math.random().toString(36).slice(2)}.jpg`);
    const imported = await callOk(clerk, 'documents:import', { paths: [path] });
    return callOk(clerk, 'documents:edit', { ref: imported.imported[0]!.document.archiveNo, changes });
  }

  const auditCount = () => archive.connection.sqlite.prepare('SELECT count(*) FROM audit_events').pluck().get() as number;
  const searchNos = async (query: string) => (await callOk(clerk, 'search:query', { query, limit: 50 })).hits.map((hit) => hit.document.archiveNo).sort();

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir('slipvault-records-'), 'archive'));
    files = tempDir('slipvault-records-files-');
    clerk = await clientAs(createApi(archive, { now: () => NOW }), archive, 'clerk', 'clerk-li');
  });

  afterAll(() => archive.close());

  describe('customer register', () => {
    it('merges a customer: each document gets a version naming the survivor, and the old name still finds them', async () => {
      const survivor = await callOk(clerk, 'customers:save', { name: '华南贸易', code: 'C001' });
      const typo = await newDocument({ customer: '华南贸易有限公同', signer: '王伟' });
      const kept = await newDocument({ customer: '华南贸易' });
      expect(await searchNos('customer:有限公同')).toEqual([typo.archiveNo]);

      const merged = await callOk(clerk, 'customers:merge', { from: '华南贸易有限公同', into: survivor.id, reason: 'typo at filing' });
      expect(merged.documents).toEqual([typo.archiveNo]);
      expect(merged.into.aliases).toEqual(['华南贸易有限公同']);
      expect(merged.into.code).toBe('C001');

      const after = await callOk(clerk, 'documents:get', { ref: typo.archiveNo });
      expect(after.metadata.customer).toBe('华南贸易');
      expect(after.currentVersion).toBe(typo.currentVersion + 1);
      const history = await callOk(clerk, 'documents:history', { ref: typo.archiveNo });
      expect(history.at(-1)).toMatchObject({ action: 'customer.merge', actor: 'clerk-li', reason: 'typo at filing' });
      // The old name is an alias of the survivor: both the moved document and the survivor's own match it.
      expect(await searchNos('customer:有限公同')).toEqual([typo.archiveNo, kept.archiveNo].sort());
      // OCR matching reads the same aliases.
      expect(archive.customers().find((customer) => customer.name === '华南贸易')?.aliases).toContain('华南贸易有限公同');
      // Filing the old name again files it under the survivor, not a new customer.
      const refiled = await newDocument({ customer: '华南贸易有限公同' });
      expect(refiled.metadata.customer).toBe('华南贸易');
      expect((await callOk(clerk, 'archive:status', {})).documents).toBe(3);
      expect((await archive.check()).problems).toEqual([]);
    });

    it('refuses a merge into itself and a duplicate code, changing nothing', async () => {
      const before = auditCount();
      const itself = await refusalOf(clerk, 'customers:merge', { from: '华南贸易', into: '华南贸易有限公同' });
      expect(itself.code).toBe('VALIDATION');
      expect(itself.message).toMatch(/cannot be merged into itself/);
      const duplicate = await refusalOf(clerk, 'customers:save', { name: '北方物流', code: 'C001' });
      expect(duplicate).toMatchObject({ code: 'DUPLICATE', details: { field: 'code', customer: '华南贸易' } });
      expect(auditCount()).toBe(before);
      expect((await callOk(clerk, 'customers:register', {})).map((customer) => customer.name)).toEqual(['华南贸易']);
    });

    it('renames a customer: its documents get a version and the old name becomes an alias', async () => {
      const customer = await callOk(clerk, 'customers:save', { name: '东方电器', contacts: [{ name: '赵敏', phone: '021-1' }] });
      const slip = await newDocument({ customer: '东方电器' });
      const renamed = await callOk(clerk, 'customers:save', { id: customer.id, name: '东方电器股份' });
      expect(renamed).toMatchObject({ name: '东方电器股份', aliases: ['东方电器'], contacts: [{ name: '赵敏', phone: '021-1' }] });
      const history = await callOk(clerk, 'documents:history', { ref: slip.archiveNo });
      expect(history.at(-1)?.action).toBe('customer.rename');
      expect(await searchNos('customer:东方电器')).toEqual([slip.archiveNo]);
      expect((await archive.check()).problems).toEqual([]);
    });

    it("keeps a customer's return deadline, which dates the slips the ledger expects back", async () => {
      const customer = await callOk(clerk, 'customers:save', { name: '北岭建材' });
      expect(customer.returnDeadlineDays).toBe(15);
      const changed = await callOk(clerk, 'customers:save', { id: customer.id, name: '北岭建材', returnDeadlineDays: 30 });
      expect(changed.returnDeadlineDays).toBe(30);
      const row = await callOk(clerk, 'ledger:create', { slipNo: 'BL-0001', customer: '北岭建材', issueDate: '2026-05-01' });
      expect(row.expectedBackDate).toBe('2026-05-31');
      const before = auditCount();
      const refused = await refusalOf(clerk, 'customers:save', { id: customer.id, name: '北岭建材', returnDeadlineDays: 0 });
      expect(refused).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/at least 1 day/) });
      expect((await callOk(clerk, 'customers:get', { customer: customer.id })).returnDeadlineDays).toBe(30);
      expect(auditCount()).toBe(before);
    });
  });

  describe('authorizations', () => {
    let letterId: number;

    it('moves from active to expiring at 60, 30 and 7 days, then expired, on the clock asked for', async () => {
      await callOk(clerk, 'customers:save', { name: '西部建材' });
      const letter = await callOk(clerk, 'authorizations:save', {
        customer: '西部建材',
        agents: [{ name: '张三', idNumber: '110101199001011234' }],
        scope: { documentTypes: ['delivery_receipt'], amountCap: '50000' },
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
        verificationMethod: 'ID card + call-back',
      });
      letterId = letter.id;
      // The API's own clock: 2026-06-01 is 213 days before the end.
      expect(letter).toMatchObject({ state: 'active', daysToEnd: 213, warning: null, endInForce: '2026-12-31' });
      const stateOn = async (on: string) => {
        const [record] = await callOk(clerk, 'authorizations:list', { customer: '西部建材', on });
        return [record!.state, record!.warning];
      };
      expect(await stateOn('2026-10-31')).toEqual(['active', null]);
      expect(await stateOn('2026-11-01')).toEqual(['expiring', 60]);
      expect(await stateOn('2026-12-01')).toEqual(['expiring', 30]);
      expect(await stateOn('2026-12-24')).toEqual(['expiring', 7]);
      expect(await stateOn('2026-12-31')).toEqual(['expiring', 7]);
      expect(await stateOn('2027-01-01')).toEqual(['expired', null]);
      const expiring = await callOk(clerk, 'authorizations:list', { expiringWithinDays: 30, on: '2026-12-05' });
      expect(expiring.map((record) => record.id)).toEqual([letterId]);
      expect(await callOk(clerk, 'authorizations:list', { expiringWithinDays: 30 })).toEqual([]);
      // The due screen counts the authorizations to renew or review: this one from 60 days before its end.
      expect((await callOk(clerk, 'due:summary', { asOf: '2026-10-31' })).authorizationsEnding).toEqual({ withinDays: 60, count: 0 });
      expect((await callOk(clerk, 'due:summary', { asOf: '2026-11-01' })).authorizationsEnding).toEqual({ withinDays: 60, count: 1 });
    });

    it('gives an authorization until revoked a review date 12 months on, which is its end in force', async () => {
      const open = await callOk(clerk, 'authorizations:save', { customer: '西部建材', agents: [{ name: '李四' }], scope: {}, validFrom: '2026-02-28' });
      expect(open).toMatchObject({ validTo: null, reviewDate: '2027-02-28', endInForce: '2027-02-28', state: 'active' });
    });

    it('refuses an end before the start and a revocation before the start, changing nothing', async () => {
      const before = auditCount();
      const backwards = await refusalOf(clerk, 'authorizations:save', {
        customer: '西部建材',
        agents: [{ name: '王五' }],
        scope: {},
        validFrom: '2026-05-01',
        validTo: '2026-04-30',
      });
      expect(backwards).toMatchObject({ code: 'VALIDATION', details: { field: 'validTo' } });
      expect(backwards.message).toMatch(/cannot end \(2026-04-30\) before it starts \(2026-05-01\)/);
      const early = await refusalOf(clerk, 'authorizations:revoke', { id: letterId, revokedOn: '2025-12-31', reason: 'left the company' });
      expect(early).toMatchObject({ code: 'VALIDATION', details: { field: 'revokedOn' } });
      expect(auditCount()).toBe(before);
    });

    it('checks a slip at filing: green in scope, amber without an authorization, red out of scope or after revocation', async () => {
      const check = (input: Record<string, unknown>) => callOk(clerk, 'authorizations:check', { customer: '西部建材', type: 'delivery_receipt', ...input });
      expect(await check({ signer: '张三', signedDate: '2026-03-05', amount: '1200.00' })).toMatchObject({
        verdict: 'green',
        reason: 'authorized',
        authorizationId: letterId,
      });
      // Names compare without spaces.
      expect((await check({ signer: '张 三', signedDate: '2026-03-05' })).verdict).toBe('green');
      expect(await check({ signer: '赵六', signedDate: '2026-03-05' })).toMatchObject({ verdict: 'amber', reason: 'no-authorization' });
      expect(await check({ customer: '东方电器股份', signer: '张三', signedDate: '2026-03-05' })).toMatchObject({
        verdict: 'amber',
        reason: 'no-authorization',
      });
      expect(await check({ signer: null, signedDate: '2026-03-05' })).toMatchObject({ verdict: 'amber', reason: 'no-signer' });
      expect(await check({ signer: '张三', signedDate: '2026-03-05', amount: '50000.01' })).toMatchObject({ verdict: 'red', reason: 'amount-over-cap' });
      expect(await check({ signer: '张三', signedDate: '2026-03-05', type: 'contract' })).toMatchObject({ verdict: 'red', reason: 'type-out-of-scope' });
      expect(await check({ signer: '张三', signedDate: '2025-12-31' })).toMatchObject({ verdict: 'red', reason: 'not-yet-valid' });
      expect(await check({ signer: '张三', signedDate: '2027-01-01' })).toMatchObject({ verdict: 'red', reason: 'expired' });

      const before = await newDocument({ customer: '西部建材', signer: '张三', type: 'delivery_receipt', signedDate: '2026-04-10', amount: '800' });
      const after = await newDocument({ customer: '西部建材', signer: '张三', type: 'delivery_receipt', signedDate: '2026-05-20', amount: '800' });
      const revoked = await callOk(clerk, 'authorizations:revoke', { id: letterId, revokedOn: '2026-05-15', reason: 'left the company' });
      expect(revoked).toMatchObject({ state: 'revoked', revokedOn: '2026-05-15' });
      // A slip signed before the revocation stays green; one signed on or after it is flagged.
      expect((await callOk(clerk, 'authorizations:check', { ref: before.archiveNo })).verdict).toBe('green');
      expect(await callOk(clerk, 'authorizations:check', { ref: after.archiveNo })).toMatchObject({ verdict: 'red', reason: 'signed-after-revocation' });
      // The form's values override the stored ones.
      expect((await callOk(clerk, 'authorizations:check', { ref: after.archiveNo, signedDate: '2026-05-14' })).verdict).toBe('green');
      expect(await searchNos('auth:red')).toEqual([after.archiveNo]);
      expect(await searchNos('auth:green')).toEqual([before.archiveNo]);
      expect((await refusalOf(clerk, 'search:query', { query: 'auth:purple' })).message).toMatch(/auth: is one of green, amber, red/);
    });

    it('supersedes an authorization with a newer one: slips signed after the new one starts are judged by it', async () => {
      const older = await callOk(clerk, 'authorizations:save', { customer: '西部建材', agents: [{ name: '孙七' }], scope: {}, validFrom: '2026-01-01' });
      const newer = await callOk(clerk, 'authorizations:save', {
        customer: '西部建材',
        agents: [{ name: '周八' }],
        scope: {},
        validFrom: '2026-04-01',
        supersedes: older.id,
      });
      expect(newer.supersedes).toBe(older.id);
      const [olderNow] = (await callOk(clerk, 'authorizations:list', { customer: '西部建材' })).filter((record) => record.id === older.id);
      expect(olderNow).toMatchObject({ state: 'superseded', supersededBy: newer.id });
      const check = (signedDate: string) => callOk(clerk, 'authorizations:check', { customer: '西部建材', signer: '孙七', signedDate });
      expect((await check('2026-03-31')).verdict).toBe('green');
      expect(await check('2026-04-01')).toMatchObject({ verdict: 'red', reason: 'superseded' });
    });
  });

  describe('authorization search filters', () => {
    it("finds the granting documents of authorizations by their state on today's calendar", async () => {
      const grant = async (title: string, validTo: string) => {
        const letter = await newDocument({ customer: '西部建材', type: 'authorization', title });
        await callOk(clerk, 'authorizations:save', {
          customer: '西部建材',
          agents: [{ name: '吴九' }],
          scope: {},
          validFrom: '2020-01-01',
          validTo,
          grantingDocument: letter.archiveNo,
        });
        return letter.archiveNo;
      };
      const current = await grant('授权委托书 长期', '2099-12-31');
      const old = await grant('授权委托书 旧', '2020-12-31');
      expect(await searchNos('auth:active')).toEqual([current]);
      expect(await searchNos('auth:expired')).toEqual([old]);
      expect(await searchNos('授权委托书 -auth:expired')).toEqual([current]);
    });
  });

  describe('customer import', () => {
    it('imports a UTF-8 file with SlipVault headings, then updates by code on re-import', async () => {
      const path = join(files, 'customers.csv');
      writeFileSync(
        path,
        '\uFEFFname,code,crmId,aliases,contactName,contactPhone\r\n南山五金,C100,,南山;南山五金店,刘一,0755-1\r\n"Pearl River, Ltd",C101,Z-9,,,\r\n',
      );
      const first = await callOk(clerk, 'customers:import', { path });
      expect(first).toMatchObject({ encoding: 'utf-8', created: 2, updated: 0 });
      expect(await callOk(clerk, 'customers:get', { customer: '南山' })).toMatchObject({ name: '南山五金', code: 'C100', aliases: ['南山', '南山五金店'] });

      writeFileSync(path, 'name,code\r\n南山五金有限公司,C100\r\nPearl River Ltd,C101\r\n');
      const second = await callOk(clerk, 'customers:import', { path });
      expect(second).toMatchObject({ created: 0, updated: 2 });
      expect((await callOk(clerk, 'customers:get', { customer: '南山五金有限公司' })).aliases).toEqual(['南山', '南山五金店', '南山五金']);
      const again = await callOk(clerk, 'customers:import', { path });
      expect(again.rows.map((row) => row.action)).toEqual(['unchanged', 'unchanged']);
    });

    it('reads a GB18030 export of 纷享销客 with its preset and saves the mapping', async () => {
      const path = join(files, 'fxiaoke.csv');
      writeFileSync(
        path,
        Buffer.from(
          'bfcdbba7c3fbb3c62cbfcdbba7b1e0bac52cbfcdbba749442cc1aacfb5c8cb2cb5e7bbb00d0abbaac4cfc3b3d2d72c433030312c46582d313030312ccdf5ceb02c3032302d313233340d0ab1b1b7bdceefc1f72c433030322c46582d313030322cc0eec4c82c3031302d353637380d0a',
          'hex',
        ),
      );
      const preview = await callOk(clerk, 'customers:import', { path, preset: 'fxiaoke', dryRun: true });
      expect(preview).toMatchObject({ encoding: 'gb18030', dryRun: true });
      expect(preview.rows).toEqual([
        { line: 2, action: 'update', name: '华南贸易', code: 'C001', crmId: 'FX-1001' },
        { line: 3, action: 'create', name: '北方物流', code: 'C002', crmId: 'FX-1002' },
      ]);
      expect((await callOk(clerk, 'customers:get', { customer: '华南贸易' })).crmId).toBeNull();
      const imported = await callOk(clerk, 'customers:import', { path, preset: 'fxiaoke', saveMappingAs: 'our-fxiaoke' });
      expect(imported).toMatchObject({ created: 1, updated: 1 });
      expect(await callOk(clerk, 'customers:get', { customer: '北方物流' })).toMatchObject({
        crmId: 'FX-1002',
        contacts: [{ name: '李娜', phone: '010-5678' }],
      });
      expect((await callOk(clerk, 'customers:mappings', {})).saved['our-fxiaoke']?.name).toBe('客户名称');
    });

    it('refuses a file with bad rows as a whole, naming each line, and changes nothing', async () => {
      const path = join(files, 'bad.csv');
      writeFileSync(path, 'name,code,contactName,contactEmail\r\n好客户,C900,,\r\n,C901,,\r\n坏客户,C900,钱,not-an-email\r\n');
      const before = auditCount();
      const refusal = await refusalOf(clerk, 'customers:import', { path });
      expect(refusal.code).toBe('VALIDATION');
      const rows = refusal.details?.rows as CustomerImportProblem[];
      expect(rows.map((row) => row.line)).toEqual([3, 4]);
      expect(rows[0]!.problems).toEqual(['the customer name is empty']);
      expect(rows[1]!.problems).toEqual(['"not-an-email" is not an e-mail address', 'code C900 is also on line 2']);
      expect(auditCount()).toBe(before);
      expect((await refusalOf(clerk, 'customers:get', { customer: '好客户' })).code).toBe('NOT_FOUND');
    });

    it('exports the register as CSV that imports back unchanged', async () => {
      const out = join(files, 'export.csv');
      const exported = await callOk(clerk, 'customers:export', { path: out });
      expect(exported.customers).toBe((await callOk(clerk, 'customers:register', {})).length);
      expect(readFileSync(out, 'utf8')).toMatch(/^\uFEFFname,code,crmId,aliases,contactName,contactPhone,contactEmail,notes\r\n/);
      const reimport = await callOk(clerk, 'customers:import', { path: out, dryRun: true });
      expect(new Set(reimport.rows.map((row) => row.action))).toEqual(new Set(['unchanged']));
    });
  });

  describe('check', () => {
    it('names a missing specimen signature, as it would a missing original', async () => {
      const specimen = await writePng(files, 'specimen.png', 200, 80);
      const signer = await callOk(clerk, 'signers:save', { customer: '北方物流', name: '李娜', signatureImage: specimen });
      expect((await archive.check()).problems).toEqual([]);
      rmSync(archive.blobs.pathOf(signer.signatureBlob!));
      expect((await archive.check()).problems).toEqual([
        expect.objectContaining({ kind: 'blob-missing', blobHash: signer.signatureBlob, message: expect.stringMatching(/specimen signature of signer 李娜/) }),
      ]);
    });
  });
});
