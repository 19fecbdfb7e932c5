/**
 * The form a slip number is compared in: half-width (NFKC turns ＳＯ－２０２６ into SO-2026), without spaces,
 * upper case, without the trailing dash or slash OCR leaves — the way extract/slip-numbers.ts writes the
 * numbers it finds, so a typed, suggested or barcode slip number meets the ledger's in one form.
 */
export function slipKey(value: string): string {
  return value
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[-/]+$/, '')
    .toUpperCase();
}
