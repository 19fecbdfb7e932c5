/**
 * The header's archive path and document count, read again after F5 and after documents change. It keeps
 * its own state so that those reloads draw only this line, not the shell and the screen under it.
 */
import { Typography } from 'antd';
import { useEffect, useReducer, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArchiveStatus } from '../../shared/model';
import { useDocumentChanges } from '../document-changes';
import type { SlipVaultClient } from '../../shared/contract';

export function ArchiveSummary({ client, revision, hidden }: { client: SlipVaultClient; revision: number; hidden: boolean }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<ArchiveStatus | null>(null);
  const [changes, countChanges] = useReducer((n: number) => n + 1, 0);
  useDocumentChanges(client, countChanges);

  useEffect(() => {
    if (hidden) return;
    let cancelled = false;
    client.call('archive:status', {}).then(
      (value) => !cancelled && setStatus(value),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [client, revision, changes, hidden]);

  if (!status) return null;
  return (
    <Typography.Text type="secondary" className="archive-path" title={status.path}>
      {status.path} · {t('app.documentsCount', { count: status.documents })}
    </Typography.Text>
  );
}
