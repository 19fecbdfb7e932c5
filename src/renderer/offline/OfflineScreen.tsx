/**
 * The window while its server cannot be reached and the clerk opened the offline copies: a banner saying
 * plainly whose copies these are, from when, and that nothing can be changed; the documents kept; and the way
 * back to the server. Locks like the app after the usual idle time, leaving the copies closed again.
 */
import { Alert, Button, Layout, Table, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfflineCopies, OfflineDocument as OfflineEntry } from '../../shared/server-connection';
import { useIdleTimer } from '../auth/idle';
import { errorText, formatDateTime } from '../format';
import type { Platform } from '../platform/platform';
import { OfflineDocument } from './OfflineDocument';

const IDLE_MINUTES = 10;

export function OfflineScreen({ platform, copies }: { platform: Platform; copies: OfflineCopies }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState<OfflineEntry | null>(null);
  const [error, setError] = useState<string | null>(null);
  const connection = platform.connection;

  const leave = useCallback(() => {
    if (!connection) return;
    connection('connection:closeOffline', {}).then(
      () => window.location.reload(),
      (reason: unknown) => setError(errorText(t, reason)),
    );
  }, [connection, t]);
  useIdleTimer(IDLE_MINUTES, true, leave);

  return (
    <Layout className="offline-screen">
      <Layout.Content style={{ padding: 16 }}>
        <Alert
          className="offline-banner"
          type="warning"
          showIcon
          title={t('offline.bannerTitle', { server: copies.server })}
          description={
            copies.copiedAt
              ? t('offline.banner', { user: copies.user.displayName || copies.user.username, time: formatDateTime(copies.copiedAt) })
              : t('offline.bannerEmpty', { user: copies.user.displayName || copies.user.username })
          }
          action={
            <Button className="offline-retry" onClick={leave}>
              {t('offline.retry')}
            </Button>
          }
        />
        {error ? <Alert type="error" showIcon title={error} /> : null}
        <Typography.Title level={4}>{t('offline.listTitle')}</Typography.Title>
        <Table<OfflineEntry>
          className="offline-list"
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={copies.documents}
          onRow={(entry) => ({ onClick: () => setShown(entry), style: { cursor: 'pointer' } })}
          columns={[
            { key: 'archiveNo', title: t('col.archiveNo'), dataIndex: 'archiveNo', render: (value: string) => <span className="mono">{value}</span> },
            { key: 'title', title: t('col.title'), dataIndex: 'title' },
            { key: 'copiedAt', title: t('offline.copiedAt'), dataIndex: 'copiedAt', render: (value: string) => formatDateTime(value) },
          ]}
        />
        <OfflineDocument platform={platform} entry={shown} onClose={() => setShown(null)} />
      </Layout.Content>
    </Layout>
  );
}
