/**
 * Under the login: which archive the login is for, and the way out when it is a server that cannot be
 * reached — or the way to a server on a workstation that has none yet — without logging in here first.
 */
import { Button, Card, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Platform } from '../platform/platform';
import { ServerConnectionPanel, useConnectionStatus } from './ServerConnectionPanel';

export function DoorConnection({ connection }: { connection: NonNullable<Platform['connection']> }) {
  const { t } = useTranslation();
  const status = useConnectionStatus(connection);
  const [open, setOpen] = useState(false);
  if (!status) return null;
  return (
    <Card size="small" className="door-card door-connection">
      <Typography.Text type="secondary">
        {status.mode === 'server' ? (
          <>
            {t('server.loginOnServer')} <Typography.Text className="mono">{status.server}</Typography.Text>
          </>
        ) : (
          t('server.loginOnThisComputer')
        )}
      </Typography.Text>{' '}
      {open ? null : (
        <Button type="link" className="door-server-toggle" onClick={() => setOpen(true)}>
          {status.mode === 'server' ? t('server.change') : t('server.connectToServer')}
        </Button>
      )}
      {open ? <ServerConnectionPanel connection={connection} status={status} /> : null}
    </Card>
  );
}
