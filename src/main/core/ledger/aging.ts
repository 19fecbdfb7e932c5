/** Aging of outstanding slips: days past the expected-back date, in the buckets the due screen counts. */
import { OUTSTANDING_STEPS, type AgingBucket, type CustodyStep } from '../../../shared/model';
import { addDays, daysBetween } from './days';

export function isOutstanding(custody: CustodyStep): boolean {
  return (OUTSTANDING_STEPS as readonly CustodyStep[]).includes(custody);
}

/** Upper bounds (days past expected-back, inclusive) of each bucket after not_due. */
const BUCKET_LIMITS: readonly [AgingBucket, number][] = [
  ['0-15', 15],
  ['16-30', 30],
  ['31-60', 60],
  ['61-90', 90],
  ['90+', Number.POSITIVE_INFINITY],
];

/** An outstanding slip is overdue from the day after its expected-back date: day 1 is the first overdue day. */
export function daysOverdue(expectedBackDate: string, asOf: string): number {
  return daysBetween(expectedBackDate, asOf);
}

export function bucketOf(days: number): AgingBucket {
  if (days <= 0) return 'not_due';
  return BUCKET_LIMITS.find(([, limit]) => days <= limit)![0];
}

/**
 * The expected-back dates (inclusive range) of a bucket on `asOf`, for queries: an index range on
 * expected_back_date instead of a computed column. null bounds are open.
 */
export function expectedBackRange(bucket: AgingBucket, asOf: string): { from: string | null; to: string | null } {
  if (bucket === 'not_due') return { from: asOf, to: null };
  const index = BUCKET_LIMITS.findIndex(([name]) => name === bucket);
  const lower = index === 0 ? 1 : BUCKET_LIMITS[index - 1]![1] + 1;
  const upper = BUCKET_LIMITS[index]![1];
  return { from: Number.isFinite(upper) ? addDays(asOf, -upper) : null, to: addDays(asOf, -lower) };
}
