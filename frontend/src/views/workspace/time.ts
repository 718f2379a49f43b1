// Short durations for wait times and countdowns: "45 s", "12 min", "3 h 05 min", "2 d 4 h".

export type DurationParts = {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
};

export function splitDuration(milliseconds: number): DurationParts {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3_600),
    minutes: Math.floor((total % 3_600) / 60),
    seconds: total % 60,
  };
}

/** i18n keys under `time.` with their parameters; the view translates them. */
export function durationKey(milliseconds: number): { key: string; params: DurationParts } {
  const parts = splitDuration(milliseconds);
  if (parts.days > 0) return { key: 'time.daysHours', params: parts };
  if (parts.hours > 0) return { key: 'time.hoursMinutes', params: parts };
  if (parts.minutes > 0) return { key: 'time.minutes', params: parts };
  return { key: 'time.seconds', params: parts };
}
