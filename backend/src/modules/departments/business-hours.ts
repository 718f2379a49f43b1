import { DateTime, IANAZone } from 'luxon';

/** One opening range of a weekday: ISO day (1 = Monday … 7 = Sunday), `from` ≤ t < `to`. */
export type WeeklyRange = { day: number; from: string; to: string };

/** A department's schedule; a department without one is always open. */
export type BusinessHours = {
  /** IANA time zone the ranges and holidays are read in. */
  timezone: string;
  weekly: WeeklyRange[];
  /** Whole days closed, as local dates (YYYY-MM-DD). */
  holidays: string[];
  /** Sent once per new or reopened conversation that arrives while closed; null: none. */
  awayMessage: string | null;
};

/** "HH:MM" to minutes since midnight ("24:00" is 1440). */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/** The canonical name of an IANA time zone (e.g. "europe/moscow" → "Europe/Moscow"), or null. */
export function canonicalTimeZone(name: string): string | null {
  if (!IANAZone.isValidZone(name)) return null;
  return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
}

/**
 * Whether a department with these hours is open at this instant: the instant is read as the
 * wall-clock time of the schedule's zone (luxon applies the zone's rules, DST included), so a
 * range means the same local hours all year. A holiday closes its whole local day.
 */
export function isOpenAt(hours: BusinessHours | null, at: Date): boolean {
  if (!hours) return true;
  const local = DateTime.fromJSDate(at, { zone: hours.timezone });
  if (!local.isValid) return true;
  if (hours.holidays.includes(local.toISODate()!)) return false;
  const minute = local.hour * 60 + local.minute;
  return hours.weekly.some(
    (range) =>
      range.day === local.weekday &&
      minutesOf(range.from) <= minute &&
      minute < minutesOf(range.to),
  );
}

/** Indexes of the ranges that overlap an earlier range of the same day. */
export function overlappingRanges(weekly: WeeklyRange[]): number[] {
  const overlapping: number[] = [];
  weekly.forEach((range, index) => {
    const clash = weekly
      .slice(0, index)
      .some(
        (earlier) =>
          earlier.day === range.day &&
          minutesOf(earlier.from) < minutesOf(range.to) &&
          minutesOf(range.from) < minutesOf(earlier.to),
      );
    if (clash) overlapping.push(index);
  });
  return overlapping;
}
