/**
 * The role matrix: every contract method called as every role, with no session and with an expired one.
 * Each call carries an input no method accepts, so an allowed call ends in VALIDATION without its handler
 * running, and a refused one ends in FORBIDDEN / UNAUTHENTICATED before the input is even looked at.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { contract, METHODS, type Method } from '../../src/shared/contract';
import { ROLES, type Role } from '../../src/shared/model';
import { METHOD_ACCESS } from '../../src/shared/permissions';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { tempDir } from '../helpers/fixtures';
import { clientAs, TEST_PASSWORD } from '../helpers/sessions';

const PROBE = { 'no-method-takes-this-key': true };

const PUBLIC: Method[] = ['auth:status', 'auth:setup', 'auth:login', 'auth:logout'];
/** What a viewer may do, written out here rather than read from the table under test. */
const VIEWER: Method[] = [
  ...PUBLIC,
  'auth:changePassword',
  'archive:status',
  'documents:list',
  'documents:get',
  'documents:history',
  'documents:diff',
  'customers:list',
  'documentTypes:list',
  'search:query',
  'search:facets',
  'search:suggest',
  'savedSearches:list',
  'savedSearches:run',
  'inbox:list',
  'ocr:queue',
  'ocr:page',
  'ocr:review',
  'settings:get',
  'hotFolder:status',
  'backup:scheduleStatus',
  'audit:recordView',
  'proof:export',
  'proof:verify',
  'app:openLogFolder',
  // Retention (docs/retention.md): where a document stands and its holds.
  'retention:schedules',
  'retention:document',
  'holds:list',
  // issue 18: customers, signers, authorizations, paper locations
  'customers:register',
  'customers:get',
  'customers:mappings',
  'authorizations:list',
  'authorizations:check',
  'locations:list',
  // issue 19
  'documents:exportPdf',
  // the slip ledger (issue 17): read by everyone, notifications are each user's own
  'ledger:list',
  'ledger:get',
  'ledger:candidates',
  'ledger:unexpected',
  'ledger:report',
  'ledger:export',
  'due:summary',
  'notifications:list',
  'notifications:markRead',
  // the signed check (issue 17 item 3)
  'documents:signatureCheck',
  // the slip ledger's dashboard: filed per week
  'due:filedPerWeek',
  // issue 20 item 3: page images for a window working on a server
  'blobs:read',
];
const AUDITOR: Method[] = [
  ...VIEWER,
  'audit:list',
  'audit:query',
  'audit:export',
  'archive:check',
  // Retention: what is due, the disposal batches and their certificates.
  'retention:due',
  'disposal:list',
  'disposal:certificate',
];
const CLERK: Method[] = [
  ...VIEWER,
  'documents:import',
  'documents:edit',
  'documents:void',
  'documents:restoreVersion',
  'pages:rotate',
  'pages:remove',
  'pages:reorder',
  'pages:add',
  'pages:setText',
  'pages:scan',
  'backup:create',
  'backup:verify',
  'backup:list',
  'backup:signer',
  'search:reindex',
  'savedSearches:save',
  'savedSearches:remove',
  'inbox:file',
  'ocr:process',
  'scanner:list',
  'scanner:scan',
  'hotFolder:watch',
  'hotFolder:stop',
  // Retention: keeping a document longer and placing a hold only ever keep more.
  'retention:extend',
  'holds:add',
  // issue 18: customers, signers, authorizations, paper locations
  'customers:save',
  'customers:merge',
  'customers:import',
  'customers:export',
  'signers:save',
  'authorizations:save',
  'authorizations:revoke',
  'documents:setLocation',
  'locations:boxLabel',
  // issue 19
  'documents:unvoid',
  'documents:editMany',
  // the slip ledger (issue 17): clerks work it
  'ledger:create',
  'ledger:update',
  'ledger:cancel',
  'ledger:importPreview',
  'ledger:import',
  'ledger:mappings',
  'ledger:saveMapping',
  'ledger:link',
  'ledger:unlink',
  'ledger:reminderPdf',
  'ledger:remind',
  // the signed check's override (issue 17 item 3)
  'documents:requireSigned',
  // Inbox filing drafts (issue 19 item 3)
  'inbox:drafts',
  'inbox:saveDraft',
  'inbox:discardDraft',
  // issue 18, records part 2: the box label as a download
  'locations:boxLabelPdf',
  // issue 19 items 6 and 7: batch filing, the backup screen's test restore
  'inbox:fileMany',
  'backup:testRestore',
  // issue 20 item 4: a file uploaded from a workstation to be imported on the server
  'uploads:begin',
  'uploads:append',
  'uploads:import',
  // issue 20 item 4: scanning at a workstation, local pages added to a server's document
  'uploads:checkScan',
  'uploads:importScan',
  'uploads:addPages',
];
const EXPECTED: Record<Role, ReadonlySet<Method>> = {
  viewer: new Set(VIEWER),
  auditor: new Set(AUDITOR),
  clerk: new Set(CLERK),
  admin: new Set(METHODS),
};

