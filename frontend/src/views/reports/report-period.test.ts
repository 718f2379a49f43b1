import { describe, expect, it } from 'vitest';
import { dayIn, periodOfDays, presetPeriod, startOfDay } from './report-period';

describe('report periods', () => {
  it("begin each day at the business's midnight", () => {
    expect(startOfDay({ year: 2026, month: 12, day: 1 }, 'Europe/Moscow').toISOString()).toBe(
      '2026-11-30T21:00:00.000Z',
    );
    expect(startOfDay({ year: 2026, month: 12, day: 1 }, 'UTC').toISOString()).toBe(
      '2026-12-01T00:00:00.000Z',
    );
    // New York's clocks go back on 1 November 2026: that midnight is still EDT (UTC−4).
    expect(startOfDay({ year: 2026, month: 11, day: 1 }, 'America/New_York').toISOString()).toBe(
      '2026-11-01T04:00:00.000Z',
    );
    expect(startOfDay({ year: 2026, month: 11, day: 2 }, 'America/New_York').toISOString()).toBe(
      '2026-11-02T05:00:00.000Z',
    );
  });

  it('name the day an instant falls on in the zone (23:30 UTC is tomorrow in Moscow)', () => {
    const lateEvening = new Date('2026-11-30T23:30:00Z');
    expect(dayIn(lateEvening, 'UTC')).toEqual({ year: 2026, month: 11, day: 30 });
    expect(dayIn(lateEvening, 'Europe/Moscow')).toEqual({ year: 2026, month: 12, day: 1 });
  });

  it('give the presets as whole days up to today', () => {
    const now = new Date('2026-12-03T10:00:00Z');
    expect(presetPeriod('today', now, 'UTC')).toEqual({
      from: '2026-12-03T00:00:00.000Z',
      to: '2026-12-04T00:00:00.000Z',
    });
    expect(presetPeriod('yesterday', now, 'Europe/Moscow')).toEqual({
      from: '2026-12-01T21:00:00.000Z',
      to: '2026-12-02T21:00:00.000Z',
    });
    expect(presetPeriod('last7', now, 'UTC').from).toBe('2026-11-27T00:00:00.000Z');
    expect(presetPeriod('last30', now, 'UTC').from).toBe('2026-11-04T00:00:00.000Z');
    expect(
      periodOfDays({ year: 2026, month: 12, day: 31 }, { year: 2026, month: 12, day: 31 }, 'UTC'),
    ).toEqual({ from: '2026-12-31T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
  });
});
