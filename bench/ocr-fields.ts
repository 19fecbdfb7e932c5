/**
 * The labelled fields bench:ocr scores and extract-misses lists, per set: which suggestion each label is
 * checked against, and whether extraction was given a customer register. `slipvault ocr` (the pipelines'
 * own suggestions) knows no customers; the app passes its register, customers with their signers, to
 * extraction (ocr-queue.ts), so customer and signer are also scored with slip-register.ts's register, over
 * the same text. A hit is a label that is there and equals the field's TOP suggestion.
 */
import { extractSuggestions } from '../src/main/core/extract/suggest';
import type { CustomerRecord, Suggestion, SuggestionField } from '../src/shared/model';
import type { DatasetItem } from './ocr-datasets.mjs';

export interface FieldCheck {
  title: string;
  field: SuggestionField;
  label: (item: DatasetItem) => string | null | undefined;
  /** Scored on extraction given the register, not on the suggestions made without one. */
  withRegister: boolean;
}

const date: FieldCheck = { title: 'date', field: 'signedDate', label: (item) => item.date, withRegister: false };
const total: FieldCheck = { title: 'total', field: 'amount', label: (item) => item.total, withRegister: false };

/** SROIE labels date and total; its "company" is the seller, not a customer, so it is not scored as one. */
export const RECEIPT_FIELDS: FieldCheck[] = [date, total];

export const SLIP_FIELDS: FieldCheck[] = [
  date,
  total,
  { title: 'slip no.', field: 'slipNo', label: (item) => item.slipNo, withRegister: false },
  { title: 'customer, no register', field: 'customer', label: (item) => item.customer, withRegister: false },
  { title: 'customer, register', field: 'customer', label: (item) => item.customer, withRegister: true },
  { title: 'signer, register', field: 'signer', label: (item) => item.signer, withRegister: true },
];

/** Names compare as a clerk would read them: width, case and spacing aside; the other fields exactly. */
const sameValue = (field: SuggestionField, got: string, want: string) => {
  if (field !== 'customer' && field !== 'signer') return got === want;
  const plain = (name: string) => name.normalize('NFKC').toUpperCase().replace(/\s+/g, '');
  return plain(got) === plain(want);
};

export interface FieldResult {
  check: FieldCheck;
  want: string | null | undefined;
  /** The field's suggestions, best first. */
  suggested: Suggestion[];
  hit: boolean;
}

/**
 * One item's fields: `suggestions` are those made without a register (the pipeline's own); where a check
 * needs the register, extraction runs again over `text` with it.
 */
export function checkFields(checks: FieldCheck[], register: CustomerRecord[], item: DatasetItem, text: string, suggestions: Suggestion[]): FieldResult[] {
  const withRegister = checks.some((check) => check.withRegister) ? extractSuggestions(text, { customers: register, documentTypes: [] }) : [];
  return checks.map((check) => {
    const suggested = (check.withRegister ? withRegister : suggestions).filter((suggestion) => suggestion.field === check.field);
    const want = check.label(item);
    const top = suggested[0]?.value;
    return { check, want, suggested, hit: top !== undefined && want !== null && want !== undefined && sameValue(check.field, top, want) };
  });
}

/** Check title → share of the items whose label is the top suggestion. */
export function fieldShares(
  checks: FieldCheck[],
  register: CustomerRecord[],
  items: DatasetItem[],
  texts: string[],
  suggestions: Suggestion[][],
): Record<string, number> {
  const hits = new Map(checks.map((check) => [check.title, 0]));
  items.forEach((item, index) => {
    for (const result of checkFields(checks, register, item, texts[index]!, suggestions[index]!)) {
      if (result.hit) hits.set(result.check.title, hits.get(result.check.title)! + 1);
    }
  });
  return Object.fromEntries([...hits].map(([title, count]) => [title, count / Math.max(1, items.length)]));
}
