/** Live progress per job (OCR rounds, backups, reindexing) from `jobs:progress`, with the ETA the core gives. */
import { Progress, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { jobName } from '../i18n/core-messages';
import { durationText } from '../i18n/durations';
import { useApp } from '../context';
import { FINISHED_JOB_VISIBLE_MS, percentOf, updateJobs, type JobState } from './jobs';

export function JobsPanel() {
  const { t } = useTranslation();
  const { platform } = useApp();
  const [jobs, setJobs] = useState<JobState[]>([]);

  useEffect(() => platform.client.on('jobs:progress', (progress) => setJobs((previous) => updateJobs(previous, progress, Date.now()))), [platform]);

  // Finished jobs fade out even when no further report arrives.
  useEffect(() => {
    if (!jobs.some((job) => job.finished)) return;
    const timer = setTimeout(
      () => setJobs((previous) => previous.filter((job) => !job.finished || Date.now() - job.updatedAt < FINISHED_JOB_VISIBLE_MS)),
      FINISHED_JOB_VISIBLE_MS,
    );
    return () => clearTimeout(timer);
  }, [jobs]);

  if (jobs.length === 0) return null;
  return (
    <div className="jobs-panel" role="status">
      {jobs.map((job) => (
        <div key={job.jobId} className="job-row" data-job={job.jobId} data-finished={job.finished}>
          <Typography.Text className="job-label">
            {jobName(t, job.phase)} · {t('inbox.jobs.count', { done: job.done, total: job.total })}
            {job.finished ? ` · ${t('inbox.jobs.finished')}` : job.etaMs !== undefined ? ` · ${t('inbox.jobs.eta', { eta: durationText(t, job.etaMs) })}` : ''}
          </Typography.Text>
          <Progress percent={percentOf(job)} size="small" status={job.finished ? 'success' : 'active'} style={{ width: 220 }} />
        </div>
      ))}
    </div>
  );
}
