/** A remaining time in the interface language: "约剩 1 分 43 秒", not "1m 43s". */
import type { TFunction } from 'i18next';

export function durationText(t: TFunction, ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return t('duration.seconds', { seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('duration.minutes', { minutes, seconds: seconds % 60 });
  return t('duration.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}