describe('the permission table', () => {
  it('has exactly one row per contract method', () => {
    expect(Object.keys(METHOD_ACCESS).sort()).toEqual([...METHODS].sort());
  });

  it('is probed with an input that every method refuses (so no handler runs in the matrix)', () => {
    for (const method of METHODS) expect(contract[method].input.safeParse(PROBE).success, method).toBe(false);
  });
});

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  let archive: Archive;
  let api: Api;
  let clock = Date.now();
  const clients = new Map<Role, ApiClient>();

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { program: 'roles test' });
    api = createApi(archive, { now: () => clock });
    for (const role of ROLES) clients.set(role, await clientAs(api, archive, role, `${role}-user`));
  });

  afterAll(async () => {
    await api.dispose();
    archive.close();
  });

  describe('every method as every role', () => {
    for (const role of ROLES) {
      it(`${role}: allowed calls reach input validation, the others are FORBIDDEN and audited`, async () => {
        const client = clients.get(role)!;
        for (const method of METHODS) {
          const before = archive.audit.head().seq;
          const result = await client.invoke(method, PROBE);
          expect(result.ok, method).toBe(false);
          if (result.ok) continue;
          if (EXPECTED[role].has(method)) {
            expect([method, result.error.code]).toEqual([method, 'VALIDATION']);
            expect(archive.audit.head().seq, `${role} ${method}: a refused input writes nothing`).toBe(before);
          } else {
            expect([method, result.error.code]).toEqual([method, 'FORBIDDEN']);
            expect(result.error.message).toContain(`${role}-user (${role}) may not call ${method}`);
            const [event] = archive.audit.list(before, 10);
            expect(event).toMatchObject({ action: 'call.forbidden', actor: `${role}-user`, details: { method, role } });
          }
        }
        // Still logged in after all of it: a refusal does not end the session.
        expect(client.user()).toMatchObject({ username: `${role}-user`, role });
      });
    }

    it('with no session: only the public calls get past the guard', async () => {
      const stranger = api.connect();
      for (const method of METHODS) {
        const before = archive.audit.head().seq;
        const result = await stranger.invoke(method, PROBE);
        if (result.ok) throw new Error(`${method} answered a probe`);
        if (PUBLIC.includes(method)) {
          expect([method, result.error.code]).toEqual([method, 'VALIDATION']);
        } else {
          expect([method, result.error.code, result.error.details?.reason]).toEqual([method, 'UNAUTHENTICATED', 'not-logged-in']);
          expect(archive.audit.list(before, 10)).toMatchObject([{ action: 'call.refused', details: { method, reason: 'not-logged-in' } }]);
        }
      }
    });

    it('with an expired session: refused, audited, and logged out; the public calls still answer', async () => {
      const client = await clientAs(api, archive, 'admin', 'admin-user');
      expect((await client.invoke('archive:status', {})).ok).toBe(true);
      clock += 11 * 60_000; // the default idle limit is 10 minutes
      const before = archive.audit.head().seq;
      const expired = await client.invoke('documents:list', {});
      expect(expired).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason: 'session-expired' } } });
      expect(archive.audit.list(before, 10)).toMatchObject([
        { action: 'call.refused', details: { method: 'documents:list', username: 'admin-user', reason: 'session-expired' } },
      ]);
      expect(client.user()).toBeNull();
      const again = await client.invoke('documents:list', {});
      expect(again).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', details: { reason: 'not-logged-in' } } });
      expect(await client.invoke('auth:status', {})).toMatchObject({ ok: true, value: { user: null, setupRequired: false } });
      // Activity keeps a session alive: nine minutes between calls never expire it.
      expect((await client.invoke('auth:login', { username: 'admin-user', password: TEST_PASSWORD })).ok).toBe(true);
      for (let step = 0; step < 3; step += 1) {
        clock += 9 * 60_000;
        expect((await client.invoke('archive:status', {})).ok).toBe(true);
      }
    });
  });
});
