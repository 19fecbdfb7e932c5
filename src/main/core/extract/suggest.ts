/** Runs every extractor over a document's text and returns filing suggestions, best first per field. */
import type { CustomerRecord, DocumentTypeRecord, Suggestion, SuggestionField } from '../../../shared/model';
import { findAmounts } from './amounts';
import { findAgents, findValidity } from './authorization-text';
import { matchSigners } from './signers';
import { suggestCustomers } from './customers';
import { findDates, type Candidate } from './dates';
import { guessDocumentType } from './document-type';
import { DEFAULT_SLIP_PATTERNS, findSlipNumbers } from './slip-numbers';

export interface ExtractionContext {
  customers: CustomerRecord[];
  documentTypes: Pick<DocumentTypeRecord, 'code' | 'keywords'>[];
  slipPatterns?: string[];
}

/** At most this many suggestions per field: the clerk picks from a short list. */
const PER_FIELD = 3;

function top(field: SuggestionField, candidates: Candidate[]): Suggestion[] {
  return candidates.slice(0, PER_FIELD).map((candidate) => ({
    field,
    value: candidate.value,
    confidence: Math.round(candidate.confidence * 100) / 100,
    evidence: candidate.evidence.slice(0, 200),
  }));
}

export function extractSuggestions(text: string, context: ExtractionContext): Suggestion[] {
  const amounts = findAmounts(text);
  const customers = suggestCustomers(text, context.customers);
  const validity = findValidity(text);
  // A registered signer of the customer found, else an agent a letter of authority names.
  const signers = [...matchSigners(text, context.customers, customers[0]?.value), ...findAgents(text)];
  return [
    ...top('signedDate', findDates(text)),
    ...top('amount', amounts.totals),
    ...top('currency', amounts.currencies),
    ...top('slipNo', findSlipNumbers(text, context.slipPatterns ?? DEFAULT_SLIP_PATTERNS)),
    ...top('customer', customers),
    ...top('type', guessDocumentType(text, context.documentTypes)),
    ...top('signer', signers),
    ...top('validFrom', validity.validFrom),
    ...top('validTo', validity.validTo),
  ];
}
