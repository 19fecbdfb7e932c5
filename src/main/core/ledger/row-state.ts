/**
 * A ledger row's fields as the contract writes them, and how a change turns one state into the next: the
 * expected-back date follows the issue date and the customer's deadline unless it was given; the returned
 * day is set the first time the slip is back and cleared if it goes out again.
 */
import { SlipVaultError } from '../../../shared/errors';
import type { LedgerRow } from '../../../shared/model';
import { DEFAULT_CURRENCY } from '../documents/snapshot';
import { isOutstanding } from './aging';
import { addDays, daysBetween } from './days';
import type { StoredRow } from './row-view';
import { fromMinorUnits } from '../documents/amount';

/** The fields of a ledger row that its changes, history and audit events are about. */
export type RowState = Pick<
  LedgerRow,
  'customer' | 'issueDate' | 'expectedBackDate' | 'amount' | 'currency' | 'invoiceNo' | 'owner' | 'custody' | 'returnedOn' | 'exception' | 'exceptionReason'
>;

/** What a create, an update or an import row asks for; undefined leaves a field as it is (or at its default). */
export type RowInput = Partial<Omit<RowState, 'returnedOn'>>;

export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

export function stateOf(stored: StoredRow): RowState {
  return {
    customer: stored.customer,
    issueDate: stored.issue_date,
    expectedBackDate: stored.expected_back_date,
    amount: stored.amount_minor === null ? null : fromMinorUnits(stored.amount_minor),
    currency: stored.currency,
    invoiceNo: stored.invoice_no,
    owner: stored.owner,
    custody: stored.custody,
    returnedOn: stored.returned_on,
    exception: stored.exception,
    exceptionReason: stored.exception_reason,
  };
}

/**
 * The state after `input`. `deadlineDays` gives a customer's return deadline; `today` is the day a slip
 * counts as returned when its custody moves past the outstanding steps.
 */
export function nextState(current: RowState | null, input: RowInput, deadlineDays: (customer: string) => number, today: string): RowState {
  const customer = input.customer ?? current?.customer;
  const issueDate = input.issueDate ?? current?.issueDate;
  if (!customer || !issueDate)
    throw new SlipVaultError('VALIDATION', 'A ledger row needs a customer and an issue date.').withMessage('ledger.needsCustomerAndDate');
  const keepsExpected = current && customer === current.customer && issueDate === current.issueDate;
  const expectedBackDate = input.expectedBackDate ?? (keepsExpected ? current.expectedBackDate : addDays(issueDate, deadlineDays(customer)));
  if (daysBetween(issueDate, expectedBackDate) < 0) {
    throw new SlipVaultError('VALIDATION', `The expected-back date ${expectedBackDate} is before the issue date ${issueDate}.`, {
      expectedBackDate,
      issueDate,
    }).withMessage('ledger.backBeforeIssue', { expectedBackDate, issueDate });
  }
  const amount = input.amount !== undefined ? input.amount : (current?.amount ?? null);
  // An amount without a currency is in yuan, as a document's is.
  const givenCurrency = input.currency !== undefined ? input.currency : (current?.currency ?? null);
  const currency = amount !== null && givenCurrency === null ? DEFAULT_CURRENCY : givenCurrency;
  const custody = input.custody ?? current?.custody ?? 'sent';
  const exception = input.exception !== undefined ? input.exception : (current?.exception ?? null);
  const exceptionReason = exception === null ? null : input.exceptionReason !== undefined ? input.exceptionReason : (current?.exceptionReason ?? null);
  return {
    customer,
    issueDate,
    expectedBackDate,
    amount,
    currency,
    invoiceNo: input.invoiceNo !== undefined ? input.invoiceNo : (current?.invoiceNo ?? null),
    owner: input.owner !== undefined ? input.owner : (current?.owner ?? null),
    custody,
    returnedOn: isOutstanding(custody) ? null : (current?.returnedOn ?? today),
    exception,
    exceptionReason,
  };
}

/** The fields that differ, from → to; empty when nothing changes. */
export function changesBetween(before: RowState | null, after: RowState): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of Object.keys(after) as (keyof RowState)[]) {
    const from = before ? before[key] : null;
    if (from !== after[key]) changes[key] = { from, to: after[key] };
  }
  return changes;
}
