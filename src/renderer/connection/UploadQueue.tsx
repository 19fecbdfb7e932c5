/**
 * The imports kept on this computer while the server could not be reached (host/offline-queue.ts): a badge in
 * the top bar saying how many wait, and in Settings → Server the list, with Retry and, for one the server
 * refused, its reason and Remove. The host sends the queue by itself once the window is logged in on the
 * server again; the page only asks how it stands, every few seconds, since the host pushes no event for it.
 */
import { Alert, Button, List, Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UploadQueueStatus } from '../../shared/server-connection';
import { formatBytes } from '../backup/units';
import { errorText, formatDateTime } from '../format';
import type { Platform } from '../platform/platform';

type Connection = NonNullable<Platform['connection']>;

/** How often the page asks its host how the queue stands (a local call, answered from a folder listing). */
const POLL_MS = 3000;

/** The queue as the host last told it, and a way to act on it; null while unknown or where the host has none. */
export function useUploadQueue(connection: Connection | undefined): {
  queue: UploadQueueStatus | null;
  act: (change: () => Promise<UploadQueueStatus>) => Promise<void>;
} {
  const [queue, setQueue] = useState<UploadQueueStatus | null>(null);
  useEffect(() => {
    if (!connection) return undefined;
    let cancelled = false;
    const ask = () =>
      connection('connection:queue', {}).then(
        (value) => !cancelled && setQueue(value),
        () => !cancelled && setQueue(null),
      );
    void ask();
    const timer = window.setInterval(() => void ask(), POLL_MS);
    return () => {
      cancelled = true;
      window.clearInterval(timer);
    };
  }, [connection]);
  const act = useCallback(async (change: () => Promise<UploadQueueStatus>) => setQueue(await change()), []);
  return { queue, act };
}

/** The top bar's "N waiting to upload", shown only while something waits or was refused. */
export function UploadQueueBadge({ connection }: { connection: Connection | undefined }) {
  const { t } = useTranslation();
  const { queue } = useUploadQueue(connection);
  if (!queue || queue.items.length === 0) return null;
  return (
    <Tooltip title={t('uploadQueue.badgeHint')}>
      <Tag className="upload-queue-badge" color={queue.refused > 0 ? 'red' : 'orange'} role="status">
        {queue.refused > 0
          ? t('uploadQueue.badgeRefused', { waiting: queue.waiting, refused: queue.refused })
          : t('uploadQueue.badge', { count: queue.waiting })}
      </Tag>
    </Tooltip>
  );
}

/** Settings → Server: each import waiting on this computer, oldest first. */
export function UploadQueueList({ connection }: { connection: Connection }) {
  const { t } = useTranslation();
  const { queue, act } = useUploadQueue(connection);
  const [error, setError] = useState<string | null>(null);
  const run = (change: () => Promise<UploadQueueStatus>) => {
    setError(null);
    act(change).catch((reason: unknown) => setError(errorText(t, reason)));
  };
  if (!queue || queue.items.length === 0) return null;
  return (
    <div className="upload-queue">
      <Space className="upload-queue-head">
        <Typography.Text strong>{t('uploadQueue.title', { count: queue.items.length })}</Typography.Text>
        <Button size="small" className="upload-queue-retry-all" loading={queue.draining} onClick={() => run(() => connection('connection:retryQueued', {}))}>
          {t('uploadQueue.retryAll')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t('uploadQueue.hint')}</Typography.Paragraph>
      {error ? <Alert type="error" showIcon message={error} /> : null}
      <List
        size="small"
        dataSource={queue.items}
        rowKey={(item) => item.id}
        renderItem={(item) => (
          <List.Item
            className="upload-queue-item"
            actions={
              item.refusal
                ? [
                    <Button key="retry" size="small" onClick={() => run(() => connection('connection:retryQueued', { id: item.id }))}>
                      {t('uploadQueue.retry')}
                    </Button>,
                    <Button key="remove" size="small" danger onClick={() => run(() => connection('connection:removeQueued', { id: item.id }))}>
                      {t('uploadQueue.remove')}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={item.name}
              description={
                item.refusal ? (
                  <Typography.Text type="danger">{t('uploadQueue.refused', { reason: errorText(t, item.refusal) })}</Typography.Text>
                ) : (
                  t('uploadQueue.waitingSince', { size: formatBytes(item.size), at: formatDateTime(item.queuedAt) })
                )
              }
            />
          </List.Item>
        )}
      />
    </div>
  );
}
