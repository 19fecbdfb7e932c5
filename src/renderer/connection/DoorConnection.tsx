/**
 * Under the login: which archive the login is for, and the way out when it is a server that cannot be
 * reached — or the way to a server on a workstation that has none yet — without logging in here first.
 */
import { Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../format';
import type { Platform } from '../platform/platform';
import type { OfflineCopies } from '../../shared/server-connection';
import { OfflineDoor } from '../offline/OfflineDoor';
import { ServerConnectionPanel, useConnectionStatus } from './ServerConnectionPanel';

/** `serverUnreachable`: the login just failed because the server cannot be reached; `onOffline` opens its offline copies. */
export function DoorConnection({
  connection,
  serverUnreachable = false,
  onOffline,
}: {
  connection: NonNullable<Platform['connection']>;
  serverUnreachable?: boolean;
  onOffline?: (copies: OfflineCopies) => void;
}) {
  const { t } = useTranslation();
  const status = useConnectionStatus(connection);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!status) return null;
  if (open) {
    return (
      <Card size="small" className="door-card door-connection">
        <ServerConnectionPanel connection={connection} status={status} />
      </Card>
    );
  }
  // A server that cannot be reached must not keep the clerk from this computer's archive: one click, no login.
  const useLocal = () =>
    connection('connection:useLocal', {}).then(
      () => window.location.reload(),
      (reason: unknown) => setError(errorText(t, reason)),
    );
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
      </Typography.Text>
      <Space wrap size={0}>
        <Button type="link" className="door-server-toggle" onClick={() => setOpen(true)}>
          {status.mode === 'server' ? t('server.change') : t('server.connectToServer')}
        </Button>
        {status.mode === 'server' ? (
          <Button type="link" className="door-use-local" onClick={() => void useLocal()}>
            {t('server.useLocal')}
          </Button>
        ) : null}
      </Space>
      {error ? <Typography.Paragraph type="danger">{error}</Typography.Paragraph> : null}
      {serverUnreachable && onOffline && status.mode === 'server' && status.offlineUser ? (
        <OfflineDoor connection={connection} user={status.offlineUser} onOpened={onOffline} />
      ) : null}
    </Card>
  );
}
