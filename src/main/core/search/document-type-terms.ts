/**
 * `type:` terms of a query resolved against the archive's document types, by code, Chinese name or English
 * name, the same way on every back end (SQLite and PostgreSQL read the types, this decides).
 */
import { SlipVaultError } from '../../../shared/errors';
import type { ParsedQuery } from './query-parser';

export interface KnownDocumentType {
  code: string;
  zh: string;
  en: string;
}

/** Each `type:` term as the code it names; an unknown type is refused with the types there are. */
export function resolveTypeTerms(types: ParsedQuery['types'], known: KnownDocumentType[]): { code: string; negated: boolean }[] {
  return types.map(({ code, negated }) => {
    const match = known.find((type) => type.code === code || type.zh === code || type.en.toLowerCase() === code);
    if (!match) {
      throw new SlipVaultError(
        'VALIDATION',
        `Search query problem: there is no document type "${code}". Types: ${known.map((type) => type.code).join(', ')}.`,
        {
          field: 'type',
        },
      ).withMessage('search.unknownType', { type: code });
    }
    return { code: match.code, negated };
  });
}
