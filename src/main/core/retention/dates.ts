/**
 * Calendar arithmetic for retention, on plain dates (YYYY-MM-DD, no time zone): where a period starts,
 * where it ends, and how much of it has passed. China's fiscal year is the calendar year (会计法 第十一条),
 * and a period counted from the end of a fiscal year starts on the first day after it (会计档案管理办法
 * 第十四条), so 30 years for a slip signed in 2026 end on 2057-01-01.
 */
import type { RetentionStartEvent } from '../../../shared/model';

function parts(date: string): [number, number, number] {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return [year, month, day];
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `years` later on the same day; 29 February falls back to 28 February in a year without it. */
export function addYears(date: string, years: number): string {
  const [year, month, day] = parts(date);
  const target = year + years;
  const leap = (target % 4 === 0 && target % 100 !== 0) || target % 400 === 0;
  const lastDay = month === 2 && day === 29 && !leap ? 28 : day;
  return `${pad(target, 4)}-${pad(month)}-${pad(lastDay)}`;
}

/** The day a period starts, or null when its event is not known for the document. */
export function startDate(event: RetentionStartEvent, facts: { signedDate: string | null; authorizationEnd: string | null }): string | null {
  switch (event) {
    case 'signed-date':
      return facts.signedDate;
    case 'fiscal-year-end':
      return facts.signedDate === null ? null : `${pad(parts(facts.signedDate)[0] + 1, 4)}-01-01`;
    case 'authorization-end':
      return facts.authorizationEnd;
  }
}

/** Whole years and remaining days from `from` to `to` (to ≥ from), as the certificate prints them. */
export function elapsed(from: string, to: string): { years: number; days: number } {
  let years = parts(to)[0] - parts(from)[0];
  if (addYears(from, years) > to) years -= 1;
  const anniversary = Date.parse(`${addYears(from, years)}T00:00:00Z`);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - anniversary) / 86_400_000);
  return { years, days };
}

/** Today's date where the archive runs, as the default clock of due lists and requests. */
export function today(now: Date = new Date()): string {
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
