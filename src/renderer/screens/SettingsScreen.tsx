/**
 * Settings: interface language, the open archive and its integrity check, the archive's own settings
 * (OCR languages, slip-number patterns, review threshold, hot folder, scanner defaults), document types
 * with their keywords, the log folders, and the keyboard shortcuts.
 */
import { Alert, Button, Card, ConfigProvider, Descriptions, Radio, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArchiveStatus, CheckReport } from '../../shared/model';
import { useApp } from '../context';
import { errorText, formatDateTime } from '../format';
import { LANGUAGES, setLanguage, type Language } from '../i18n';
import { ArchiveSettingsCard } from '../settings/ArchiveSettingsCard';
import { BackupScheduleCard } from '../settings/BackupScheduleCard';
import { DocumentTypesCard } from '../settings/DocumentTypesCard';
import { LogFolderCard } from '../settings/LogFolderCard';
import { ServerCard } from '../connection/ServerCard';
import { LocationsCard } from '../records/locations/LocationsCard';
import { UsersCard } from '../settings/UsersCard';
import { ShortcutTable } from '../ShortcutHelp';

const LANGUAGE_NAMES: Record<Language, string> = { 'zh-CN': '简体中文', en: 'English' };

export function SettingsScreen() {
  const { t, i18n } = useTranslation();
  const { platform, revision, may } = useApp();
  const [status, setStatus] = useState<ArchiveStatus | null>(null);
  const [report, setReport] = useState<CheckReport | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    platform.client.call('archive:status', {}).then(
      (value) => !cancelled && setStatus(value),
      (reason: unknown) => !cancelled && setError(errorText(t, reason)),
    );
    return () => {
      cancelled = true;
    };
  }, [platform, revision, t]);

  const check = async () => {
    setChecking(true);
    setError(null);
    try {
      setReport(await platform.client.call('archive:check', {}));
    } catch (reason) {
      setError(errorText(t, reason));
    } finally {
      setChecking(false);
    }
  };

  return (
    <div className="screen settings-screen">
      <Typography.Title level={5}>{t('settings.title')}</Typography.Title>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small" title={t('settings.language')}>
          <Radio.Group
            value={i18n.language}
            onChange={(event) => setLanguage(event.target.value as Language)}
            options={LANGUAGES.map((language) => ({ value: language, label: LANGUAGE_NAMES[language] }))}
            optionType="button"
          />
          <div>
            <Typography.Text type="secondary">{t('settings.languageHint')}</Typography.Text>
          </div>
        </Card>
        <Card size="small" title={t('settings.archive')}>
          {status ? (
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('settings.path')}>{status.path}</Descriptions.Item>
              <Descriptions.Item label={t('settings.actor')}>{status.actor}</Descriptions.Item>
              <Descriptions.Item label={t('settings.documents')}>{status.documents}</Descriptions.Item>
              <Descriptions.Item label={t('settings.schema')}>{status.schemaVersion}</Descriptions.Item>
              <Descriptions.Item label={t('settings.created')}>{formatDateTime(status.createdAt)}</Descriptions.Item>
            </Descriptions>
          ) : null}
          <Button onClick={() => void check()} loading={checking}>
            {t('settings.check')}
          </Button>
          {report ? (
            <Alert
              className="check-result"
              type={report.ok ? 'success' : 'error'}
              showIcon
              title={report.ok ? t('settings.checkOk', report.counts) : t('settings.checkProblems', { count: report.problems.length })}
              description={report.ok ? undefined : report.problems.map((problem) => problem.message).join('\n')}
            />
          ) : null}
          {error ? <Alert type="error" showIcon title={error} /> : null}
        </Card>
        {/* Shown to every role, changeable by administrators only (the core refuses the others anyway). */}
        <ConfigProvider componentDisabled={!may('settings:update')}>
          <ArchiveSettingsCard archivePath={status?.path ?? null} />
          <DocumentTypesCard />
        </ConfigProvider>
        {may('settings:update') ? <BackupScheduleCard /> : null}
        {may('users:list') ? <UsersCard /> : null}
        {may('locations:save') ? <LocationsCard /> : null}
        <ServerCard />
        <LogFolderCard />
        <Card size="small" title={t('settings.shortcuts')}>
          <ShortcutTable />
        </Card>
      </Space>
    </div>
  );
}
