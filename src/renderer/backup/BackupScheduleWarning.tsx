/**
 * The home screen's reminder, in the header of every screen: the last verified backup is older than the
 * backup schedule allows, or a scheduled backup could not run (its drive missing, no passphrase kept).
 * Shown to every role; fetched again on refresh and when a scheduled run reports a problem.
 */
import { Alert } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupScheduleStatus } from '../../shared/backup-schedule';
import { useApp } from '../context';
import { scheduleWarningText } from './schedule-warning';

export function BackupScheduleWarning() {
  const { t } = useTranslation();
  const { platform, revision } = useApp();
  const [status, setStatus] = useState<BackupScheduleStatus | null>(null);
  const [reported, setReported] = useState(0);

  useEffect(() => platform.client.on('backup:scheduleProblem', () => setReported((count) => count + 1)), [platform]);

  useEffect(() => {
    let cancelled = false;
    platform.client.call('backup:scheduleStatus', {}).then(
      (value) => !cancelled && setStatus(value),
      // The warning is a reminder: a failed fetch shows nothing rather than a second error banner.
      () => !cancelled && setStatus(null),
    );
    return () => {
      cancelled = true;
    };
  }, [platform, revision, reported]);

  const text = status ? scheduleWarningText(t, status, new Date()) : null;
  if (!text) return null;
  return <Alert className="backup-schedule-warning" type="warning" showIcon banner title={text} data-testid="backup-schedule-warning" />;
}
