/**
 * The shell of the UI: antd's locale and theme, a side menu of screens, a header with the archive and live
 * job progress. Talks to the core only through the platform's contract client.
 */
import { LogoutOutlined, ReloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, ConfigProvider, Layout, Menu, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../shared/model';
import { mayCall } from '../shared/permissions';
import { ChangePasswordButton } from './auth/ChangePasswordButton';
import { BackupScheduleWarning } from './backup/BackupScheduleWarning';
import { AppContext, type AppContextValue } from './context';
import { ArchiveSummary } from './header/ArchiveSummary';
import { JobProgressBadge } from './header/JobProgressBadge';
import { UploadQueueBadge } from './connection/UploadQueue';
import { useHotkeys } from './hotkeys';
import { antdLocale, setLanguage } from './i18n';
import { NotificationBell } from './ledger/NotificationBell';
import type { Platform } from './platform/platform';
import { SCREENS } from './screens/registry';
import { GlobalSearch } from './search/GlobalSearch';
import { ShortcutHelp } from './ShortcutHelp';
import { ScreenCountContext } from './shortcuts';

export const THEME = {
  token: {
    fontFamily: "'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', system-ui, sans-serif",
    fontSize: 13,
    borderRadius: 4,
    colorPrimary: '#1f6feb',
  },
  components: { Layout: { headerBg: '#ffffff', siderBg: '#ffffff', headerHeight: 48, headerPadding: '0 16px' } },
};

/**
 * `user` is null while the window is locked: the screens stay mounted (drafts survive) but hidden, and the
 * hotkeys and drops are off.
 */
export function App({ platform, user, onSignOut, hidden }: { platform: Platform; user: SessionUser | null; onSignOut: () => void; hidden: boolean }) {
  const { t, i18n } = useTranslation();
  const [screen, setScreen] = useState(SCREENS[0]!.key);
  const [revision, setRevision] = useState(0);
  const [dropped, setDropped] = useState<File[]>([]);
  const [dragging, setDragging] = useState(false);
  const refresh = useCallback(() => setRevision((n) => n + 1), []);
  const takeDropped = useCallback(() => {
    const files = dropped;
    if (files.length > 0) setDropped([]);
    return files;
  }, [dropped]);
  const client = platform.client;

  // Files dropped anywhere on the window go to the Inbox screen, which imports them.
  useEffect(() => {
    if (hidden) return;
    const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
    const onDragOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      setDragging(true);
    };
    const onDragLeave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      setDragging(false);
      if (!carriesFiles(event) || event.defaultPrevented) return;
      event.preventDefault();
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length === 0) return;
      setDropped((previous) => [...previous, ...files]);
      setScreen('inbox');
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [hidden]);

  // What the role cannot open is not shown; the core refuses it anyway.
  const role = user?.role ?? null;
  const screens = useMemo(() => SCREENS.filter((definition) => role === null || mayCall(definition.needs, role)), [role]);

  useHotkeys(
    [
      { combo: 'f5', run: refresh },
      { combo: 'alt+l', run: () => setLanguage(i18n.language === 'zh-CN' ? 'en' : 'zh-CN') },
      ...screens.map((definition, index) => ({ combo: `alt+${index + 1}`, run: () => setScreen(definition.key) })),
    ],
    !hidden,
  );

  const context = useMemo<AppContextValue>(
    () => ({ platform, revision, refresh, user, may: (method) => role !== null && mayCall(method, role) }),
    [platform, revision, refresh, user, role],
  );
  const active = screens.find((definition) => definition.key === screen) ?? screens[0]!;

  return (
    <ConfigProvider locale={antdLocale(i18n.language)} theme={THEME} componentSize="small">
      <AntApp>
        <AppContext.Provider value={context}>
          <ScreenCountContext.Provider value={screens.length}>
            <Layout className="shell" hidden={hidden} aria-hidden={hidden}>
              <Layout.Header className="shell-header">
                <Typography.Text strong className="brand">
                  {t('app.name')}
                </Typography.Text>
                {platform.kind === 'preview' ? <Tag color="blue">{t('app.previewBadge')}</Tag> : null}
                <span className="header-spacer" />
                {user && mayCall('search:query', user.role) ? <GlobalSearch enabled={!hidden} /> : null}
                {/* Job progress and the document count change often: each draws itself, not the shell and the screen. */}
                <JobProgressBadge client={client} />
                {/* issue 20 item 4: imports kept on this computer while the server cannot be reached */}
                <UploadQueueBadge connection={platform.connection} />
                <ArchiveSummary client={client} revision={revision} hidden={hidden} />
                {user ? (
                  <Typography.Text className="session-user" data-testid="session-user">
                    {user.displayName} · {t(`roles.${user.role}`)}
                  </Typography.Text>
                ) : null}
                <NotificationBell navigate={setScreen} />
                <ChangePasswordButton />
                <Tooltip title={t('auth.signOut')}>
                  <Button icon={<LogoutOutlined />} onClick={onSignOut} aria-label={t('auth.signOut')} />
                </Tooltip>
                <Tooltip title={`${t('app.refresh')} (F5)`}>
                  <Button icon={<ReloadOutlined />} onClick={refresh} aria-label={t('app.refresh')} />
                </Tooltip>
              </Layout.Header>
              <BackupScheduleWarning />
              <Layout>
                <Layout.Sider width={168} className="shell-sider" theme="light">
                  <Menu
                    mode="inline"
                    selectedKeys={[active.key]}
                    onClick={({ key }) => setScreen(key)}
                    items={screens.map((definition, index) => ({
                      key: definition.key,
                      icon: definition.icon,
                      label: (
                        <Tooltip title={`Alt+${index + 1}`} placement="right">
                          <span data-screen={definition.key}>{t(definition.label)}</span>
                        </Tooltip>
                      ),
                    }))}
                  />
                </Layout.Sider>
                <Layout.Content className="shell-content">{active.render({ navigate: setScreen, dropped, takeDropped })}</Layout.Content>
              </Layout>
            </Layout>
            <ShortcutHelp enabled={!hidden} />
          </ScreenCountContext.Provider>
          {dragging && !hidden ? (
            <div className="drop-overlay" aria-hidden>
              {t('inbox.dropAnywhere')}
            </div>
          ) : null}
        </AppContext.Provider>
      </AntApp>
    </ConfigProvider>
  );
}
