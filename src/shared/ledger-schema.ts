/**
 * Input schemas of the slip ledger's calls (docs/ledger.md), apart from contract.ts so the contract gains one
 * compact block. Dates are calendar days (YYYY-MM-DD); amounts decimal text like a document's.
 */
import { z } from 'zod';
import { documentRef } from './document-ref';
import {
  AGING_BUCKETS,
  CUSTODY_STEPS,
  LEDGER_ENCODINGS,
  LEDGER_EXCEPTIONS,
  LEDGER_IMPORT_FIELDS,
  LEDGER_REPORTS,
  LEDGER_SORT_FIELDS,
  type LedgerImportField,
} from './model';

const day = z.iso.date({ message: 'a date is a real calendar day written YYYY-MM-DD' });
const amount = z
  .string()
  .trim()
  .regex(/^\d{1,13}(\.\d{1,2})?$/, 'amount must be a non-negative number with at most 2 decimals, e.g. 1234.50');
const currency = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'currency is a 3-letter code such as CNY');
const username = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u, 'an owner is a user name');
const nullable = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

export const ledgerSlipNo = z.string().trim().min(1, 'a slip number is required').max(100, 'a slip number can be at most 100 characters long');
/** A ledger row: its id (a number) or its slip number (text; the live row with it). */
export const ledgerRowRef = z.union([z.number().int().positive(), ledgerSlipNo]);
const customerName = z.string().trim().min(1, 'a customer is required').max(200);
const invoiceNo = z.string().trim().min(1).max(100);
const reasonText = z.string().trim().min(1).max(500);

const rowFields = {
  customer: customerName,
  issueDate: day,
  /** Default: issue date + the customer's return deadline. */
  expectedBackDate: day,
  amount: nullable(amount),
  currency: nullable(currency),
  invoiceNo: nullable(invoiceNo),
  owner: nullable(username),
  custody: z.enum(CUSTODY_STEPS, { message: `custody is one of ${CUSTODY_STEPS.join(', ')}` }),
  exception: nullable(z.enum(LEDGER_EXCEPTIONS, { message: `exception is one of ${LEDGER_EXCEPTIONS.join(', ')}` })),
  exceptionReason: nullable(reasonText),
};

export const ledgerCreateInput = z
  .object({
    slipNo: ledgerSlipNo,
    customer: rowFields.customer,
    issueDate: rowFields.issueDate,
    expectedBackDate: rowFields.expectedBackDate.optional(),
    amount: rowFields.amount.optional(),
    currency: rowFields.currency.optional(),
    invoiceNo: rowFields.invoiceNo.optional(),
    owner: rowFields.owner.optional(),
    custody: rowFields.custody.default('sent'),
    exception: rowFields.exception.optional(),
    exceptionReason: rowFields.exceptionReason.optional(),
  })
  .strict();

export const ledgerChanges = z
  .object(rowFields)
  .partial()
  .strict()
  .refine((changes) => Object.keys(changes).length > 0, 'at least one field must be changed');

const custodyStep = z.enum(CUSTODY_STEPS, { message: `custody is one of ${CUSTODY_STEPS.join(', ')}` });

export const ledgerFilters = z
  .object({
    /** Outstanding and past expected-back on asOf. */
    overdue: z.boolean().optional(),
    customer: z.string().trim().min(1).max(200).optional(),
    owner: username.optional(),
    bucket: z.enum(AGING_BUCKETS, { message: `bucket is one of ${AGING_BUCKETS.join(', ')}` }).optional(),
    /** One custody step, or several (e.g. back at a branch or at the office: back but not filed). */
    custody: z
      .union([custodyStep, z.array(custodyStep).min(1, 'custody lists at least one step').max(CUSTODY_STEPS.length)], {
        message: `custody is one of ${CUSTODY_STEPS.join(', ')}, or a list of them`,
      })
      .optional(),
    exception: z.enum(LEDGER_EXCEPTIONS, { message: `exception is one of ${LEDGER_EXCEPTIONS.join(', ')}` }).optional(),
    /** Part of a slip number, an invoice number or a customer name. */
    text: z.string().trim().min(1).max(200).optional(),
    includeCancelled: z.boolean().default(false),
  })
  .strict();

export const ledgerListInput = z
  .object({
    filters: ledgerFilters.default({ includeCancelled: false }),
    /** The day aging is computed for; default today on the archive owner's clock. */
    asOf: day.optional(),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).default(0),
    sort: z
      .object({
        by: z.enum(LEDGER_SORT_FIELDS, { message: `sort.by is one of ${LEDGER_SORT_FIELDS.join(', ')}` }),
        direction: z.enum(['asc', 'desc'], { message: 'sort.direction is asc or desc' }).default('asc'),
      })
      .strict()
      .default({ by: 'expectedBackDate', direction: 'asc' }),
  })
  .strict();

