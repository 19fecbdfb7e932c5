/** Documents filed per ISO week for the dashboard, fetched again on F5 and when a document changes. */
import { useEffect, useReducer, useState } from 'react';
import type { FiledWeek } from '../../shared/model';
import { useApp } from '../context';
import { useDocumentChanges } from '../document-changes';

export function useFiledPerWeek(weeks: number): { filed: FiledWeek[] | null; error: unknown } {
  const { platform, revision } = useApp();
  const client = platform.client;
  const [filed, setFiled] = useState<FiledWeek[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [changes, countChange] = useReducer((n: number) => n + 1, 0);
  useDocumentChanges(client, countChange);

  useEffect(() => {
    let cancelled = false;
    client.call('due:filedPerWeek', { weeks }).then(
      (value) => {
        if (cancelled) return;
        setFiled(value);
        setError(null);
      },
      (reason: unknown) => !cancelled && setError(reason),
    );
    return () => {
      cancelled = true;
    };
  }, [client, revision, changes, weeks]);

  return { filed, error };
}
