/**
 * The type field takes what a clerk types quickly (issue 19 item 2, measured by bench:filing): a type's code,
 * or the start of exactly one type's code or name in either language — `inv`, `签回` or `Signed` — becomes that
 * type's code when the slip is accepted. Anything that names no type, or several, stays as typed, and the
 * contract's check says what is wrong with it.
 */
import type { DocumentTypeRecord } from '../../shared/model';

export function resolveTypeCode(typed: string, types: DocumentTypeRecord[]): string {
  const text = typed.trim();
  if (text === '' || types.some((type) => type.code === text)) return text;
  const lower = text.toLowerCase();
  const named = types.filter((type) => [type.code, type.nameZh, type.nameEn].some((name) => name.toLowerCase().startsWith(lower)));
  return named.length === 1 ? named[0]!.code : text;
}
