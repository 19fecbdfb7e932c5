/**
 * Nothing of the archive shows before a login. The gate asks the core who this connection is, shows the
 * door (first admin / login) until someone is in, and locks the window — with the screens kept mounted
 * underneath, so a half-filled form survives — after the archive's idle time, when the host says the
 * computer locked or slept, or when the core ends the session. Locking logs the connection out in the core:
 * the lock is not just a curtain.
 */
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isErrorPayload } from '../../shared/errors';
import type { SlipVaultClient } from '../../shared/contract';
import type { AuthStatus, SessionUser } from '../../shared/model';
import { METHOD_ACCESS } from '../../shared/permissions';
import { App, THEME } from '../App';
import { antdLocale } from '../i18n';
import type { Platform } from '../platform/platform';
import { useIdleTimer } from './idle';
import { LoginScreen } from './LoginScreen';
import type { OfflineCopies } from '../../shared/server-connection';
import { OfflineScreen } from '../offline/OfflineScreen';

/** A client that locks the window when the core says the session is gone (expired, disabled). */
function lockingClient(client: SlipVaultClient, onSessionLost: () => void): SlipVaultClient {
  return {
    on: client.on,
    async call(method, input) {
      try {
        return await client.call(method, input);
      } catch (error) {
        if (isErrorPayload(error) && error.code === 'UNAUTHENTICATED' && METHOD_ACCESS[method] !== 'public') onSessionLost();
        throw error;
      }
    },
  };
}

export function AuthGate({ platform }: { platform: Platform }) {
  const { i18n } = useTranslation();
  const [status, setStatus] = useState<AuthStatus | null>(null);
  const [user, setUser] = useState<SessionUser | null>(null);
  const [locked, setLocked] = useState<string | null>(null);
  const [offline, setOffline] = useState<OfflineCopies | null>(null);
  const [unreachable, setUnreachable] = useState(false);
  const base = platform.client;

  useEffect(() => {
    // A window reloaded while it read a server's offline copies (the desktop host keeps them open) goes back to them.
    const offlineNow = platform.connection
      ? platform.connection('connection:status', {}).then(
          (connection) => (connection.mode === 'server' ? (connection.offline ?? null) : null),
          () => null,
        )
      : Promise.resolve(null);
    void offlineNow.then((copies) => {
      if (copies) return setOffline(copies);
      base.call('auth:status', {}).then(setStatus, (reason: unknown) => {
        setUnreachable(isErrorPayload(reason) && reason.code === 'SERVER_UNREACHABLE');
        setStatus({ setupRequired: false, user: null, idleLockMinutes: 10 });
      });
    });
  }, [base, platform]);

  const lock = useCallback(() => {
    setUser((current) => {
      if (current) {
        setLocked(current.username);
        void base.call('auth:logout', {}).catch(() => undefined);
      }
      return null;
    });
  }, [base]);

  useEffect(
    () =>
      base.on('session:locked', ({ reason }) => {
        // The window now works on another archive: its screens and drafts belong to the one it left.
        if (reason === 'connection-changed') window.location.reload();
        else lock();
      }),
    [base, lock],
  );
  useIdleTimer(status?.idleLockMinutes ?? 10, user !== null, lock);

  const guarded = useMemo<Platform>(() => ({ ...platform, client: lockingClient(base, lock) }), [platform, base, lock]);
  const signOut = useCallback(() => {
    void base.call('auth:logout', {}).finally(() => {
      setLocked(null);
      setUser(null);
    });
  }, [base]);

  const enter = (entered: SessionUser) => {
    // Someone else unlocking a locked window gets fresh screens, not the previous user's drafts.
    if (locked && locked.toLowerCase() !== entered.username.toLowerCase()) setLocked(null);
    setStatus((current) => (current ? { ...current, setupRequired: false, user: entered } : current));
    setUser(entered);
  };

  if (offline) {
    return (
      <ConfigProvider locale={antdLocale(i18n.language)} theme={THEME} componentSize="small">
        <AntApp>
          <OfflineScreen platform={platform} copies={offline} />
        </AntApp>
      </ConfigProvider>
    );
  }
  const showApp = user !== null || locked !== null;
  const door = status === null ? null : status.setupRequired ? 'setup' : locked ? 'unlock' : 'login';
  return (
    <>
      {showApp ? <App key={locked ?? user?.username} platform={guarded} user={user} onSignOut={signOut} hidden={user === null} /> : null}
      {user === null ? (
        <ConfigProvider locale={antdLocale(i18n.language)} theme={THEME} componentSize="middle">
          <AntApp>
            {door ? (
              <LoginScreen
                client={base}
                mode={door}
                lockedUser={locked}
                onEnter={enter}
                connection={platform.connection}
                serverUnreachable={unreachable}
                onOffline={setOffline}
              />
            ) : (
              <Spin className="door-wait" />
            )}
          </AntApp>
        </ConfigProvider>
      ) : null}
    </>
  );
}
