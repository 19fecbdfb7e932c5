/**
 * Reads what a receipt says about the tax in its total, which restates the total in other figures:
 * the tax summary ("GST SUMMARY  AMOUNT  TAX" and rows such as "SR @ 6%  20.00  1.20"), net + tax per
 * rate, and the tax a tax-inclusive total holds ("GST @6% included in total 1.43"). Its figures check
 * one another: a summary row is trusted only when its tax is its rate of its net, so a misread digit in
 * the summary is caught rather than summed.
 */

/** A tax word on the row or on the heading just above it: rows of rate, base and part that are not tax (discounts) lack one. */
const TAX_WORD = /\b(GST|SST|VAT|TAX)\b/i;
const HEADING_REACH = 2;
/** Rows about a service charge or a discount share the layout but are not tax. */
const NOT_TAX = /(SERVICE|SVC|SRV|DISC|SAVING)/i;
/** The rate, then exactly two figures: the net amount and the tax on it. */
const ROW = /(\d{1,2}(?:\.\d{1,2})?)\s*%\D*?(\d+\.\d{2})\D+?(\d+\.\d{2})\s*\D{0,4}$/;
/** The tax is rounded to the cent, and tills round half-cents either way. */
const TOLERANCE_CENTS = 1;

const cents = (figure: string) => Math.round(Number(figure) * 100);

/** The gross (net + tax, over every rate) in cents, or null when the text has no summary whose rows all check out. */
export function taxSummaryGross(lines: string[]): number | null {
  let gross = 0;
  let rows = 0;
  for (const [index, line] of lines.entries()) {
    const row = ROW.exec(line);
    if (!row || NOT_TAX.test(line)) continue;
    const context = lines.slice(Math.max(0, index - HEADING_REACH), index + 1).join('\n');
    if (!TAX_WORD.test(context)) continue;
    const [net, tax] = [cents(row[2]!), cents(row[3]!)];
    // One row that does not check out means the summary was misread: it confirms nothing.
    if (Math.abs((net * Number(row[1])) / 100 - tax) > TOLERANCE_CENTS) return null;
    gross += net + tax;
    rows += 1;
  }
  return rows > 0 && gross > 0 ? gross : null;
}

/** "GST @6% INCLUDED IN TOTAL RM 1.43", "TOTAL INCLUDES 6% GST 1.13": the tax a tax-inclusive total holds. */
const INCLUDED_TAX = /(\d{1,2}(?:\.\d{1,2})?)\s*%.*INCLUDE.*?(\d+\.\d{2})\s*$|INCLUDES\s*(\d{1,2}(?:\.\d{1,2})?)\s*%\D*(\d+\.\d{2})\s*$/i;
/**
 * How far the tax a total implies may be from the printed one: half a cent for the printed tax's rounding,
 * and a little more because a total rounded for cash (up to 4 cents) was taxed before its rounding.
 */
const INCLUDED_TOLERANCE_CENTS = 0.5 + 4 * 0.06;

export interface IncludedTax {
  rate: number;
  cents: number;
  /** The line that states it, for the suggestion's evidence. */
  line: string;
}

export function includedTax(lines: string[]): IncludedTax | null {
  for (const line of lines) {
    const match = INCLUDED_TAX.exec(line);
    // "n% included in total" is the tax even where OCR lost the tax's name; a service charge says so.
    if (!match || NOT_TAX.test(line) || !(TAX_WORD.test(line) || /IN\s*TOTAL/i.test(line))) continue;
    const rate = Number(match[1] ?? match[3]);
    if (rate > 0) return { rate, cents: cents(match[2] ?? match[4]!), line: line.trim() };
  }
  return null;
}

/** Whether a tax-inclusive total of `totalCents` holds the stated tax at the stated rate. */
export const holdsTax = (totalCents: number, tax: IncludedTax) => Math.abs((totalCents * tax.rate) / (100 + tax.rate) - tax.cents) <= INCLUDED_TOLERANCE_CENTS;
