/** Small display helpers shared by the screens. */
import type { TFunction } from 'i18next';
import { coreErrorText } from './i18n/core-messages';

const pad = (n: number) => String(n).padStart(2, '0');

/** Local date and time, dense: 2026-03-14 09:05. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function formatAmount(amount: string | null, currency: string | null): string {
  if (amount === null) return '';
  return currency ? `${amount} ${currency}` : amount;
}

/** An error as the clerk reads it, in the interface language (i18n/core-messages.ts). */
export const errorText: (t: TFunction, error: unknown) => string = coreErrorText;

/** A file's format as people name it (JPEG, PDF), not its MIME type. */
export function fileFormatName(mime: string): string {
  return (mime.split('/')[1] ?? mime).replace(/^x-/, '').toUpperCase();
}

/** A version's action as stored ('edit', 'page.rotate') → its i18n key. */
export function actionKey(action: string): string {
  return `history.actions.${action.replace(/^document\./, '').replace('.', '_')}`;
}
