/**
 * Reads an amount written in capital Chinese numerals (大写金额), e.g. 人民币壹拾万陆仟零肆拾柒元柒角整.
 * Invoices and receipts state the total this way beside the figure precisely because it cannot be
 * misread or altered: when it parses, it names the total.
 */

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 壹: 1, 贰: 2, 貳: 2, 叁: 3, 參: 3, 肆: 4, 伍: 5, 陆: 6, 陸: 6, 柒: 7, 捌: 8, 玖: 9 };
const UNITS: Record<string, number> = { 拾: 10, 佰: 100, 仟: 1000 };
const SECTIONS: Record<string, number> = { 万: 10_000, 萬: 10_000, 亿: 100_000_000, 億: 100_000_000 };

const NUMERALS = '零〇壹贰貳叁參肆伍陆陸柒捌玖拾佰仟万萬亿億';
const CAPITAL_AMOUNT = new RegExp(`([${NUMERALS}]+)[元圆]((?:[零〇]?[壹贰貳叁參肆伍陆陸柒捌玖][角分])*)`, 'g');

/** 壹拾万陆仟零肆拾柒 → 106047; null when the numerals do not form a number (an OCR misread). */
function parseInteger(numerals: string): number | null {
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const character of numerals) {
    if (character in DIGITS) {
      digit = DIGITS[character]!;
    } else if (character in UNITS) {
      // 拾 alone at the start means one ten (拾伍 = 15).
      section += (digit ?? (section === 0 && total === 0 ? 1 : NaN)) * UNITS[character]!;
      digit = null;
    } else {
      const scale = SECTIONS[character]!;
      // 万 scales the section before it (叁亿零伍万 = 3·10⁸ + 5·10⁴); 亿 scales everything before it.
      total = scale > 10_000 ? (total + section + (digit ?? 0)) * scale : total + (section + (digit ?? 0)) * scale;
      section = 0;
      digit = null;
    }
  }
  const value = total + section + (digit ?? 0);
  return Number.isFinite(value) ? value : null;
}

export interface CapitalAmount {
  /** Yuan with two decimals, as the amount extractor writes values ("106047.70"). */
  value: string;
  /** Offset of the amount in the text. */
  index: number;
}

export function findCapitalAmounts(text: string): CapitalAmount[] {
  const found: CapitalAmount[] = [];
  for (const match of text.matchAll(CAPITAL_AMOUNT)) {
    const yuan = parseInteger(match[1]!);
    // A lone numeral before 元 is as likely a misread of other text as an amount.
    if (yuan === null || Array.from(match[0]).length < 3) continue;
    let cents = 0;
    for (const [, numeral, unit] of match[2]!.matchAll(/([壹贰貳叁參肆伍陆陸柒捌玖])([角分])/g)) cents += DIGITS[numeral!]! * (unit === '角' ? 10 : 1);
    found.push({ value: (yuan + cents / 100).toFixed(2), index: match.index ?? 0 });
  }
  return found;
}
