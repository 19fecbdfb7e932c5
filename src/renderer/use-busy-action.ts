/**
 * A card's actions, one at a time: while one runs `busy` is true (its buttons show it), and a failure is kept
 * as text in the user's language for the card's alert, cleared when the next action starts.
 */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from './format';

export interface BusyAction {
  busy: boolean;
  error: string | null;
  /** Shows a failure that came from elsewhere (e.g. the card's first load) in the same alert. */
  fail: (reason: unknown) => void;
  clearError: () => void;
  run: (work: () => Promise<void>) => Promise<void>;
}

export function useBusyAction(): BusyAction {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Stable between renders (for as long as the language is), so a card may list them as an effect's dependencies.
  const fail = useCallback((reason: unknown) => setError(errorText(t, reason)), [t]);
  const clearError = useCallback(() => setError(null), []);
  const run = useCallback(
    async (work: () => Promise<void>) => {
      setBusy(true);
      setError(null);
      try {
        await work();
      } catch (reason) {
        fail(reason);
      } finally {
        setBusy(false);
      }
    },
    [fail],
  );
  return { busy, error, fail, clearError, run };
}