const mappingName = z.string().trim().min(1, 'a mapping needs a name').max(100);
export const ledgerMappingColumns = z
  .partialRecord(z.enum(LEDGER_IMPORT_FIELDS, { message: `a mapped field is one of ${LEDGER_IMPORT_FIELDS.join(', ')}` }), z.string().trim().min(1).max(200))
  .refine((columns) => Object.keys(columns).length > 0, 'map at least one field to a column')
  .transform((columns) => columns as Partial<Record<LedgerImportField, string>>);

const importSource = {
  path: z.string().min(1, 'a CSV or XLSX file is required').max(4096),
  /** CSV only: auto tells UTF-8 (with or without BOM) from GB18030/GBK. */
  encoding: z.enum(LEDGER_ENCODINGS, { message: 'encoding is auto, utf-8 or gb18030' }).default('auto'),
  /** A saved mapping by name, or columns given here; neither: guessed from the headers. */
  mappingName: mappingName.optional(),
  columns: ledgerMappingColumns.optional(),
  /** XLSX: the worksheet to read; default the first. */
  sheet: z.string().trim().min(1).max(100).optional(),
};
const oneMapping = (input: { mappingName?: string | undefined; columns?: unknown }) => !(input.mappingName && input.columns);
const oneMappingIssue = { message: 'give either mappingName or columns, not both', path: ['columns'] };

export const ledgerImportPreviewInput = z
  .object({ ...importSource, rows: z.number().int().min(1).max(500).default(20) })
  .strict()
  .refine(oneMapping, oneMappingIssue);

export const ledgerImportInput = z
  .object({ ...importSource, goodRows: z.boolean().default(false) })
  .strict()
  .refine(oneMapping, oneMappingIssue);

export const ledgerSaveMappingInput = z.object({ name: mappingName, columns: ledgerMappingColumns }).strict();

export const ledgerReportInput = z
  .object({ kind: z.enum(LEDGER_REPORTS, { message: `a report is one of ${LEDGER_REPORTS.join(', ')}` }), asOf: day.optional() })
  .strict();

export const ledgerExportInput = z
  .object({
    /** The rows of a list (its filters) or a report. */
    source: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('list'), filters: ledgerFilters.default({ includeCancelled: false }) }).strict(),
      z.object({ kind: z.literal('report'), report: z.enum(LEDGER_REPORTS) }).strict(),
    ]),
    format: z.enum(['csv', 'xlsx'], { message: 'format is csv or xlsx' }),
    asOf: day.optional(),
  })
  .strict();

export const dueSummaryInput = z
  .object({
    asOf: day.optional(),
    inboxOlderThanDays: z.number().int().min(0).max(3650).default(3),
    backupOlderThanDays: z.number().int().min(0).max(3650).default(7),
  })
  .strict();

export const reminderPdfInput = z.object({ customer: customerName, asOf: day.optional() }).strict();
export const reminderRunInput = z.object({ asOf: day.optional() }).strict();

export const notificationsListInput = z.object({ unreadOnly: z.boolean().default(false), limit: z.number().int().min(1).max(1000).default(100) }).strict();
export const notificationsMarkReadInput = z
  .object({ ids: z.array(z.number().int().positive()).min(1).max(10_000).optional(), all: z.boolean().optional() })
  .strict()
  .refine((input) => (input.ids !== undefined) !== (input.all === true), 'give ids or all: true');

export const ledgerLinkInput = z
  .object({
    row: ledgerRowRef,
    document: documentRef,
    reason: reasonText.optional(),
    /** Links a document the signed check finds unsigned; the reason is audited (document.signed-override). */
    signatureOverride: reasonText.optional(),
  })
  .strict();
export const ledgerUnlinkInput = z.object({ row: ledgerRowRef, reason: reasonText }).strict();
export const ledgerCancelInput = z.object({ row: ledgerRowRef, reason: reasonText }).strict();
export const ledgerUnexpectedInput = z.object({ limit: z.number().int().min(1).max(1000).default(100), offset: z.number().int().min(0).default(0) }).strict();
export const ledgerCandidatesInput = z.object({ document: documentRef }).strict();

/** The dashboard's filed-per-week tile: the last `weeks` ISO weeks, the last one the week of `asOf`. */
export const filedPerWeekInput = z
  .object({
    asOf: day.optional(),
    weeks: z.number().int().min(1, 'weeks is 1 to 52').max(52, 'weeks is 1 to 52').default(12),
  })
  .strict();
