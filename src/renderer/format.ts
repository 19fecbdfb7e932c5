/** Small display helpers shared by the screens. */
import type { TFunction } from 'i18next';
import { isErrorPayload } from '../shared/errors';

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

/** An error as the clerk reads it: translated by its contract code, the core's sentence kept as detail. */
export function errorText(t: TFunction, error: unknown): string {
  if (isErrorPayload(error)) return t(`errors.${error.code}`, { message: error.message });
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A version's action as stored ('edit', 'page.rotate') → its i18n key. */
export function actionKey(action: string): string {
  return `history.actions.${action.replace(/^document\./, '').replace('.', '_')}`;
}
