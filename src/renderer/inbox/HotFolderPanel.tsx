/**
 * The hot folder the host watches while the archive is open (scan-to-folder scanners, other programs):
 * its path, files imported / refused and the last error. Refreshed every few seconds while watching.
 */
import { FolderOpenOutlined, PauseCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HotFolderStatus } from '../../shared/model';
import { useApp } from '../context';
import { formatDateTime } from '../format';
import { useBusyAction } from '../use-busy-action';

const POLL_MS = 2000;

export function HotFolderPanel() {
  const { t } = useTranslation();
  const { platform } = useApp();
  const client = platform.client;
  const [status, setStatus] = useState<HotFolderStatus | null>(null);
  const [path, setPath] = useState('');
  const { error, fail, run } = useBusyAction();

  const load = useCallback(() => {
    client.call('hotFolder:status', {}).then(setStatus, fail);
  }, [client, fail]);

  useEffect(load, [load]);
  useEffect(() => {
    if (!status?.watching) return;
    const timer = setInterval(load, POLL_MS);
    return () => clearInterval(timer);
  }, [status?.watching, load]);

  const update = (work: () => Promise<HotFolderStatus>) => run(async () => setStatus(await work()));

  return (
    <div className="hot-folder-panel">
      {status?.watching ? (
        <Space wrap>
          <Tag color="green">{t('inbox.hotFolder.watching')}</Tag>
          <Typography.Text className="mono" copyable>
            {status.path}
          </Typography.Text>
          <span className="hot-folder-counts">{t('inbox.hotFolder.counts', { done: status.done, failed: status.failed })}</span>
          {status.lastScanAt ? (
            <Typography.Text type="secondary">{t('inbox.hotFolder.lastScan', { at: formatDateTime(status.lastScanAt) })}</Typography.Text>
          ) : null}
          <Button icon={<PauseCircleOutlined />} onClick={() => void update(() => client.call('hotFolder:stop', {}))}>
            {t('inbox.hotFolder.stop')}
          </Button>
        </Space>
      ) : (
        <Space.Compact style={{ width: '100%', maxWidth: 560 }}>
          <Input
            aria-label={t('inbox.hotFolder.path')}
            placeholder={t('inbox.hotFolder.placeholder')}
            value={path}
            onChange={(event) => setPath(event.target.value)}
            onPressEnter={() => void update(() => client.call('hotFolder:watch', { path }))}
          />
          <Button icon={<FolderOpenOutlined />} disabled={path.trim() === ''} onClick={() => void update(() => client.call('hotFolder:watch', { path }))}>
            {t('inbox.hotFolder.watch')}
          </Button>
        </Space.Compact>
      )}
      {status?.lastError ? <Alert className="hot-folder-error" type="warning" showIcon title={status.lastError} /> : null}
      {error ? <Alert type="error" showIcon title={error} /> : null}
    </div>
  );
}
