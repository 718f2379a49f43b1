/** The report's period choices: whole days in the business's time zone. */
export const PERIOD_PRESETS = ['today', 'yesterday', 'last7', 'last30', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** A calendar day, as the business's time zone names it. */
export type CalendarDay = { year: number; month: number; day: number };

/** The period asked of the API: `from` inclusive, `to` exclusive. */
export type Period = { from: string; to: string };

const DAY_MS = 86_400_000;

/** How far `zone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function zoneOffset(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((item) => item.type === type)!.value);
  const wallClock = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wallClock - Math.floor(instant / 1000) * 1000;
}

/** The instant `day` begins in `zone` (its midnight; DST moves it, never the date). */
export function startOfDay(day: CalendarDay, zone: string): Date {
  const utcMidnight = Date.UTC(day.year, day.month - 1, day.day);
  let instant = utcMidnight - zoneOffset(utcMidnight, zone);
  // Across a DST change the offset at the guess differs from the one at midnight itself.
  instant = utcMidnight - zoneOffset(instant, zone);
  return new Date(instant);
}

/** The calendar day `instant` falls on in `zone`. */
export function dayIn(instant: Date, zone: string): CalendarDay {
  const shifted = new Date(instant.getTime() + zoneOffset(instant.getTime(), zone));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
}

/** `day` moved by `days` (negative: back). */
export function addDays(day: CalendarDay, days: number): CalendarDay {
  const moved = new Date(Date.UTC(day.year, day.month - 1, day.day) + days * DAY_MS);
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** Whole days first…last (inclusive) in `zone`, as the API's period. */
export function periodOfDays(first: CalendarDay, last: CalendarDay, zone: string): Period {
  return {
    from: startOfDay(first, zone).toISOString(),
    to: startOfDay(addDays(last, 1), zone).toISOString(),
  };
}

/**
 * A preset's days, ending today in `zone`: today; yesterday; the last 7 or 30 days with
 * today (so the day still running is shown as far as it went).
 */
export function presetPeriod(preset: Exclude<PeriodPreset, 'custom'>, now: Date, zone: string) {
  const today = dayIn(now, zone);
  switch (preset) {
    case 'today':
      return periodOfDays(today, today, zone);
    case 'yesterday':
      return periodOfDays(addDays(today, -1), addDays(today, -1), zone);
    case 'last7':
      return periodOfDays(addDays(today, -6), today, zone);
    case 'last30':
      return periodOfDays(addDays(today, -29), today, zone);
  }
}

/**
 * A date picker's range (local midnights of the browser) read as calendar days of the
 * business's zone: the days the person picked, whatever the browser's zone.
 */
export function pickedPeriod(range: [number, number], zone: string): Period {
  const local = (value: number): CalendarDay => {
    const date = new Date(value);
    return { year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate() };
  };
  return periodOfDays(local(range[0]), local(range[1]), zone);
}
