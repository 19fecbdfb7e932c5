/**
 * Company names read off a page, for an archive that does not know the customer yet (issue 19 item 2). A name
 * is a run of text ending in a company form — 有限公司, 有限责任公司, 公司, 厂, 商行 …, Co., Ltd., Inc., LLC … —
 * and where it stands says whose it is:
 * - after a customer label (收货单位, 收货方, 客户名称, 客户, 购货单位, Bill to, Sold to, Consignee, Customer,
 *   Buyer …): the customer — a labelled value is taken even when its company form was misread;
 * - "我公司 X" in a letter of authority: the customer granting it;
 * - after an addressee label (致, To, Ship to, Deliver to): often the customer, on an authorization the
 *   archive's own company;
 * - anywhere else, usually the slip's letterhead (the issuer): offered last;
 * - after a supplier label (发货方, 供货单位, Shipper, Supplier, From, Issued by …): never the customer.
 */
import type { Candidate } from './dates';

const CONFIDENCE = { customerLabel: 0.9, grantor: 0.85, addressee: 0.6, labelledWithoutForm: 0.6, unlabelled: 0.3 } as const;

/** Longest first, so a name stops at the end of its whole form (有限公司, not 公司). 厂 but not 厂房 / 厂区 / 厂址. */
const CJK_FORMS = '(?:股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司|公司|商行|经营部|事务所|厂(?![房区址]))';
const LATIN_FORMS =
  '(?:Co\\.?,?\\s?Ltd\\.?|Company\\s+Limited|Pte\\.?\\s?Ltd\\.?|Limited|Ltd\\.?|Incorporated|Inc\\.?|L\\.?L\\.?C\\.?|Corporation|Corp\\.?|GmbH|PLC)(?![A-Za-z])';

/** At least three characters before the form, and no clause words: "与贵公司" in a letter is not a name. */
const CJK_NAME = new RegExp(`^[\\u4e00-\\u9fff（）()·A-Za-z0-9]{3,40}?${CJK_FORMS}`, 'u');
const LATIN_NAME = new RegExp(`^[A-Z][A-Za-z0-9&'().,\\- ]{2,80}?\\s${LATIN_FORMS}`, 'i');
const CJK_NAME_ANYWHERE = new RegExp(`[\\u4e00-\\u9fff（）()·]{3,40}?${CJK_FORMS}`, 'gu');
const LATIN_NAME_ANYWHERE = new RegExp(`(?<![A-Za-z])[A-Z][A-Za-z0-9&'.\\-]*(?: [A-Za-z0-9&'().\\-]+){0,8}?,?\\s${LATIN_FORMS}`, 'g');

const CUSTOMER_LABELS = [
  '收货单位',
  '收货方',
  '收货公司',
  '客户名称',
  '客户',
  '购货单位',
  '购买方',
  '购方',
  '买方',
  '需方',
  '订货单位',
  '采购方',
  '付款单位',
  '授权单位',
];
const CUSTOMER_LABELS_EN = ['Bill(?:ed)? to', 'Sold to', 'Consignee', 'Customer(?: name)?', 'Buyer', 'Client'];
const ADDRESSEE_LABELS = ['致', '收件单位'];
const ADDRESSEE_LABELS_EN = ['Ship to', 'Deliver to', 'To', 'Attn\\.?'];
const SUPPLIER_LABELS = [
  '发货方',
  '发货单位',
  '供货单位',
  '供货方',
  '供应商',
  '销售方',
  '销货单位',
  '卖方',
  '开票单位',
  '送货单位',
  '承运方',
  '承运人',
  '托运方',
];
const SUPPLIER_LABELS_EN = ['Shipper', 'Supplier', 'Seller', 'Vendor', 'From', 'Issued by', 'Carrier'];

type LabelKind = 'customer' | 'addressee' | 'supplier';
const LABEL_KINDS: [LabelKind, string[], string[]][] = [
  ['customer', CUSTOMER_LABELS, CUSTOMER_LABELS_EN],
  ['addressee', ADDRESSEE_LABELS, ADDRESSEE_LABELS_EN],
  ['supplier', SUPPLIER_LABELS, SUPPLIER_LABELS_EN],
];

/**
 * A label and its colon. A Chinese label may carry its English one before the colon (收货方 Consignee：); an
 * English label stands alone and as a whole word, so "to" inside a sentence is no label.
 */
const LABEL = new RegExp(
  LABEL_KINDS.flatMap(([kind, zh, en]) => [
    `(?<${kind}Zh>${zh.join('|')})(?:\\s*[A-Za-z][A-Za-z0-9 .]{0,24}?)?\\s*[:：]`,
    `(?<![A-Za-z])(?<${kind}En>${en.join('|')})\\s*[:：]`,
  ]).join('|'),
  'gi',
);

/** A grantor in a letter of authority: 为我公司青岛众诚纺织有限公司的合法代理人. */
const GRANTOR = new RegExp(`我(?:公司|单位|司)[:：]?\\s*([\\u4e00-\\u9fff（）()·]{3,40}?${CJK_FORMS})`, 'gu');

