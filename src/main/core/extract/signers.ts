/**
 * Finds the registered signers of known customers in OCR text. A signer's name is short (two or three Chinese
 * characters), so it must appear whole — a fuzzy match of two characters would match almost anything. The
 * signers of the customer suggested for the document rank first, and a name next to a signing label higher.
 */
import type { CustomerRecord } from '../../../shared/model';
import type { Candidate } from './dates';

const SIGNING_LABEL = /(签收人|签收|收货人|经办人|签字|签名|RECEIVED BY|SIGNED BY|SIGNATURE)/i;
const squeeze = (text: string) => text.toUpperCase().replace(/[\s.,，。]/g, '');

export function matchSigners(text: string, customers: CustomerRecord[], suggestedCustomer: string | undefined): Candidate[] {
  const lines = text.split('\n');
  const found = new Map<string, Candidate>();
  for (const customer of customers) {
    for (const name of customer.signers ?? []) {
      const wanted = squeeze(name);
      if (wanted.length < 2) continue;
      lines.forEach((line, index) => {
        if (!squeeze(line).includes(wanted)) return;
        const confidence = (customer.name === suggestedCustomer ? 0.8 : 0.55) + (SIGNING_LABEL.test(line) ? 0.1 : 0);
        const existing = found.get(name);
        if (!existing || existing.confidence < confidence) found.set(name, { value: name, confidence, evidence: line.trim(), index });
      });
    }
  }
  return [...found.values()].sort((a, b) => b.confidence - a.confidence || a.index - b.index);
}
