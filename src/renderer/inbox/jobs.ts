/** Live jobs from `jobs:progress`: the latest report per job, newest first, finished ones kept briefly. */
import type { JobProgress } from '../../shared/events';

export interface JobState extends JobProgress {
  finished: boolean;
  updatedAt: number;
}

/** How long a finished job stays on screen. */
export const FINISHED_JOB_VISIBLE_MS = 15_000;
const MAX_JOBS = 6;

export function updateJobs(jobs: readonly JobState[], progress: JobProgress, now: number): JobState[] {
  const finished = progress.total > 0 ? progress.done >= progress.total : false;
  const next: JobState = { ...progress, finished, updatedAt: now };
  return [next, ...jobs.filter((job) => job.jobId !== progress.jobId)]
    .filter((job) => !job.finished || now - job.updatedAt < FINISHED_JOB_VISIBLE_MS)
    .slice(0, MAX_JOBS);
}

export function percentOf(job: JobProgress): number {
  return job.total > 0 ? Math.min(100, Math.floor((job.done / job.total) * 100)) : 0;
}
