import type { BusinessHours, BusinessHoursInput } from '@/api/types';

/** How a weekday is open: not at all, the whole day, or in the listed ranges. */
export type DayMode = 'closed' | 'allDay' | 'ranges';
export type TimeRange = { from: string; to: string };
/** One row of the week grid; `day` is ISO (1 = Monday … 7 = Sunday). */
export type DayDraft = { day: number; mode: DayMode; ranges: TimeRange[] };

/** What the hours editor edits: the week as seven rows, Monday first. */
export type HoursDraft = {
  timezone: string;
  days: DayDraft[];
  holidays: string[];
  awayMessage: string;
};

export const WEEK_DAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export const AWAY_MESSAGE_MAX = 2000;
const END_OF_DAY = '24:00';
const TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
/** A new schedule starts as office hours, Monday to Friday. */
const SUGGESTED_RANGE: TimeRange = { from: '09:00', to: '18:00' };

export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/** Minutes since midnight as "HH:MM" (1440 is "24:00"). */
function timeOf(minutes: number): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Every quarter of an hour from 00:00 to 24:00, for the time selects. */
export function quarterHours(): string[] {
  return Array.from({ length: 97 }, (_, index) => timeOf(index * 15));
}

/** The IANA zones the browser knows, for the time zone select (UTC first). */
export function timeZones(): string[] {
  const zones =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((zone) => zone !== 'UTC')];
}

/** The editor's draft of saved hours; with none saved, office hours in `defaultZone`. */
export function draftOf(hours: BusinessHours, defaultZone: string): HoursDraft {
  if (hours.timezone === null) {
    return {
      timezone: defaultZone,
      days: WEEK_DAYS.map((day) =>
        day <= 5
          ? { day, mode: 'ranges', ranges: [{ ...SUGGESTED_RANGE }] }
          : { day, mode: 'closed', ranges: [] },
      ),
      holidays: [],
      awayMessage: hours.awayMessage ?? '',
    };
  }
  return {
    timezone: hours.timezone,
    days: WEEK_DAYS.map((day) => {
      const ranges = hours.weekly
        .filter((range) => range.day === day)
        .map(({ from, to }) => ({ from, to }))
        .sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
      if (ranges.length === 0) return { day, mode: 'closed', ranges: [] };
      const allDay =
        ranges.length === 1 && ranges[0]!.from === '00:00' && ranges[0]!.to === END_OF_DAY;
      return allDay ? { day, mode: 'allDay', ranges: [] } : { day, mode: 'ranges', ranges };
    }),
    holidays: [...hours.holidays].sort(),
    awayMessage: hours.awayMessage ?? '',
  };
}

/** The body of PUT /api/departments/:id/hours. */
export function payloadOf(draft: HoursDraft): BusinessHoursInput {
  const weekly = draft.days.flatMap((row) => {
    if (row.mode === 'closed') return [];
    if (row.mode === 'allDay') return [{ day: row.day, from: '00:00', to: END_OF_DAY }];
    return row.ranges.map((range) => ({ day: row.day, from: range.from, to: range.to }));
  });
  const awayMessage = draft.awayMessage.trim();
  return {
    timezone: draft.timezone,
    weekly,
    holidays: [...new Set(draft.holidays)].sort(),
    awayMessage: awayMessage === '' ? null : awayMessage,
  };
}

/** Message keys (businessHours.errors.*) per place: `timezone`, `awayMessage`, `day`/`range`. */
export type DraftIssues = {
  timezone?: string;
  awayMessage?: string;
  /** Per ISO day: a problem of the day as a whole (ranges chosen but none given). */
  days: Record<number, string>;
  /** Per `${day}:${index}`: a problem of one range. */
  ranges: Record<string, string>;
};

export function rangeKey(day: number, index: number): string {
  return `${day}:${index}`;
}

export function issuesOf(draft: HoursDraft, knownZones: readonly string[]): DraftIssues {
  const issues: DraftIssues = { days: {}, ranges: {} };
  if (!draft.timezone) issues.timezone = 'businessHours.errors.timezoneRequired';
  else if (!knownZones.includes(draft.timezone))
    issues.timezone = 'businessHours.errors.timezoneUnknown';
  if (draft.awayMessage.trim().length > AWAY_MESSAGE_MAX)
    issues.awayMessage = 'businessHours.errors.awayTooLong';
  for (const row of draft.days) {
    if (row.mode !== 'ranges') continue;
    if (row.ranges.length === 0) issues.days[row.day] = 'businessHours.errors.noRanges';
    row.ranges.forEach((range, index) => {
      const key = rangeKey(row.day, index);
      if (!TIME.test(range.from) || !TIME.test(range.to)) {
        issues.ranges[key] = 'businessHours.errors.timeFormat';
      } else if (minutesOf(range.from) >= minutesOf(range.to)) {
        issues.ranges[key] = 'businessHours.errors.endBeforeStart';
      } else if (
        row.ranges
          .slice(0, index)
          .some(
            (earlier) =>
              TIME.test(earlier.from) &&
              TIME.test(earlier.to) &&
              minutesOf(earlier.from) < minutesOf(range.to) &&
              minutesOf(range.from) < minutesOf(earlier.to),
          )
      ) {
        issues.ranges[key] = 'businessHours.errors.overlap';
      }
    });
  }
  return issues;
}

export function hasIssues(issues: DraftIssues): boolean {
  return (
    issues.timezone !== undefined ||
    issues.awayMessage !== undefined ||
    Object.keys(issues.days).length > 0 ||
    Object.keys(issues.ranges).length > 0
  );
}

/** A range to add after the day's last one: an hour after it ends, else office hours. */
export function nextRange(ranges: TimeRange[]): TimeRange {
  const last = ranges.at(-1);
  if (!last || !TIME.test(last.to)) return { ...SUGGESTED_RANGE };
  const start = Math.min(minutesOf(last.to) + 60, 23 * 60);
  const end = Math.min(start + 4 * 60, 24 * 60);
  return { from: timeOf(start), to: timeOf(end) };
}
