/** Sums per currency as one line: "1200.50 CNY · 80.00 USD". */
import type { AmountsByCurrency } from '../../shared/model';

export function formatAmounts(amounts: AmountsByCurrency): string {
  return Object.entries(amounts)
    .map(([currency, sum]) => `${sum} ${currency}`)
    .join(' · ');
}

/** The CNY sum (or else the first currency's) as a number, to rank and chart groups. */
export function leadingAmount(amounts: AmountsByCurrency): number {
  const value = amounts.CNY ?? Object.values(amounts)[0];
  return value === undefined ? 0 : Number(value);
}
