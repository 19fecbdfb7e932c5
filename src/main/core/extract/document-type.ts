/** Document type by keywords configured per type (document_types.keywords): more hits, more confidence. */
import type { DocumentTypeRecord } from '../../../shared/model';
import type { Candidate } from './dates';

export function guessDocumentType(text: string, types: Pick<DocumentTypeRecord, 'code' | 'keywords'>[]): Candidate[] {
  const haystack = text.toUpperCase().replace(/\s+/g, '');
  const results: Candidate[] = [];
  for (const type of types) {
    const hits = type.keywords.filter((keyword) => keyword.trim() !== '' && haystack.includes(keyword.toUpperCase().replace(/\s+/g, '')));
    if (hits.length === 0) continue;
    const first = Math.min(...hits.map((keyword) => haystack.indexOf(keyword.toUpperCase().replace(/\s+/g, ''))));
    results.push({ value: type.code, confidence: Math.min(0.95, 0.55 + 0.15 * hits.length), evidence: hits.join(', '), index: first });
  }
  // A keyword in the title (near the top) says more than one in the small print.
  return results.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
}
