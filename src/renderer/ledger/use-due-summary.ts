/** The due summary, fetched again on F5, on document changes and when a reminder arrives. */
import { useEffect, useReducer, useState } from 'react';
import type { InputOf } from '../../shared/contract';
import type { DueSummary } from '../../shared/model';
import { useApp } from '../context';
import { useDocumentChanges } from '../document-changes';

export function useDueSummary(input: InputOf<'due:summary'>): { summary: DueSummary | null; error: unknown } {
  const { platform, revision } = useApp();
  const client = platform.client;
  const [summary, setSummary] = useState<DueSummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [changes, countChange] = useReducer((n: number) => n + 1, 0);
  useDocumentChanges(client, countChange);
  useEffect(() => client.on('notifications:new', countChange), [client]);
  const { inboxOlderThanDays, backupOlderThanDays, asOf } = input;

  useEffect(() => {
    let cancelled = false;
    client.call('due:summary', { inboxOlderThanDays, backupOlderThanDays, ...(asOf ? { asOf } : {}) }).then(
      (value) => {
        if (cancelled) return;
        setSummary(value);
        setError(null);
      },
      (reason: unknown) => !cancelled && setError(reason),
    );
    return () => {
      cancelled = true;
    };
  }, [client, revision, changes, inboxOlderThanDays, backupOlderThanDays, asOf]);

  return { summary, error };
}

/** Whole days from an ISO timestamp to a calendar day (YYYY-MM-DD), both read as UTC days. */
export function daysSince(isoTimestamp: string, asOf: string): number {
  const from = Date.UTC(...utcDay(isoTimestamp.slice(0, 10)));
  const to = Date.UTC(...utcDay(asOf));
  return Math.max(0, Math.round((to - from) / 86_400_000));
}

function utcDay(day: string): [number, number, number] {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return [year, month - 1, date];
}
