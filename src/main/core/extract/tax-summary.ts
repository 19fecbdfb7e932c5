/**
 * Reads a receipt's tax summary ("GST SUMMARY  AMOUNT  TAX" and rows such as "SR @ 6%  44.25  2.65"),
 * which restates the total as net + tax per rate. Its figures check one another: a row is trusted only
 * when its tax is its rate of its net, so a misread digit in the summary is caught rather than summed.
 * The gross it gives confirms the total when the total's own figure was read in two different ways.
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
