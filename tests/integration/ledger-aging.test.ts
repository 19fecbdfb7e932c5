/**
 * Aging, reminders, the due summary, reconciliation reports, exports and the reminder letter of the slip
 * ledger, on a real archive and a clock the test moves.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { PDFDocument } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApi, type Api, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import type { AppNotification } from '../../src/shared/model';
import { openPdf } from '../../src/main/core/pdf/pdfjs';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  let dir: string;
  let archive: Archive;
  let api: Api;
  let clerk: ApiClient;
  let admin: ApiClient;
  let viewer: ApiClient;
  /** The api's clock stays on one day (sessions expire when it jumps); each call names the day it asks about. */
  const clock = new Date(2026, 2, 1, 9).getTime();
  const pushed: AppNotification[] = [];

  async function as<M extends Method>(client: ApiClient, method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const result = await client.invoke(method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value as OutputOf<M>;
  }
  const call = <M extends Method>(method: M, input: InputOf<M>) => as(clerk, method, input);

  beforeAll(async () => {
    dir = tempDir();
    archive = await backEnd.init(join(dir, 'archive'), { program: 'ledger aging test', clock: () => new Date(clock) });
    api = createApi(archive, { now: () => clock });
    admin = await clientAs(api, archive, 'admin', 'boss');
    clerk = await clientAs(api, archive, 'clerk', 'li.na');
    viewer = await clientAs(api, archive, 'viewer', 'wang');
    archive.events.subscribe((name, payload) => {
      if (name === 'notifications:new') pushed.push(...(payload as { notifications: AppNotification[] }).notifications);
    });
    // Expected back 2026-03-16 (issue date + the default 15 days) unless given.
    await call('ledger:create', { slipNo: 'A-1', customer: '华南贸易', issueDate: '2026-03-01', amount: '100.00', owner: 'li.na', invoiceNo: 'INV-1' });
    await call('ledger:create', { slipNo: 'A-2', customer: '华南贸易', issueDate: '2026-03-01', amount: '50.50', expectedBackDate: '2026-03-20' });
    await call('ledger:create', { slipNo: 'B-1', customer: '东方物流', issueDate: '2026-01-10', amount: '900.00', currency: 'USD', owner: 'li.na' });
    await call('ledger:create', { slipNo: 'C-1', customer: '东方物流', issueDate: '2026-02-01', custody: 'back_at_branch' });
    await call('ledger:create', {
      slipNo: 'D-1',
      customer: '南方钢铁',
      issueDate: '2026-02-01',
      invoiceNo: 'INV-4',
      exception: 'partial',
      exceptionReason: '2 of 5 pages signed',
    });
  });

  afterAll(async () => {
    await api.dispose();
    archive.close();
  });

  describe('aging buckets', () => {
    it('count days past the expected-back date on the day asked about, boundaries included', async () => {
      const bucketOn = async (asOf: string) =>
        (await call('ledger:get', { row: 'A-1' })).row && (await call('ledger:list', { asOf, filters: { text: 'A-1' } })).items[0]!;
      const expectations: [string, number, string][] = [
        ['2026-03-10', -6, 'not_due'],
        ['2026-03-16', 0, 'not_due'],
        ['2026-03-17', 1, '0-15'],
        ['2026-03-31', 15, '0-15'],
        ['2026-04-01', 16, '16-30'],
        ['2026-04-15', 30, '16-30'],
        ['2026-04-16', 31, '31-60'],
        ['2026-05-15', 60, '31-60'],
        ['2026-05-16', 61, '61-90'],
        ['2026-06-14', 90, '61-90'],
        ['2026-06-15', 91, '90+'],
      ];
      for (const [asOf, days, bucket] of expectations) expect([asOf, await bucketOn(asOf)]).toMatchObject([asOf, { daysOverdue: days, bucket }]);
    });

    it('filter the list (bucket, overdue, owner, customer, custody, exception) with paging', async () => {
      const slips = async (filters: InputOf<'ledger:list'>['filters'], asOf = '2026-04-01') =>
        (await call('ledger:list', { asOf, filters, sort: { by: 'slipNo', direction: 'asc' } })).items.map((row) => row.slipNo);
      expect(await slips({ bucket: '16-30' })).toEqual(['A-1']);
      expect(await slips({ bucket: '0-15' })).toEqual(['A-2']);
      expect(await slips({ bucket: '61-90' })).toEqual(['B-1']);
      expect(await slips({ overdue: true })).toEqual(['A-1', 'A-2', 'B-1', 'D-1']);
      expect(await slips({ overdue: true, owner: 'li.na' })).toEqual(['A-1', 'B-1']);
      expect(await slips({ customer: '东方物流' })).toEqual(['B-1', 'C-1']);
      expect(await slips({ custody: 'back_at_branch' })).toEqual(['C-1']);
      // Several steps at once: back but not filed is one filter.
      expect(await slips({ custody: ['back_at_branch', 'at_office'] })).toEqual(['C-1']);
      expect(await slips({ custody: ['at_office', 'sent'] })).toEqual(['A-1', 'A-2', 'B-1', 'D-1']);
      // Text: three characters or more through the trigram index (any case), shorter ones row by row; both
      // also match the customer's name.
      expect(await slips({ text: 'a-1' })).toEqual(['A-1']);
      expect(await slips({ text: 'INV-4' })).toEqual(['D-1']);
      expect(await slips({ text: 'B-' })).toEqual(['B-1']);
      expect(await slips({ text: '华南' })).toEqual(['A-1', 'A-2']);
      expect(await slips({ text: '东方物流' })).toEqual(['B-1', 'C-1']);
      expect(await slips({ text: '"-1' })).toEqual([]);
      // Sorted by amount inside a bucket (the amount index, the date range checked in it).
      const byAmount = await call('ledger:list', { asOf: '2026-04-20', filters: { overdue: true }, sort: { by: 'amount', direction: 'asc' } });
      expect(byAmount.items.map((row) => row.slipNo)).toEqual(['A-2', 'A-1', 'B-1', 'D-1']);
      expect(await slips({ exception: 'partial' })).toEqual(['D-1']);
      const page = await call('ledger:list', { asOf: '2026-04-01', limit: 2, offset: 2, sort: { by: 'amount', direction: 'desc' } });
      // Empty amounts last; rows that tie keep id order in the sort's direction.
      expect([page.total, page.items.map((row) => row.slipNo)]).toEqual([5, ['A-2', 'D-1']]);
    });
  });

  describe('list filters refused', () => {
    it('name the bad custody filter and change nothing', async () => {
      for (const custody of [[], ['lost'], 'lost']) {
        const result = await clerk.invoke('ledger:list', { filters: { custody: custody as never } });
        expect(result.ok ? null : result.error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/custody/) });
      }
    });
  });

  describe('reminders', () => {
    it('escalate from the owner on the due day, to the owner again after 7 days, to the admins after 30, once each', async () => {
      const due = await call('ledger:remind', { asOf: '2026-03-16' });
      // A-1 is li.na's; D-1 (expected 2026-02-16) has no owner, so the admins hear of it at every level; B-1 is long overdue.
      const sent = (run: typeof due) => run.created.map((n) => `${n.slipNo}:${n.level}:${n.recipient}`).sort();
      expect(sent(due)).toEqual([
        'A-1:due:li.na',
        'B-1:due:li.na',
        'B-1:overdue-admin:boss',
        'B-1:overdue-owner:li.na',
        'D-1:due:boss',
        'D-1:overdue-owner:boss',
      ]);
      expect(pushed.map((n) => n.id).sort()).toEqual(due.created.map((n) => n.id).sort());
      expect((await call('ledger:remind', { asOf: '2026-03-16' })).created).toEqual([]);
      expect(sent(await call('ledger:remind', { asOf: '2026-03-23' }))).toEqual(['A-1:overdue-owner:li.na', 'A-2:due:boss', 'D-1:overdue-admin:boss']);
      expect(sent(await call('ledger:remind', { asOf: '2026-04-15' }))).toEqual(['A-1:overdue-admin:boss', 'A-2:overdue-owner:boss']);
    });

    it('are listed for their recipient only and marked read by them', async () => {
      const mine = await call('notifications:list', {});
      expect(mine.every((n) => n.recipient === 'li.na')).toBe(true);
      expect(mine.find((n) => n.slipNo === 'A-1' && n.level === 'overdue-owner')!.text).toBe(
        'The signed slip A-1 of 华南贸易 is 7 days overdue (expected back 2026-03-16).',
      );
      const bosses = await as(admin, 'notifications:list', { unreadOnly: true });
      expect(await call('notifications:markRead', { ids: bosses.map((n) => n.id) })).toEqual({ marked: 0 });
      expect(await call('notifications:markRead', { ids: [mine[0]!.id] })).toEqual({ marked: 1 });
      expect((await call('notifications:list', { unreadOnly: true })).length).toBe(mine.length - 1);
      expect(await as(admin, 'notifications:markRead', { all: true })).toEqual({ marked: bosses.length });
      expect(await as(admin, 'notifications:list', { unreadOnly: true })).toEqual([]);
    });
  });

  describe('the due summary', () => {
    it('shows my chases due today, aging, overdue by customer and owner, and the archive backlog', async () => {
      await call('ledger:create', { slipNo: 'E-1', customer: '华南贸易', issueDate: '2026-03-31', owner: 'li.na', amount: '10.00' });
      const summary = await call('due:summary', { asOf: '2026-04-15' });
      expect(summary.myDueToday.map((row) => row.slipNo)).toEqual(['E-1']);
      expect(summary.myOverdue).toBe(2);
      expect(summary.buckets).toEqual([
        { bucket: 'not_due', count: 1, amounts: { CNY: '10.00' } },
        { bucket: '0-15', count: 0, amounts: {} },
        { bucket: '16-30', count: 2, amounts: { CNY: '150.50' } },
        { bucket: '31-60', count: 1, amounts: {} },
        { bucket: '61-90', count: 1, amounts: { USD: '900.00' } },
        { bucket: '90+', count: 0, amounts: {} },
      ]);
      expect(summary.overdueByCustomer).toEqual([
        { key: '华南贸易', count: 2, amounts: { CNY: '150.50' } },
        { key: '东方物流', count: 1, amounts: { USD: '900.00' } },
        { key: '南方钢铁', count: 1, amounts: {} },
      ]);
      expect(summary.overdueByOwner).toEqual([
        { key: 'li.na', count: 2, amounts: { CNY: '100.00', USD: '900.00' } },
        { key: null, count: 2, amounts: { CNY: '50.50' } },
      ]);
      expect(summary).toMatchObject({ backNotFiled: 1, unexpected: 0, inbox: { count: 0 }, ocrReviewBacklog: 0 });
      expect(summary.backup).toEqual({ olderThanDays: 7, lastVerifiedAt: null, neverVerified: true, stale: true });
      expect((await as(viewer, 'due:summary', { asOf: '2026-04-15' })).myDueToday).toEqual([]);
    });
  });

  describe('filed per week', () => {
    /** Imports a slip and files it on `day` (versions are dated by the system clock, set here), as a clerk would. */
    async function fileOn(day: Date, name: string): Promise<string> {
      vi.setSystemTime(day);
      const imported = await call('documents:import', { paths: [await writeJpeg(dir, `${name}.jpg`)] });
      const ref = imported.imported[0]!.document.archiveNo;
      await call('inbox:file', {
        ref,
        changes: { type: 'contract', customer: '华南贸易', signedDate: '2026-02-01' },
        acceptSuggestions: false,
      });
      return ref;
    }

    afterEach(() => {
      vi.useRealTimers();
    });

    it('counts the versions that moved a document to filed, per ISO week, the last the week asked about', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      // 2026-03-02 is the Monday of ISO week 10.
      const first = await fileOn(new Date(2026, 2, 2, 10), 'week10-a');
      await fileOn(new Date(2026, 2, 8, 22), 'week10-b');
      const refiled = await fileOn(new Date(2026, 2, 10, 9), 'week11');
      // An edit of a filed document is not another filing; voiding and filing again is.
      await call('documents:edit', { ref: first, changes: { title: 'renamed' } });
      await call('documents:void', { ref: refiled, reason: 'scanned twice' });
      await call('documents:unvoid', { ref: refiled, reason: 'it was not' });
      vi.useRealTimers();
      const weeks = await call('due:filedPerWeek', { asOf: '2026-03-18', weeks: 4 });
      expect(weeks).toEqual([
        { week: '2026-W09', start: '2026-02-23', count: 0 },
        { week: '2026-W10', start: '2026-03-02', count: 2 },
        { week: '2026-W11', start: '2026-03-09', count: 2 },
        { week: '2026-W12', start: '2026-03-16', count: 0 },
      ]);
      // Around a new year the week belongs to the year of its Thursday; the default is twelve weeks.
      const january = await as(viewer, 'due:filedPerWeek', { asOf: '2027-01-03' });
      expect([january.length, january.at(-1)]).toEqual([12, { week: '2026-W53', start: '2026-12-28', count: 0 }]);
      const refused = await viewer.invoke('due:filedPerWeek', { weeks: 0 });
      expect(refused.ok ? null : refused.error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/weeks is 1 to 52/) });
    });
  });

  describe('reconciliation', () => {
    it('lists invoiced slips not back, slips back without an invoice, partial returns and return rates', async () => {
      const rows = async (kind: 'invoiced-not-back' | 'back-no-invoice' | 'partial') => {
        const report = await as(viewer, 'ledger:report', { kind, asOf: '2026-04-15' });
        return 'rows' in report ? report.rows.map((row) => row.slipNo) : [];
      };
      expect(await rows('invoiced-not-back')).toEqual(['D-1', 'A-1']);
      expect(await rows('back-no-invoice')).toEqual(['C-1']);
      expect(await rows('partial')).toEqual(['D-1']);
      // Returned on the api clock's day, 2026-03-01: A-2 the day it was issued, C-1 (created back at the branch) 28 days after.
      await call('ledger:update', { row: 'A-2', changes: { custody: 'at_office' }, reason: 'came back by post' });
      const byCustomer = await call('ledger:report', { kind: 'return-rate-by-customer' });
      expect('lines' in byCustomer && byCustomer.lines).toEqual([
        { key: '南方钢铁', issued: 1, returned: 0, rate: 0, medianDaysToReturn: null },
        { key: '华南贸易', issued: 3, returned: 1, rate: 1 / 3, medianDaysToReturn: 0 },
        { key: '东方物流', issued: 2, returned: 1, rate: 0.5, medianDaysToReturn: 28 },
      ]);
      const byMonth = await call('ledger:report', { kind: 'return-rate-by-month' });
      expect('lines' in byMonth && byMonth.lines.map((line) => [line.key, line.issued, line.returned])).toEqual([
        ['2026-01', 1, 0],
        ['2026-02', 2, 1],
        ['2026-03', 3, 1],
      ]);
    });

    it('exports any list as CSV with a BOM and as XLSX with date cells', async () => {
      const csv = await as(viewer, 'ledger:export', { source: { kind: 'list', filters: { overdue: true } }, format: 'csv', asOf: '2026-04-15' });
      const text = Buffer.from(csv.base64, 'base64').toString('utf8');
      expect(text.startsWith('\uFEFFslipNo,customer,issueDate,expectedBackDate,daysOverdue,bucket,amount')).toBe(true);
      expect(text).toContain('A-1,华南贸易,2026-03-01,2026-03-16,30,16-30,100.00,CNY,INV-1,li.na,sent,');
      expect(csv).toMatchObject({ rows: 3, filename: 'ledger-list-2026-04-15.csv' });
      const xlsx = await as(viewer, 'ledger:export', { source: { kind: 'report', report: 'return-rate-by-customer' }, format: 'xlsx' });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(xlsx.base64, 'base64') as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.getRow(1).values).toEqual([undefined, 'key', 'issued', 'returned', 'rate', 'medianDaysToReturn']);
      expect(sheet.getRow(3).values).toEqual([undefined, '华南贸易', 3, 1, 1 / 3, 0]);
      const rowsXlsx = await as(viewer, 'ledger:export', { source: { kind: 'list', filters: { customer: '华南贸易' } }, format: 'xlsx', asOf: '2026-04-15' });
      const listBook = new ExcelJS.Workbook();
      await listBook.xlsx.load(Buffer.from(rowsXlsx.base64, 'base64') as unknown as ArrayBuffer);
      expect(listBook.worksheets[0]!.getRow(2).getCell(3).value).toEqual(new Date(Date.UTC(2026, 2, 1)));
    });
  });

  describe('the reminder letter', () => {
    it('is a PDF listing the customer’s outstanding slips, with the Chinese drawn in', async () => {
      const letter = await call('ledger:reminderPdf', { customer: '华南贸易', asOf: '2026-04-15' });
      expect(letter).toMatchObject({ mime: 'application/pdf', rows: 2, filename: 'reminder-华南贸易-2026-04-15.pdf' });
      const bytes = Buffer.from(letter.base64, 'base64');
      expect((await PDFDocument.load(bytes)).getTitle()).toBe('签回单催收函 华南贸易 2026-04-15');
      // The Chinese lines are pictures (an image and its alpha mask each); slip numbers, dates and amounts are text.
      expect(bytes.toString('latin1').match(/\/Subtype \/Image/g)!.length).toBeGreaterThanOrEqual(2 * 8);
      const pdf = await openPdf(new Uint8Array(bytes));
      const page = await pdf.getPage(1);
      const text = (await page.getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join(' ');
      expect(text).toMatch(/A-1 .*2026-03-01 .*2026-03-16 .*30 .*100\.00 CNY .*INV-1/);
      expect(text).toContain('E-1');
      expect(text).not.toContain('B-1');
      const none = await clerk.invoke('ledger:reminderPdf', { customer: '没有的客户', asOf: '2026-04-15' });
      expect(none).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    });
  });
});
