/**
 * The audit viewer's query and CSV export over a real archive holding 100,000 events: filters, keyset paging
 * (newest first, every event once, unmoved by events appended meanwhile), CSV that a spreadsheet reads back
 * field for field, and refusals that leave the trail as it was.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/main/core/api';
import { adminClient } from '../helpers/sessions';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { AuditLog, type AuditEntry } from '../../src/main/core/audit/audit-log';
import { canonicalJson } from '../../src/main/core/audit/canonical';
import { hashEvent, type EventFields } from '../../src/main/core/audit/chain-hash';
import { exportAuditCsv, queryAudit } from '../../src/main/core/audit/audit-query';
import type { AuditFilters } from '../../src/shared/audit-view';
import type { AuditEvent } from '../../src/shared/model';
import { callOk, refusalOf } from '../helpers/api-calls';
import { tempDir, writeJpeg, writePng } from '../helpers/fixtures';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  // A deep trail for the depth check; on PostgreSQL every append is a round trip, so a shorter one there keeps the
  // file quick while still paging through hundreds of pages.
  const EVENTS = backEndName === 'sqlite' ? 100_000 : 20_000;
  const START = Date.parse('2026-01-01T00:00:00.000Z');
  const MINUTE = 60_000;
  const ACTORS = ['clerk-li', 'manager', '王芳', 'auditor, "external"'];
  const ACTIONS = ['document.read', 'page.view', 'document.edit', 'search.query', 'settings.update', 'proof.export'];

  let archive: Archive;
  let api: ApiClient;
  let docs: [string, string];
  /** The generated events as the test wrote them, oldest first (seq order). */
  let written: AuditEvent[];

  /** Event i: actor, action and time cycle; every 7th names a real document, every proof export names it in its details. */
  function eventFor(index: number, archiveNos: [string, string]): AuditEntry {
    const action = ACTIONS[index % ACTIONS.length]!;
    const doc = index % 7 === 0 ? archiveNos[Math.floor(index / 14) % 2]! : `SV-2025-${String(index % 1000).padStart(6, '0')}`;
    if (action === 'proof.export') return { action, details: { documents: [doc], note: '导出, "证据"\r\n第二行' } };
    if (action === 'settings.update') return { action, targetType: 'settings', details: { changed: ['ocrLanguages'] } };
    return { action, targetType: 'document', targetId: doc, details: { page: (index % 5) + 1, query: index % 11 === 0 ? '华南,贸易 "签收"' : 'x' } };
  }

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'clerk-li', program: 'audit-query test' });
    api = await adminClient(archive, 'clerk-li');
    const files = tempDir('slipvault-files-');
    const imported = await callOk(api, 'documents:import', {
      paths: [await writeJpeg(files, '送货单.jpg', 64, 96), await writePng(files, 'receipt.png', 64, 96)],
    });
    docs = imported.imported.map((entry) => entry.document.archiveNo) as [string, string];

    // The events as AuditLog.append writes them (next seq, chained hash, canonical details), through one prepared
    // statement: append builds its queries anew on every call, which for a trail this deep took most of the file's time.
    const insert = archive.connection.sqlite.prepare(
      'INSERT INTO audit_events (seq, at, actor, action, target_type, target_id, details, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @targetType, @targetId, @details, @prevHash, @hash)',
    );
    archive.connection.sqlite.transaction(() => {
      let previous = archive.audit.head();
      for (let index = 0; index < EVENTS; index += 1) {
        const entry = eventFor(index, docs);
        const fields: EventFields = {
          seq: previous.seq + 1,
          at: new Date(START + index * MINUTE).toISOString(),
          actor: ACTORS[index % ACTORS.length]!,
          action: entry.action,
          targetType: entry.targetType ?? null,
          targetId: entry.targetId ?? null,
          details: entry.details ?? {},
        };
        const hash = hashEvent(previous.hash, fields);
        insert.run({ ...fields, details: canonicalJson(fields.details), prevHash: previous.hash, hash });
        previous = { seq: fields.seq, hash };
      }
    })();
    written = archive.audit.list(0, 1_000_000);
  }, 180_000);

  afterAll(() => archive?.close());

  const newestFirst = (events: AuditEvent[]) => [...events].sort((a, b) => b.seq - a.seq);
  const seqs = (events: AuditEvent[]) => events.map((event) => event.seq);

  /** Every page from the newest, following nextBefore. */
  function walk(filters: AuditFilters, limit: number): AuditEvent[] {
    const all: AuditEvent[] = [];
    let before: number | undefined;
    for (;;) {
      const page = queryAudit(archive, { filters, limit, ...(before === undefined ? {} : { before }) });
      all.push(...page.events);
      if (page.nextBefore === null) return all;
      before = page.nextBefore;
    }
  }

  describe('audit query over 100,000 events', () => {
    it('pages the whole trail newest first, every event exactly once, with the total', () => {
      const first = queryAudit(archive, { filters: {}, limit: 200 });
      expect(first.total).toBe(written.length);
      expect(first.events).toHaveLength(200);
      expect(seqs(first.events)).toEqual(seqs(newestFirst(written)).slice(0, 200));
      expect(first.nextBefore).toBe(first.events.at(-1)!.seq);
      expect(first.events[0]).toEqual(written.at(-1));

      const all = walk({}, 1000);
      expect(seqs(all)).toEqual(seqs(newestFirst(written)));
    });

    it('filters by user, by exact action and by action family', () => {
      const byUser = walk({ user: '王芳' }, 1000);
      expect(seqs(byUser)).toEqual(seqs(newestFirst(written.filter((event) => event.actor === '王芳'))));
      expect(byUser.length).toBe(EVENTS / ACTORS.length);

      const edits = queryAudit(archive, { filters: { action: 'document.edit' }, limit: 5 });
      expect(edits.total).toBe(written.filter((event) => event.action === 'document.edit').length);
      expect(edits.events.every((event) => event.action === 'document.edit')).toBe(true);

      // "document.*" is the family, not a pattern: document-type.* or documents.list are not in it.
      const family = walk({ action: 'document.*' }, 1000);
      expect(seqs(family)).toEqual(seqs(newestFirst(written.filter((event) => event.action.startsWith('document.')))));
      expect(family.some((event) => event.action === 'document.import')).toBe(true);
    });

    it('finds a document by archive number or id: events about it and events whose details name it', () => {
      const [first] = docs;
      const expected = newestFirst(
        written.filter((event) => (event.targetType === 'document' && event.targetId === first) || JSON.stringify(event.details).includes(`"${first}"`)),
      );
      expect(expected.some((event) => event.action === 'proof.export')).toBe(true);
      expect(expected.some((event) => event.action === 'document.import')).toBe(true);
      const byNumber = walk({ document: first }, 500);
      expect(seqs(byNumber)).toEqual(seqs(expected));
      const id = archive.documents.summary(first).id;
      expect(seqs(walk({ document: id }, 500))).toEqual(seqs(expected));
      expect(seqs(walk({ document: String(id) }, 500))).toEqual(seqs(expected));
    });

    it('takes since inclusive and until exclusive, whatever offset the instants are written with', () => {
      // Events 1000..1999 of the generated run, written as Beijing time.
      const since = new Date(START + 1000 * MINUTE);
      const until = new Date(START + 2000 * MINUTE);
      const beijing = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString().replace('Z', '+08:00');
      const page = walk({ since: beijing(since), until: beijing(until) }, 300);
      expect(page).toHaveLength(1000);
      expect(page.at(-1)!.at).toBe(since.toISOString());
      expect(page[0]!.at).toBe(new Date(until.getTime() - MINUTE).toISOString());
    });

    it('combines filters, and a page is not moved by events appended after the first page', () => {
      const filters: AuditFilters = { user: '王芳', action: 'document.*', document: docs[1], since: new Date(START).toISOString() };
      const expected = newestFirst(
        written.filter(
          (event) => event.actor === '王芳' && event.action.startsWith('document.') && event.targetId === docs[1] && event.at >= new Date(START).toISOString(),
        ),
      );
      expect(expected.length).toBeGreaterThan(100);
      const first = queryAudit(archive, { filters, limit: 50 });
      archive.audit.append({ action: 'document.read', targetType: 'document', targetId: docs[1], details: {} });
      const second = queryAudit(archive, { filters, limit: 50, before: first.nextBefore! });
      expect(seqs([...first.events, ...second.events])).toEqual(seqs(expected).slice(0, 100));
    });

    it('answers a page quickly at any depth and under any filter', () => {
      const timed = (work: () => unknown) => {
        const started = performance.now();
        work();
        return performance.now() - started;
      };
      const deepest = written[100]!.seq;
      for (const filters of [{}, { user: '王芳' }, { document: docs[0] }, { action: 'page.view' }] as AuditFilters[]) {
        queryAudit(archive, { filters, limit: 200 });
        // A page walks seq downwards and stops at its limit; the bound leaves room for a loaded, shared machine.
        expect(timed(() => queryAudit(archive, { filters, limit: 200 }))).toBeLessThan(500);
        expect(timed(() => queryAudit(archive, { filters, limit: 200, before: deepest }))).toBeLessThan(500);
      }
    });
  });

  /** An independent RFC 4180 reader: quoted fields may hold commas, CRLF and doubled quotes. */
  function parseCsv(text: string): string[][] {
    const records: string[][] = [];
    let field = '';
    let record: string[] = [];
    let quoted = false;
    for (let at = 0; at < text.length; at += 1) {
      const char = text[at]!;
      if (quoted) {
        if (char === '"' && text[at + 1] === '"') {
          field += '"';
          at += 1;
        } else if (char === '"') quoted = false;
        else field += char;
      } else if (char === '"' && field === '') quoted = true;
      else if (char === ',') {
        record.push(field);
        field = '';
      } else if (char === '\r' && text[at + 1] === '\n') {
        record.push(field);
        records.push(record);
        record = [];
        field = '';
        at += 1;
      } else field += char;
    }
    expect(field).toBe('');
    expect(record).toEqual([]);
    return records;
  }

  describe('CSV export', () => {
    it('writes RFC 4180 with a UTF-8 byte order mark; quotes, commas, line breaks and Chinese come back intact', () => {
      const before = archive.audit.head().seq;
      const filters: AuditFilters = { document: docs[0], action: 'proof.export' };
      const exported = exportAuditCsv(archive, filters);
      expect(exported.csv.startsWith('\uFEFFseq,at,actor,action,target_type,target_id,details,prev_hash,hash\r\n')).toBe(true);
      // As a file: the BOM is the three bytes EF BB BF, the Chinese is UTF-8.
      expect([...Buffer.from(exported.csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

      const [header, ...records] = parseCsv(exported.csv.slice(1));
      expect(header).toEqual(['seq', 'at', 'actor', 'action', 'target_type', 'target_id', 'details', 'prev_hash', 'hash']);
      const expected = walk(filters, 1000);
      expect(exported.rows).toBe(expected.length);
      expect(records).toHaveLength(expected.length);
      const raw = archive.connection.sqlite.prepare('SELECT details FROM audit_events WHERE seq = ?').pluck();
      for (const [index, event] of expected.entries()) {
        expect(records[index]).toEqual([
          String(event.seq),
          event.at,
          event.actor,
          event.action,
          event.targetType ?? '',
          event.targetId ?? '',
          raw.get(event.seq),
          event.prevHash,
          event.hash,
        ]);
      }
      expect(records.some((record) => record[2] === 'auditor, "external"')).toBe(true);
      expect(records.some((record) => record[6]!.includes('导出, \\"证据\\"\\r\\n第二行'))).toBe(true);

      // The export itself is one event, naming the filters and the count.
      expect(archive.audit.list(before, 10)).toMatchObject([{ action: 'audit.export', details: { filters, rows: expected.length } }]);
    });

    it('makes a cell that a spreadsheet would run as a formula plain text', () => {
      archive.audit.append({ action: 'document.read', targetType: 'document', targetId: docs[0], details: {} });
      const log = new AuditLog(
        archive.connection,
        () => '=HYPERLINK("http://x","y")',
        () => new Date().toISOString(),
      );
      log.append({ action: 'document.read', targetType: 'document', targetId: docs[0], details: {} });
      const [, newest] = parseCsv(exportAuditCsv(archive, { user: '=HYPERLINK("http://x","y")' }).csv.slice(1));
      expect(newest![2]).toBe('\'=HYPERLINK("http://x","y")');
    });
  });

  describe('through the contract', () => {
    it('answers audit:query and audit:export, and refuses bad filters without writing anything', async () => {
      const page = await callOk(api, 'audit:query', { filters: { user: 'manager' }, limit: 3 });
      expect(page.events).toHaveLength(3);
      expect(page.events.every((event) => event.actor === 'manager')).toBe(true);

      const head = archive.audit.head();
      const refusals = [
        ['audit:query', { filters: { since: '2026-03-01' } }, /ISO date-time/],
        ['audit:query', { filters: { since: '2026-03-02T00:00:00Z', until: '2026-03-01T00:00:00Z' } }, /since must be before until/],
        ['audit:query', { filters: { action: 'document.%' } }, /document\.\*/],
        ['audit:query', { filters: { user: '  ' } }, /user filter cannot be empty/],
        ['audit:query', { limit: 1001 }, /limit/],
        ['audit:query', { before: 0 }, /before/],
        ['audit:query', { filters: { actor: 'x' } }, /actor/],
        ['audit:export', { filters: { document: 'SV-26-1' } }, /archive number/],
      ] as const;
      for (const [method, input, message] of refusals) {
        const refusal = await refusalOf(api, method, input);
        expect(refusal.code, JSON.stringify(input)).toBe('VALIDATION');
        expect(refusal.message).toMatch(message);
      }
      const missing = await refusalOf(api, 'audit:export', { filters: { document: 'SV-2026-999999' } });
      expect(missing).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no document SV-2026-999999/) });
      expect(archive.audit.head()).toEqual(head);
    });
  });
});
