/**
 * Settings → Logs. The desktop app opens the archive's log folder in the file manager; a browser preview
 * cannot, so both log folders are shown as text, copyable, after the click either way.
 */
import { App, Button, Card, Descriptions, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutputOf } from '../../shared/contract';
import { useApp } from '../context';
import { errorText } from '../format';

export function LogFolderCard() {
  const { t } = useTranslation();
  const { platform } = useApp();
  const { message } = App.useApp();
  const [folders, setFolders] = useState<OutputOf<'app:openLogFolder'> | null>(null);

  const open = async () => {
    try {
      const answer = await platform.client.call('app:openLogFolder', {});
      setFolders(answer);
      if (answer.opened) void message.success(t('settings.logs.opened'));
    } catch (reason) {
      void message.error(errorText(t, reason));
    }
  };

  return (
    <Card size="small" title={t('settings.logs.title')}>
      <Typography.Paragraph type="secondary">{t('settings.logs.hint')}</Typography.Paragraph>
      <Button onClick={() => void open()}>{t('settings.logs.open')}</Button>
      {folders ? (
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('settings.logs.archive')}>
            <Typography.Text copyable>{folders.folder}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('settings.logs.app')}>
            <Typography.Text copyable>{folders.appFolder}</Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      ) : null}
    </Card>
  );
}
