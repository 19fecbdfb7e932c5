/**
 * Finds calendar dates in OCR text: 2026-03-05, 2026/3/5, 2026年3月5日, 二〇二六年三月五日, 05/03/2026 and 05-03-26
 * (day first, as on Chinese, Malaysian and British slips, unless the day cannot be a month),
 * 5 Mar 2026, Mar 5, 2026. Dates next to a date label rank first; validity periods and due dates last.
 */
export interface Candidate {
  value: string;
  confidence: number;
  evidence: string;
  index: number;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const MONTH_NAME = '(JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)[A-Z]*\\.?';
const DATE_LABEL = /(日期|DATE|时间|签收|开票|DATED)/i;
const OTHER_DATE_LABEL = /(有效|期限|到期|至|止|DUE|VALID|EXPIR|PRINTED)/i;

function isoOf(year: number, month: number, day: number): string | null {
  if (year < 100) year += 2000;
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const CHINESE_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 五 → 5, 十 → 10, 十二 → 12, 二十 → 20, 三十一 → 31. */
function chineseNumber(text: string): number {
  const [tens, ones] = text.includes('十') ? text.split('十') : ['', text];
  return (text.includes('十') ? (tens ? CHINESE_DIGITS[tens]! : 1) * 10 : 0) + (ones ? CHINESE_DIGITS[ones]! : 0);
}

const PATTERNS: { regex: RegExp; base: number; parse: (m: RegExpExecArray) => string | null }[] = [
  // Contracts and letters of authority date themselves in Chinese numerals: 二〇二六年三月五日.
  {
    regex: /([〇零一二三四五六七八九]{4})\s*年\s*(十[一二]?|[一二三四五六七八九])\s*月\s*([一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*日/g,
    base: 0.85,
    parse: (m) => isoOf(Number([...m[1]!].map((digit) => CHINESE_DIGITS[digit]).join('')), chineseNumber(m[2]!), chineseNumber(m[3]!)),
  },
  { regex: /(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?/g, base: 0.85, parse: (m) => isoOf(+m[1]!, +m[2]!, +m[3]!) },
  { regex: /(?<![\d.])(\d{4})\s?[-/.]\s?(\d{1,2})\s?[-/.]\s?(\d{1,2})(?![\d])/g, base: 0.8, parse: (m) => isoOf(+m[1]!, +m[2]!, +m[3]!) },
  {
    regex: /(?<![\d.])(\d{1,2})\s?([-/.])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d])/g,
    base: 0.7,
    parse: (m) => {
      const first = +m[1]!;
      const second = +m[3]!;
      return second > 12 && first <= 12 ? isoOf(+m[4]!, first, second) : isoOf(+m[4]!, second, first);
    },
  },
  {
    regex: new RegExp(`(?<![\\dA-Z])(\\d{1,2})[\\s-]*${MONTH_NAME}[\\s,-]*(\\d{4}|\\d{2})(?!\\d)`, 'gi'),
    base: 0.8,
    parse: (m) => isoOf(+m[3]!, MONTHS.indexOf(m[2]!.slice(0, 3).toUpperCase()) + 1, +m[1]!),
  },
  {
    regex: new RegExp(`(?<![A-Z])${MONTH_NAME}\\s*(\\d{1,2}),?\\s*(\\d{4})(?!\\d)`, 'gi'),
    base: 0.8,
    parse: (m) => isoOf(+m[3]!, MONTHS.indexOf(m[1]!.slice(0, 3).toUpperCase()) + 1, +m[2]!),
  },
];

/** A date read through a thermal-print confusion (below) ranks lower than one read as printed. */
const REPAIR_PENALTY = 0.25;

/**
 * The commonest confusions of faint thermal print, in order of trust: a 0 read as 8, a 1 read as 4.
 * "17/83/2817" is no date and "13/12/2047" no plausible one, but reading the confused digits back
 * gives 17/03/2017 and 13/12/2017.
 */
const CONFUSIONS: [RegExp, string][] = [
  [/8/g, '0'],
  [/4/g, '1'],
];

const isPlausible = (iso: string) => Number(iso.slice(0, 4)) <= new Date().getFullYear() + 1;

/** The groups that hold a confused digit are repaired, fewest groups first; names of months never. */
function parseRepaired(match: RegExpExecArray, parse: (m: RegExpExecArray) => string | null): string | null {
  for (const [confused, meant] of CONFUSIONS) {
    const groups = match
      .map((group, index) => (index > 0 && group && /^\d+$/.test(group) && new RegExp(confused.source).test(group) ? index : -1))
      .filter((index) => index > 0);
    const subsets = Array.from({ length: (1 << groups.length) - 1 }, (_, mask) => groups.filter((_, bit) => ((mask + 1) >> bit) & 1));
    subsets.sort((a, b) => a.length - b.length);
    for (const subset of subsets) {
      const repaired = Object.assign([...match], { index: match.index, input: match.input }) as unknown as RegExpExecArray;
      for (const index of subset) repaired[index] = repaired[index]!.replace(confused, meant);
      const value = parse(repaired);
      if (value && isPlausible(value)) return value;
    }
  }
  return null;
}

/** Full-width digits and separators (２０２６／３／５), one for one, so offsets stay those of the text. */
const halfWidth = (text: string) => text.replace(/[０-９／－．]/g, (character) => String.fromCharCode(character.charCodeAt(0) - 0xfee0));

/**
 * Receipt printers print the zero slashed (Ø) so it is not taken for an O, and OCR reads that zero as
 * ¢, Ø or ø. Next to a digit, with a digit or a date's separator on its other side, none of them is
 * anything but a zero ("2¢17" is 2017, "3Ø/Ø4" 30/04); one for one, so offsets stay those of the text.
 */
const slashedZeros = (text: string) => text.replace(/(?<=\d)[¢Øø](?=[\d/.-])|(?<=[\d/.-])[¢Øø](?=\d)/g, '0');

/**
 * OCR splits a date's middle field with a stray space ("04/1 2/2017", "2026-0 3-05"): one digit on each
 * side of the space and the same slash or dash around the pair. Dots are left alone: "1.1 2.18" is prices.
 */
const joinSplitDigits = (line: string) => line.replace(/(?<=([-/])\d) (?=\d\1\d)/g, '');

export function findDates(ocrText: string): Candidate[] {
  const text = slashedZeros(halfWidth(ocrText));
  const found = new Map<string, Candidate>();
  let offset = 0;
  for (const printed of text.split('\n')) {
    const line = joinSplitDigits(printed);
    for (const { regex, base, parse } of PATTERNS) {
      regex.lastIndex = 0;
      for (let match = regex.exec(line); match; match = regex.exec(line)) {
        const parsed = parse(match);
        const direct = parsed && isPlausible(parsed) ? parsed : null;
        const value = direct ?? parseRepaired(match, parse) ?? parsed;
        if (!value) continue;
        const before = line.slice(Math.max(0, match.index - 14), match.index);
        let confidence = value === parsed ? base : base - REPAIR_PENALTY;
        if (/(TEL|FAX|PHONE|电话|传真|H\/P)/i.test(before)) confidence -= 0.5;
        // A slip is not dated decades ahead: such "dates" are misread numbers.
        if (Number(value.slice(0, 4)) > new Date().getFullYear() + 1) confidence -= 0.4;
        if (DATE_LABEL.test(before)) confidence += 0.12;
        else if (DATE_LABEL.test(line)) confidence += 0.05;
        if (OTHER_DATE_LABEL.test(before) || OTHER_DATE_LABEL.test(line.slice(match.index + match[0].length, match.index + match[0].length + 4)))
          confidence -= 0.3;
        const candidate = { value, confidence: Math.min(0.97, Math.max(0.05, confidence)), evidence: line.trim(), index: offset + match.index };
        const existing = found.get(value);
        // The same date printed twice is more likely the slip's date.
        if (existing) existing.confidence = Math.min(0.97, Math.max(existing.confidence, candidate.confidence) + 0.03);
        else found.set(value, candidate);
      }
    }
    offset += printed.length + 1;
  }
  return [...found.values()].sort((a, b) => b.confidence - a.confidence || a.index - b.index);
}
