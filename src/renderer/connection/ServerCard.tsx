/** Settings → Server: where this window works, and connecting to a SlipVault server (ServerConnectionPanel). */
import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApp } from '../context';
import { ServerConnectionPanel, useConnectionStatus } from './ServerConnectionPanel';
import { UploadQueueList } from './UploadQueue';

export function ServerCard() {
  const { t } = useTranslation();
  const { platform } = useApp();
  const status = useConnectionStatus(platform.connection);
  if (!platform.connection || !status) return null;
  return (
    <Card size="small" className="server-card" title={t('server.title')}>
      <Typography.Paragraph type="secondary">{t('server.hint')}</Typography.Paragraph>
      <ServerConnectionPanel connection={platform.connection} status={status} />
      {status.mode === 'server' ? <UploadQueueList connection={platform.connection} /> : null}
    </Card>
  );
}
