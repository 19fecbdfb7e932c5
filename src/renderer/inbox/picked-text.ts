/**
 * Text the clerk picked on the page (a clicked word, or the words of a selection) turned into what the focused
 * filing field expects, so that a picked "¥1,280.50" files as 1280.50 and "2026年4月17日" as 2026-04-17. Text
 * that does not read as the field's kind is left as picked: the form's own check then says what is wrong.
 */
import type { DocumentTypeRecord } from '../../shared/model';
import type { FilingField } from './filing';

const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/** Picked words as one string: Chinese is written without spaces, other words are separated by one. */
export function joinPicked(texts: string[]): string {
  let joined = '';
  for (const text of texts.map((piece) => piece.trim()).filter((piece) => piece !== '')) {
    const glued = joined === '' || (CJK.test(joined.slice(-1)) && CJK.test(text[0]!));
    joined += glued ? text : ` ${text}`;
  }
  return joined;
}

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** 2026-04-17, 2026/4/17, 2026.4.17, 2026年4月17日, 20260417, and day first 17/04/2026 (month first when the day cannot be a month). */
function asDate(text: string): string | null {
  const compact = text.normalize('NFKC').replace(/\s+/g, '');
  const yearFirst = /(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?/.exec(compact) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(compact);
  if (yearFirst) return isoDate(Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]));
  const dayFirst = /(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})/.exec(compact);
  if (!dayFirst) return null;
  const [first, second, year] = [Number(dayFirst[1]), Number(dayFirst[2]), Number(dayFirst[3])];
  return second > 12 && first <= 12 ? isoDate(year, first, second) : isoDate(year, second, first);
}

/** ¥1,280.50, 1280.5, RM 12,089.63 → 1280.50, 1280.50, 12089.63; of several figures picked ("Total 3 1,280.50"), the last. */
function asAmount(text: string): string | null {
  const figures = text.normalize('NFKC').match(/\d[\d,]*(?:\.\d+)?/g);
  const match = figures ? /^(\d+)(?:\.(\d{1,2}))?$/.exec(figures[figures.length - 1]!.replace(/,/g, '')) : null;
  if (!match) return null;
  return `${match[1]!.replace(/^0+(?=\d)/, '')}.${(match[2] ?? '').padEnd(2, '0')}`;
}

function asCurrency(text: string): string | null {
  const compact = text.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (/^(¥|元|人民币|RMB|CNY)/.test(compact) || /元$/.test(compact)) return 'CNY';
  if (/^(RM|MYR)/.test(compact)) return 'MYR';
  const code = /^[A-Z]{3}$/.exec(compact);
  return code ? code[0] : null;
}

/** A type's label or keyword as picked, as its code. */
function asType(text: string, types: DocumentTypeRecord[]): string | null {
  const wanted = text.trim().toLowerCase();
  const named = (type: DocumentTypeRecord) => [type.code, type.nameZh, type.nameEn, ...type.keywords].some((name) => name.toLowerCase() === wanted);
  return types.find(named)?.code ?? null;
}

export function fieldTextOf(field: FilingField, text: string, types: DocumentTypeRecord[]): string {
  const picked = text.trim();
  switch (field) {
    case 'signedDate':
      return asDate(picked) ?? picked;
    case 'amount':
      return asAmount(picked) ?? picked;
    case 'currency':
      return asCurrency(picked) ?? picked;
    case 'type':
      return asType(picked, types) ?? picked;
    default:
      return picked;
  }
}
