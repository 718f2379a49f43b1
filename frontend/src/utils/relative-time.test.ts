import { describe, expect, it } from 'vitest';
import { formatRelativeTime, relativeTimeParts } from './relative-time';

const now = new Date('2026-12-03T12:00:00Z');
const ago = (milliseconds: number) => new Date(now.getTime() - milliseconds);

describe('relative time', () => {
  it('uses the largest unit that fits, rounded towards now', () => {
    expect(relativeTimeParts(ago(500), now)).toEqual({ value: 0, unit: 'second' });
    expect(relativeTimeParts(ago(59_000), now)).toEqual({ value: -59, unit: 'second' });
    expect(relativeTimeParts(ago(5 * 60_000 + 30_000), now)).toEqual({ value: -5, unit: 'minute' });
    expect(relativeTimeParts(ago(3 * 3_600_000), now)).toEqual({ value: -3, unit: 'hour' });
    expect(relativeTimeParts(ago(36 * 3_600_000), now)).toEqual({ value: -1, unit: 'day' });
    expect(relativeTimeParts(ago(400 * 86_400_000), now)).toEqual({ value: -1, unit: 'year' });
  });

  it('reads naturally in each language', () => {
    expect(formatRelativeTime(ago(5 * 60_000), now, 'en')).toBe('5 minutes ago');
    expect(formatRelativeTime(ago(30 * 3_600_000), now, 'en')).toBe('yesterday');
    expect(formatRelativeTime(ago(5 * 60_000), now, 'ru')).toBe('5 минут назад');
  });
});
