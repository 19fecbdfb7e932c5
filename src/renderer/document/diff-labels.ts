/**
 * A diff in words: a changed value that is a code (a status, a document type) as its label, and the markers
 * the core puts between the pages and the notes of a version's text ("--- page 2 ---") in the interface
 * language. Pure, so it is testable without a DOM.
 */
import type { TFunction } from 'i18next';
import type { FieldChange } from '../../shared/model';
import type { TypeLabel } from './type-label-of';

export function fieldValueText(t: TFunction, typeLabel: TypeLabel, field: string, value: FieldChange['from']): string {
  if (value === null) return '—';
  if (Array.isArray(value)) return value.join(', ');
  if (field === 'type') return typeLabel(String(value));
  if (field === 'status') return t(`status.${String(value)}`, { defaultValue: String(value) });
  return String(value);
}

/** src/main/core/versions/diff.ts writes these marker lines; everything else is the slip's own text. */
export function textDiffLine(t: TFunction, line: string): string {
  const page = /^--- page (\d+) ---$/.exec(line);
  if (page) return t('history.textPage', { page: Number(page[1]) });
  if (line === '--- notes ---') return t('history.textNotes');
  return line;
}
