/**
 * Records a read worth an audit event (opening a document, viewing a page) once per action: when what is
 * shown changes, not on every render, refresh or re-fetch of the same thing. A null request means nothing
 * is shown, so showing the same thing again afterwards is a new action.
 */
import { App } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordViewInput } from '../../shared/audit-view';
import { useApp } from '../context';
import { errorText } from '../format';

export function useRecordView(request: RecordViewInput | null): void {
  const { t } = useTranslation();
  const { platform } = useApp();
  const { message } = App.useApp();
  const recorded = useRef<string | null>(null);
  const key = request ? JSON.stringify([request.action, request.ref, request.pageId ?? null]) : null;

  useEffect(() => {
    // Also keeps React's development double-run of effects from recording twice.
    if (key === recorded.current) return;
    recorded.current = key;
    if (key === null) return;
    const [action, ref, pageId] = JSON.parse(key) as [RecordViewInput['action'], RecordViewInput['ref'], number | null];
    platform.client
      .call('audit:recordView', { action, ref, ...(pageId === null ? {} : { pageId }) })
      .catch((reason: unknown) => void message.error(errorText(t, reason)));
  }, [key, platform, message, t]);
}