/** Where a labelled value without a company form ends: the next field's label on the same printed row. */
const NEXT_FIELD = /\s{3,}|(?:送货日期|发货日期|日期|单号|编号|地址|电话|联系人|币种|税号|No\.|Date|Tel|Address)/;
const NAME_LIKE = /^(?=(?:.*[\u4e00-\u9fff]){4}|(?:.*[A-Za-z]{2,}\s+){1,}[A-Za-z]{2,})[\u4e00-\u9fffA-Za-z（）()·&.,' -]{4,80}$/u;

function labelKindOf(groups: Record<string, string | undefined>): LabelKind {
  return LABEL_KINDS.find(([kind]) => groups[`${kind}Zh`] !== undefined || groups[`${kind}En`] !== undefined)?.[0] ?? 'customer';
}

const tidy = (name: string) =>
  name
    .replace(/\s+/g, ' ')
    .replace(/[\s:：,，;；]+$/, '')
    .trim();

/** A letter's "我公司 / 贵公司" (our / your company) is a pronoun, not a name. */
const PRONOUN = /[我贵本该]公司|[我贵]司|[我贵本]单位/;

/** The company name a labelled value starts with, or null. */
function nameAtStart(value: string): string | null {
  const trimmed = value.trimStart();
  const match = CJK_NAME.exec(trimmed) ?? LATIN_NAME.exec(trimmed.split(/\s{3,}/)[0]!);
  return match ? tidy(match[0]) : null;
}

/** A labelled value whose company form was misread or is missing: taken when it looks like a name. */
function unformedName(value: string): string | null {
  const name = tidy(value.trim().split(NEXT_FIELD)[0] ?? '');
  return NAME_LIKE.test(name) ? name : null;
}

interface Found {
  name: string;
  confidence: number;
  /** Text of the line the name was taken from, inclusive of this range: a labelled value claims it. */
  start: number;
  end: number;
}

function labelledNames(line: string): { found: Found[]; supplierRanges: [number, number][] } {
  const found: Found[] = [];
  const supplierRanges: [number, number][] = [];
  const labels = [...line.matchAll(LABEL)];
  labels.forEach((label, position) => {
    const valueStart = label.index + label[0].length;
    const valueEnd = labels[position + 1]?.index ?? line.length;
    const value = line.slice(valueStart, valueEnd);
    const kind = labelKindOf(label.groups ?? {});
    if (kind === 'supplier') {
      supplierRanges.push([valueStart, valueEnd]);
      return;
    }
    const named = nameAtStart(value);
    if (named) {
      found.push({ name: named, confidence: kind === 'customer' ? CONFIDENCE.customerLabel : CONFIDENCE.addressee, start: valueStart, end: valueEnd });
      return;
    }
    const unformed = kind === 'customer' ? unformedName(value) : null;
    if (unformed) found.push({ name: unformed, confidence: CONFIDENCE.labelledWithoutForm, start: valueStart, end: valueEnd });
  });
  return { found, supplierRanges };
}

function otherNames(line: string, claimed: [number, number][]): Found[] {
  const inside = (index: number) => claimed.some(([start, end]) => index >= start && index < end);
  const found: Found[] = [];
  for (const match of line.matchAll(GRANTOR)) {
    const start = match.index + match[0].length - match[1]!.length;
    if (!inside(start)) found.push({ name: tidy(match[1]!), confidence: CONFIDENCE.grantor, start, end: start + match[1]!.length });
  }
  for (const pattern of [CJK_NAME_ANYWHERE, LATIN_NAME_ANYWHERE]) {
    for (const match of line.matchAll(pattern)) {
      const taken = [...claimed, ...found.map((name): [number, number] => [name.start, name.end])];
      if (taken.some(([start, end]) => match.index < end && match.index + match[0].length > start)) continue;
      found.push({ name: tidy(match[0]), confidence: CONFIDENCE.unlabelled, start: match.index, end: match.index + match[0].length });
    }
  }
  return found;
}

/** Every company name on the page, the likeliest customer first; one candidate per name, at its best place. */
export function findCompanyNames(text: string): Candidate[] {
  const best = new Map<string, Candidate>();
  text.split('\n').forEach((line, index) => {
    const { found, supplierRanges } = labelledNames(line);
    const claimed: [number, number][] = [...supplierRanges, ...found.map((name): [number, number] => [name.start, name.end])];
    for (const { name, confidence } of [...found, ...otherNames(line, claimed)]) {
      if (PRONOUN.test(name)) continue;
      const key = name.replace(/[\s.,，]/g, '').toUpperCase();
      const existing = best.get(key);
      if (!existing || existing.confidence < confidence) best.set(key, { value: name, confidence, evidence: line.trim(), index });
    }
  });
  return [...best.values()].sort((a, b) => b.confidence - a.confidence || a.index - b.index);
}
