/**
 * The header's progress of the latest running job. It listens to `jobs:progress` itself: a rebuild of the
 * index reports many times a second, and only this badge, not the shell and the screen under it, draws again.
 */
import { Progress, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../shared/events';
import type { SlipVaultClient } from '../../shared/contract';
import { jobName } from '../i18n/core-messages';

export function JobProgressBadge({ client }: { client: SlipVaultClient }) {
  const { t } = useTranslation();
  const [progress, setProgress] = useState<JobProgress | null>(null);

  useEffect(() => client.on('jobs:progress', (payload) => setProgress(payload.total > 0 && payload.done >= payload.total ? null : payload)), [client]);

  if (!progress) return null;
  return (
    <Space role="status" className="job-progress">
      <span>{t('jobs.progress', { job: jobName(t, progress.phase), done: progress.done, total: progress.total })}</span>
      <Progress percent={progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 0} size="small" style={{ width: 120 }} />
    </Space>
  );
}
