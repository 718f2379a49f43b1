/** The largest unit that fits, for "3 minutes ago" / "yesterday" (Intl.RelativeTimeFormat). */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** How long before (negative) or after `now` an instant is, in the largest unit that fits. */
export function relativeTimeParts(
  at: Date,
  now: Date,
): { value: number; unit: Intl.RelativeTimeFormatUnit } {
  const difference = at.getTime() - now.getTime();
  for (const [unit, length] of UNITS) {
    if (Math.abs(difference) >= length) return { value: Math.trunc(difference / length), unit };
  }
  return { value: 0, unit: 'second' };
}

/** "5 minutes ago", "вчера", "২ ঘন্টা আগে": the instant relative to `now`, in the locale. */
export function formatRelativeTime(at: Date, now: Date, locale: string): string {
  const { value, unit } = relativeTimeParts(at, now);
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(value, unit);
}
