/** Reading ledger rows as the contract shows them: customer and document joined, aging on a given day. */
import type { LedgerRow } from '../../../shared/model';
import { fromMinorUnits } from '../documents/amount';
import { bucketOf, daysOverdue, isOutstanding } from './aging';

/** The columns every ledger read selects, from ledger_rows r joined with customers c and documents d. */
export const ROW_COLUMNS = `r.id, r.slip_no, c.name AS customer, r.issue_date, r.expected_back_date, r.amount_minor, r.currency, r.invoice_no,
  r.owner, r.custody, r.returned_on, r.document_id, d.archive_no, r.exception, r.exception_reason, r.cancelled_at, r.cancel_reason,
  r.created_at, r.updated_at`;
export const ROW_FROM = `ledger_rows r JOIN customers c ON c.id = r.customer_id LEFT JOIN documents d ON d.id = r.document_id`;

export interface StoredRow {
  id: number;
  slip_no: string;
  customer: string;
  issue_date: string;
  expected_back_date: string;
  amount_minor: number | null;
  currency: string | null;
  invoice_no: string | null;
  owner: string | null;
  custody: LedgerRow['custody'];
  returned_on: string | null;
  document_id: number | null;
  archive_no: string | null;
  exception: LedgerRow['exception'];
  exception_reason: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  created_at: string;
  updated_at: string;
}

export function toLedgerRow(stored: StoredRow, asOf: string): LedgerRow {
  const out = stored.cancelled_at === null && isOutstanding(stored.custody);
  const days = out ? daysOverdue(stored.expected_back_date, asOf) : null;
  return {
    id: stored.id,
    slipNo: stored.slip_no,
    customer: stored.customer,
    issueDate: stored.issue_date,
    expectedBackDate: stored.expected_back_date,
    amount: stored.amount_minor === null ? null : fromMinorUnits(stored.amount_minor),
    currency: stored.currency,
    invoiceNo: stored.invoice_no,
    owner: stored.owner,
    custody: stored.custody,
    returnedOn: stored.returned_on,
    documentId: stored.document_id,
    archiveNo: stored.archive_no,
    exception: stored.exception,
    exceptionReason: stored.exception_reason,
    cancelledAt: stored.cancelled_at,
    cancelReason: stored.cancel_reason,
    createdAt: stored.created_at,
    updatedAt: stored.updated_at,
    daysOverdue: days,
    bucket: days === null ? null : bucketOf(days),
  };
}
