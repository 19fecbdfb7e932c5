/**
 * Filing rules on a real archive: a type's required fields refuse filing through inbox:file, documents:edit
 * and `slipvault file` (also with --no-accept) with FILING_INCOMPLETE naming the fields, nothing stored; an
 * override reason files anyway, kept in the version's reason and audited; admins change a type's rule. The
 * contract's cases run on both back ends; the command line opens archive folders, so its case runs on SQLite.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/main/core/api';
import { initArchive, openArchive, type Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import type { DocumentDetail } from '../../src/shared/model';
import { callOk, refusalOf } from '../helpers/api-calls';
import { slipvault, slipvaultJson } from '../helpers/cli';
import { tempDir, writePdf } from '../helpers/fixtures';
import { adminClient, clientAs, ensureUser } from '../helpers/sessions';
import { createApi } from '../../src/main/core/api';

async function imported(admin: ApiClient, dir: string, name: string): Promise<string> {
  const result = await callOk(admin, 'documents:import', { paths: [writePdf(dir, name, 1)] });
  return result.imported[0]!.document.archiveNo;
}

describe.each(BACK_ENDS)('filing rules through the contract on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  let dir: string;
  let archive: Archive;
  let admin: ApiClient;
  let clerk: ApiClient;

  beforeAll(async () => {
    dir = tempDir('slipvault-filing-');
    archive = await backEnd.init(join(dir, 'archive'), { actor: 'clerk-li' });
    admin = await adminClient(archive);
    clerk = await clientAs(createApi(archive), archive, 'clerk', 'clerk-li');
  });

  afterAll(() => archive.close());

  it('ships defaults for the seeded types', async () => {
    const types = await callOk(clerk, 'documentTypes:list', {});
    const rules = Object.fromEntries(types.map((type) => [type.code, type.requiredFields]));
    expect(rules).toEqual({
      authorization: ['customer', 'signedDate', 'signer'],
      contract: ['customer', 'signedDate'],
      delivery_receipt: ['customer', 'signedDate', 'slipNo'],
      invoice: ['customer', 'signedDate', 'amount'],
      other: [],
      signed_back: ['customer', 'signedDate', 'slipNo', 'signature'],
    });
  });

  it('refuses inbox:file without the fields, names them, stores nothing; an override files and is audited', async () => {
    const ref = await imported(admin, dir, 'signed-back.pdf');
    const before = await callOk(clerk, 'documents:get', { ref });
    const eventsBefore = archive.audit.head().seq;

    const refusal = await refusalOf(clerk, 'inbox:file', { ref, acceptSuggestions: false, changes: { type: 'signed_back', customer: '华南贸易' } });
    expect(refusal.code).toBe('FILING_INCOMPLETE');
    expect(refusal.message).toBe(
      `${ref} cannot be filed: type signed_back needs signedDate, slipNo, signature (missing: signedDate, slipNo, signature). Fill them in, or give an override reason.`,
    );
    expect(refusal.details).toEqual({ archiveNo: ref, type: 'signed_back', missing: ['signedDate', 'slipNo', 'signature'] });
    const after = await callOk(clerk, 'documents:get', { ref });
    expect(after).toEqual(before);
    expect(archive.audit.list(eventsBefore, 100).map((event) => event.action)).not.toContain('document.edit');

    const filed = await callOk(clerk, 'inbox:file', {
      ref,
      acceptSuggestions: false,
      changes: { type: 'signed_back', customer: '华南贸易' },
      reason: 'from the scan',
      filingOverride: 'slip number torn off, customer confirmed by phone',
    });
    expect(filed.status).toBe('filed');
    const history = await callOk(clerk, 'documents:history', { ref });
    expect(history.at(-1)).toMatchObject({
      number: filed.currentVersion,
      actor: 'clerk-li',
      reason: 'from the scan — filed without signedDate, slipNo, signature: slip number torn off, customer confirmed by phone',
    });
    const override = archive.audit.list(eventsBefore, 100).find((event) => event.action === 'document.filing-override');
    expect(override).toMatchObject({
      actor: 'clerk-li',
      targetId: ref,
      details: { version: filed.currentVersion, missing: ['signedDate', 'slipNo', 'signature'], reason: 'slip number torn off, customer confirmed by phone' },
    });
  });

  it('files a complete document without an override and records none', async () => {
    const ref = await imported(admin, dir, 'complete.pdf');
    const seq = archive.audit.head().seq;
    const filed = await callOk(clerk, 'inbox:file', {
      ref,
      acceptSuggestions: false,
      changes: { type: 'delivery_receipt', customer: '华南贸易', signedDate: '2026-03-05', slipNo: 'SO-2026-0417' },
    });
    expect(filed.status).toBe('filed');
    expect((await callOk(clerk, 'documents:history', { ref })).at(-1)?.reason).toBeNull();
    expect(archive.audit.list(seq, 100).map((event) => event.action)).toEqual(['document.edit']);
  });

  it('needs a type to file, and documents:edit to filed or emptying a required field of a filed document obeys the rule', async () => {
    const ref = await imported(admin, dir, 'untyped.pdf');
    const untyped = await refusalOf(clerk, 'documents:edit', { ref, changes: { status: 'filed' } });
    expect(untyped).toMatchObject({ code: 'FILING_INCOMPLETE', details: { missing: ['type'], type: null } });
    expect(untyped.message).toContain('a document needs a type');

    await callOk(clerk, 'documents:edit', {
      ref,
      changes: { type: 'contract', customer: 'Acme', signedDate: '2026-01-02', status: 'filed' },
    });
    const emptied = await refusalOf(clerk, 'documents:edit', { ref, changes: { customer: null } });
    expect(emptied).toMatchObject({ code: 'FILING_INCOMPLETE', details: { missing: ['customer'] } });
    expect((await callOk(clerk, 'documents:get', { ref })).customer).toBe('Acme');
    // Fields the type does not require can be emptied freely.
    await callOk(clerk, 'documents:edit', { ref, changes: { signer: '王芳' } });
    await callOk(clerk, 'documents:edit', { ref, changes: { signer: null } });
    // An empty override is refused as input, not treated as none.
    expect((await refusalOf(clerk, 'documents:edit', { ref, changes: { customer: null }, filingOverride: ' ' })).code).toBe('VALIDATION');
  });

  it('lets an admin change a type rule (audited), keeps the rule when a save omits it, and refuses unknown fields', async () => {
    const seq = archive.audit.head().seq;
    const saved = await callOk(admin, 'documentTypes:save', {
      code: 'other',
      nameZh: '其他',
      nameEn: 'Other',
      keywords: [],
      requiredFields: ['slipNo', 'customer'],
    });
    // Kept in the order of FILING_FIELDS whatever order they were ticked in.
    expect(saved.requiredFields).toEqual(['customer', 'slipNo']);
    expect(archive.audit.list(seq, 10).find((event) => event.action === 'document-type.update')?.details).toMatchObject({
      old: { requiredFields: [] },
      new: { requiredFields: ['customer', 'slipNo'] },
    });
    const renamed = await callOk(admin, 'documentTypes:save', { code: 'other', nameZh: '其他', nameEn: 'Other documents', keywords: [] });
    expect(renamed.requiredFields).toEqual(['customer', 'slipNo']);
    const bad = await refusalOf(admin, 'documentTypes:save', { code: 'other', nameZh: '其他', nameEn: 'Other', keywords: [], requiredFields: ['colour'] });
    expect(bad.code).toBe('VALIDATION');
    expect(bad.message).toContain('a required field is one of customer, signedDate, slipNo, amount, currency, signer, signature');
    expect((await refusalOf(clerk, 'documentTypes:save', { code: 'other', nameZh: '其他', nameEn: 'Other', keywords: [], requiredFields: [] })).code).toBe(
      'FORBIDDEN',
    );
    await callOk(admin, 'documentTypes:save', { code: 'other', nameZh: '其他', nameEn: 'Other', keywords: [], requiredFields: [] });
  });
});

describe('filing rules through `slipvault file` and `edit`', () => {
  let dir: string;
  let archive: Archive;
  let admin: ApiClient;

  beforeAll(async () => {
    dir = tempDir('slipvault-filing-');
    archive = await initArchive(join(dir, 'archive'), { actor: 'clerk-li' });
    admin = await adminClient(archive);
    // The commands log in as clerk-li.
    await ensureUser(archive, 'clerk-li', 'clerk');
  });

  afterAll(() => archive.close());

  it('refuses --no-accept filing with the missing fields (exit 1, nothing stored) and files with --override', async () => {
    const ref = await imported(admin, dir, 'cli.pdf');
    const path = archive.dir;
    archive.close();
    try {
      const refused = slipvault(['--archive', path, 'file', ref, '--no-accept', '--set', 'type=invoice']);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`${ref} cannot be filed: type invoice needs customer, signedDate, amount`);
      const unchanged = slipvaultJson<DocumentDetail>(['--archive', path, 'show', ref]);
      expect(unchanged).toMatchObject({ status: 'inbox', type: null, currentVersion: 1 });

      const filed = slipvaultJson<DocumentDetail>([
        '--archive',
        path,
        'file',
        ref,
        '--no-accept',
        '--set',
        'type=invoice',
        '--override',
        'copy for the auditors',
      ]);
      expect(filed).toMatchObject({ status: 'filed', type: 'invoice', currentVersion: 2 });

      const edited = slipvault(['--archive', path, 'edit', ref, '--set', 'type=contract']);
      expect(edited.status).toBe(1);
      expect(edited.stderr).toContain('missing: customer, signedDate');
      const overridden = slipvaultJson<DocumentDetail>(['--archive', path, 'edit', ref, '--set', 'type=contract', '--override', 'contract pending']);
      expect(overridden).toMatchObject({ type: 'contract', currentVersion: 3 });

      // An admin sets a rule from the command line; omitting --required keeps it, --no-required clears it.
      const admin = { SLIPVAULT_USER: 'admin' };
      const saved = slipvaultJson<{ requiredFields: string[] }>(
        ['--archive', path, 'config', 'types', 'save', 'other', '--zh', '其他', '--en', 'Other', '--required', 'slipNo', 'signature'],
        admin,
      );
      expect(saved.requiredFields).toEqual(['slipNo', 'signature']);
      expect(slipvault(['--archive', path, 'config', 'types'], admin).stdout).toMatch(
        /other\s+其他 \/ Other\n\s+keywords: \(none\)\n\s+required to file: slipNo, signature/,
      );
      const kept = slipvaultJson<{ requiredFields: string[] }>(
        ['--archive', path, 'config', 'types', 'save', 'other', '--zh', '其他', '--en', 'Others'],
        admin,
      );
      expect(kept.requiredFields).toEqual(['slipNo', 'signature']);
      const cleared = slipvaultJson<{ requiredFields: string[] }>(
        ['--archive', path, 'config', 'types', 'save', 'other', '--zh', '其他', '--en', 'Other', '--no-required'],
        admin,
      );
      expect(cleared.requiredFields).toEqual([]);
      const badField = slipvault(['--archive', path, 'config', 'types', 'save', 'other', '--zh', '其他', '--en', 'Other', '--required', 'colour'], admin);
      expect(badField.status).toBe(2);
      expect(badField.stderr).toContain('a required field is one of');
    } finally {
      archive = await openArchive(path, { actor: 'clerk-li' });
    }
  });
});
