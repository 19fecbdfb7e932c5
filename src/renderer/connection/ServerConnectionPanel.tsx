/**
 * Which archive this window works on — this computer's, or a SlipVault server's — and how to change it
 * (docs/server-network.md, "From the desktop app"). Connect asks the host for the certificate fingerprint
 * the server presents and shows it to compare with the one `slipvault serve` printed, as the CLI does;
 * only Trust makes the host connect, and only to a server presenting exactly that certificate. A changed
 * certificate is refused with both fingerprints: only the fingerprint the administrator gives, typed in,
 * is trusted instead. Every change reloads the window, which then logs in where it now works.
 */
import { Alert, Button, Descriptions, Input, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionStatus, ServerProbe } from '../../shared/server-connection';
import type { Platform } from '../platform/platform';
import { useBusyAction } from '../use-busy-action';

type Connection = NonNullable<Platform['connection']>;

function Fingerprint({ value }: { value: string }) {
  return (
    <Typography.Text className="mono server-fingerprint" copyable>
      {value}
    </Typography.Text>
  );
}

/** Asks the host where calls go; null while asking, or when the host cannot say (it connects to no server). */
export function useConnectionStatus(connection: Connection | undefined): ConnectionStatus | null {
  const [status, setStatus] = useState<ConnectionStatus | null>(null);
  useEffect(() => {
    let cancelled = false;
    connection?.('connection:status', {}).then(
      (value) => !cancelled && setStatus(value),
      () => !cancelled && setStatus(null),
    );
    return () => {
      cancelled = true;
    };
  }, [connection]);
  return status;
}

export function ServerConnectionPanel({ connection, status }: { connection: Connection; status: ConnectionStatus }) {
  const { t } = useTranslation();
  const [address, setAddress] = useState(status.mode === 'server' ? status.server : '');
  const [probe, setProbe] = useState<ServerProbe | null>(null);
  const [given, setGiven] = useState('');
  const { busy, error, run } = useBusyAction();

  const fetchFingerprint = () =>
    run(async () => {
      setProbe(null);
      setGiven('');
      setProbe(await connection('connection:probe', { server: address }));
    });

  // The window's screens belong to the archive it leaves: start afresh, at the login of the new one.
  const switched = () => window.location.reload();
  const trust = (fingerprint: string) =>
    run(async () => {
      await connection('connection:trust', { server: probe?.server ?? address, fingerprint });
      switched();
    });
  const useLocal = () =>
    run(async () => {
      await connection('connection:useLocal', {});
      switched();
    });

  const changed = probe !== null && probe.pinned !== null && probe.pinned !== probe.presented;
  return (
    <div className="server-connection">
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('server.worksOn')}>
          {status.mode === 'server' ? (
            <span>
              {t('server.onServer')} <Typography.Text className="mono">{status.server}</Typography.Text>
            </span>
          ) : (
            t('server.onThisComputer')
          )}
        </Descriptions.Item>
        {status.mode === 'server' ? (
          <Descriptions.Item label={t('server.fingerprint')}>
            <Fingerprint value={status.fingerprint} />
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      {status.mode === 'server' ? (
        <Button className="server-use-local" onClick={() => void useLocal()} loading={busy}>
          {t('server.useLocal')}
        </Button>
      ) : null}
      <Space.Compact style={{ width: '100%', marginTop: 12 }}>
        <Input
          className="server-address"
          aria-label={t('server.address')}
          placeholder="svs://archive.office.lan:7443"
          value={address}
          onChange={(event) => {
            setAddress(event.target.value);
            setProbe(null);
          }}
          onPressEnter={() => void fetchFingerprint()}
        />
        <Button
          className="server-connect"
          type="primary"
          onClick={() => void fetchFingerprint()}
          loading={busy && probe === null}
          disabled={address.trim() === ''}
        >
          {t('server.connect')}
        </Button>
      </Space.Compact>
      <Typography.Paragraph type="secondary" style={{ marginTop: 4 }}>
        {t('server.addressHint')}
      </Typography.Paragraph>
      {probe && !changed ? (
        <Alert
          className="server-probe"
          type={probe.pinned ? 'success' : 'warning'}
          showIcon
          title={probe.pinned ? t('server.knownTitle', { server: probe.server }) : t('server.compareTitle', { server: probe.server })}
          description={
            <>
              <Fingerprint value={probe.presented} />
              <Typography.Paragraph style={{ marginTop: 8 }}>{probe.pinned ? t('server.knownHint') : t('server.compareHint')}</Typography.Paragraph>
              <Space>
                <Button className="server-trust" type="primary" onClick={() => void trust(probe.presented)} loading={busy}>
                  {probe.pinned ? t('server.useServer') : t('server.trust')}
                </Button>
                <Button onClick={() => setProbe(null)}>{t('server.cancel')}</Button>
              </Space>
            </>
          }
        />
      ) : null}
      {probe && changed ? (
        <Alert
          className="server-changed"
          type="error"
          showIcon
          title={t('server.changedTitle', { server: probe.server })}
          description={
            <>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('server.trustedBefore')}>
                  <Fingerprint value={probe.pinned!} />
                </Descriptions.Item>
                <Descriptions.Item label={t('server.presentedNow')}>
                  <Fingerprint value={probe.presented} />
                </Descriptions.Item>
              </Descriptions>
              <Typography.Paragraph>{t('server.changedHint')}</Typography.Paragraph>
              <Space.Compact style={{ width: '100%' }}>
                <Input
                  className="server-given-fingerprint"
                  aria-label={t('server.givenFingerprint')}
                  placeholder={t('server.givenFingerprint')}
                  value={given}
                  onChange={(event) => setGiven(event.target.value)}
                />
                <Button onClick={() => void trust(given)} disabled={given.trim() === ''} loading={busy}>
                  {t('server.trustGiven')}
                </Button>
              </Space.Compact>
            </>
          }
        />
      ) : null}
      {error ? <Alert className="server-error" type="error" showIcon title={error} role="alert" style={{ marginTop: 12 }} /> : null}
    </div>
  );
}
