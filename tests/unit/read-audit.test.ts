/**
 * Reads worth an audit event, over a real archive: drawing the inbox with its thumbnails records none of
 * them; opening a document records exactly one; viewing, downloading and printing a page one each; a
 * refused record writes nothing.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/main/core/api';
import { adminClient } from '../helpers/sessions';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { isWorthAuditing, READ_ACTIONS, type ReadAction } from '../../src/main/core/audit/read-actions';
import type { Method } from '../../src/shared/contract';
import { callOk, refusalOf } from '../helpers/api-calls';
import { tempDir, writePng, writeTiff } from '../helpers/fixtures';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  const INBOX_DOCUMENTS = 60;

  let archive: Archive;
  let api: ApiClient;
  let inboxIds: number[];
  let tiff: { id: number; archiveNo: string };

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'clerk-li', program: 'read-audit test' });
    api = await adminClient(archive, 'clerk-li');
    const files = tempDir('slipvault-files-');
    const paths = [await writeTiff(files, 'batch.tiff', 3)];
    for (let index = 0; index < INBOX_DOCUMENTS - 1; index += 1) paths.push(await writePng(files, `slip-${index}.png`, 24, 36));
    const imported = await callOk(api, 'documents:import', { paths });
    expect(imported.failed).toEqual([]);
    inboxIds = imported.imported.map((entry) => entry.document.id);
    const first = imported.imported[0]!.document;
    tiff = { id: first.id, archiveNo: first.archiveNo };
  }, 120_000);

  afterAll(() => archive?.close());

  const head = () => archive.audit.head().seq;
  const eventsAfter = (seq: number) => archive.audit.list(seq, 10_000);

  /** What the inbox screen calls when it mounts (InboxScreen, its panels and the app header), besides one documents:get per thumbnail. */
  const INBOX_MOUNT: [Method, Record<string, unknown>][] = [
    ['archive:status', {}],
    ['inbox:list', { limit: 500, order: 'scan' }],
    ['inbox:drafts', {}],
    ['customers:list', {}],
    ['documentTypes:list', {}],
    ['hotFolder:status', {}],
    ['settings:get', {}],
  ];

  describe('reads that are not worth an event', () => {
    it('mounting the inbox twice with 60 thumbnails records no read worth keeping, and nothing per thumbnail', async () => {
      const before = head();
      for (let mount = 0; mount < 2; mount += 1) {
        for (const [method, input] of INBOX_MOUNT) await callOk(api, method, input);
        const items = await callOk(api, 'inbox:list', { limit: 500 });
        expect(items).toHaveLength(INBOX_DOCUMENTS);
        for (const item of items) await callOk(api, 'documents:get', { ref: item.document.id });
      }
      const written = eventsAfter(before);
      expect(written.filter((event) => event.action === 'document.read')).toEqual([]);
      expect(written.filter((event) => isWorthAuditing(event.action as ReadAction, event.details))).toEqual([]);
      expect(written).toEqual([]);
    });

    it('fetching, listing, history and diff of a document record nothing', async () => {
      const before = head();
      await callOk(api, 'documents:get', { ref: tiff.archiveNo });
      await callOk(api, 'documents:list', { limit: 100 });
      await callOk(api, 'documents:history', { ref: tiff.id });
      await callOk(api, 'documents:edit', { ref: tiff.id, changes: { customer: '华南贸易' } });
      const afterEdit = head();
      await callOk(api, 'documents:diff', { ref: tiff.id, from: 1, to: 2 });
      expect(eventsAfter(before).map((event) => event.action)).toEqual(['document.edit']);
      expect(head()).toBe(afterEdit);
    });

    it('is the policy: lists, counts, suggestions, facets and a search’s later pages are not worth an event; opening, viewing, printing, exporting and a search are', () => {
      const worth = READ_ACTIONS.filter((action) => isWorthAuditing(action));
      expect(worth.sort()).toEqual(['archive.check', 'audit.export', 'document.print', 'document.read', 'page.download', 'page.view', 'search.query']);
      expect(isWorthAuditing('search.query', { query: '华南', offset: 0 })).toBe(true);
      expect(isWorthAuditing('search.query', { query: '华南', offset: 20 })).toBe(false);
      for (const action of ['inbox.list', 'documents.list', 'customers.list', 'search.suggest', 'search.facets', 'ocr.queue', 'audit.query'] as const) {
        expect(isWorthAuditing(action), action).toBe(false);
      }
    });
  });

  describe('reads worth an event, once per action', () => {
    it('opening a document records exactly one document.read, naming it and its version', async () => {
      const before = head();
      const event = await callOk(api, 'audit:recordView', { ref: tiff.archiveNo, action: 'open' });
      expect(eventsAfter(before)).toEqual([event]);
      expect(event).toMatchObject({ action: 'document.read', targetType: 'document', targetId: tiff.archiveNo, actor: 'clerk-li', details: { version: 2 } });
    });

    it('viewing, downloading and printing a page record one event each, with the page’s number in the document', async () => {
      const pages = (await callOk(api, 'documents:get', { ref: tiff.id })).pages;
      expect(pages).toHaveLength(3);
      const before = head();
      await callOk(api, 'audit:recordView', { ref: tiff.id, pageId: pages[1]!.pageId, action: 'view' });
      await callOk(api, 'audit:recordView', { ref: String(tiff.id), pageId: pages[2]!.pageId, action: 'download' });
      await callOk(api, 'audit:recordView', { ref: tiff.archiveNo, pageId: pages[0]!.pageId, action: 'print' });
      await callOk(api, 'audit:recordView', { ref: tiff.archiveNo, action: 'print' });
      expect(eventsAfter(before).map(({ action, targetId, details }) => ({ action, targetId, details }))).toEqual([
        { action: 'page.view', targetId: tiff.archiveNo, details: { version: 2, pageId: pages[1]!.pageId, page: 2 } },
        { action: 'page.download', targetId: tiff.archiveNo, details: { version: 2, pageId: pages[2]!.pageId, page: 3 } },
        { action: 'document.print', targetId: tiff.archiveNo, details: { version: 2, pageId: pages[0]!.pageId, page: 1 } },
        { action: 'document.print', targetId: tiff.archiveNo, details: { version: 2, pages: 3 } },
      ]);
    });

    it('refuses a record that names no such document or page, or the wrong thing, and writes nothing', async () => {
      const otherPage = (await callOk(api, 'documents:get', { ref: inboxIds[1]! })).pages[0]!.pageId;
      const before = archive.audit.head();
      const refusals: [Record<string, unknown>, string, RegExp][] = [
        [{ ref: 'SV-2026-999999', action: 'open' }, 'NOT_FOUND', /no document SV-2026-999999/],
        [{ ref: tiff.id, pageId: otherPage, action: 'view' }, 'NOT_FOUND', new RegExp(`${tiff.archiveNo} has no page ${otherPage}`)],
        [{ ref: tiff.id, pageId: 999_999, action: 'download' }, 'NOT_FOUND', /has no page 999999/],
        [{ ref: tiff.id, action: 'view' }, 'VALIDATION', /names the page/],
        [{ ref: tiff.id, action: 'download' }, 'VALIDATION', /names the page/],
        [{ ref: tiff.id, pageId: otherPage, action: 'open' }, 'VALIDATION', /names the document, not a page/],
        [{ ref: tiff.id, action: 'delete' }, 'VALIDATION', /open, view, download or print/],
        [{ ref: '../etc/passwd', action: 'open' }, 'VALIDATION', /archive number/],
        [{ ref: tiff.id, action: 'open', actor: 'someone-else' }, 'VALIDATION', /actor/],
      ];
      for (const [input, code, message] of refusals) {
        const refusal = await refusalOf(api, 'audit:recordView', input);
        expect(refusal.code, JSON.stringify(input)).toBe(code);
        expect(refusal.message).toMatch(message);
      }
      expect(archive.audit.head()).toEqual(before);
    });
  });
});
