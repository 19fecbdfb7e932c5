/** Retention calendar arithmetic: where a period starts and ends, and how much of it has passed. */
import { describe, expect, it } from 'vitest';
import { addYears, elapsed, startDate } from '../../src/main/core/retention/dates';

describe('retention dates', () => {
  it('starts a fiscal-year period on the first day after the calendar year of signing (会计档案管理办法 第十四条)', () => {
    expect(startDate('fiscal-year-end', { signedDate: '2026-03-05', authorizationEnd: null })).toBe('2027-01-01');
    expect(startDate('fiscal-year-end', { signedDate: '2026-12-31', authorizationEnd: null })).toBe('2027-01-01');
    expect(startDate('signed-date', { signedDate: '2026-03-05', authorizationEnd: null })).toBe('2026-03-05');
    // An unknown start is never guessed.
    expect(startDate('fiscal-year-end', { signedDate: null, authorizationEnd: null })).toBeNull();
    expect(startDate('authorization-end', { signedDate: '2026-03-05', authorizationEnd: null })).toBeNull();
    expect(startDate('authorization-end', { signedDate: null, authorizationEnd: '2028-06-30' })).toBe('2028-06-30');
  });

  it('adds whole years, 29 February falling back to 28 February in a common year', () => {
    expect(addYears('2027-01-01', 30)).toBe('2057-01-01');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2096-02-29', 4)).toBe('2100-02-28');
  });

  it('counts elapsed time as whole years and the days after the last anniversary', () => {
    expect(elapsed('2027-01-01', '2057-06-01')).toEqual({ years: 30, days: 151 });
    expect(elapsed('2027-01-01', '2057-01-01')).toEqual({ years: 30, days: 0 });
    expect(elapsed('2027-03-05', '2028-03-04')).toEqual({ years: 0, days: 365 });
  });
});
