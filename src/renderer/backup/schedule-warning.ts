/** The words of the home screen's backup reminder, or null when the schedule has nothing to warn about. */
import type { TFunction } from 'i18next';
import { daysSince, type BackupScheduleStatus } from '../../shared/backup-schedule';

export function scheduleWarningText(t: TFunction, status: BackupScheduleStatus, now: Date): string | null {
  const lines: string[] = [];
  if (status.problem) lines.push(t('schedule.warningProblem', { message: status.problem.message }));
  if (status.verifiedOverdue) {
    lines.push(
      status.lastVerifiedAt
        ? t('schedule.warningOld', { count: daysSince(status.lastVerifiedAt, now), frequency: t(`schedule.every.${status.schedule.frequency}`) })
        : t('schedule.warningNever'),
    );
  }
  return lines.length > 0 ? lines.join(' ') : null;
}
