import { describe, expect, it } from 'vitest';
import type { BusinessHours } from '@/api/types';
import {
  draftOf,
  hasIssues,
  issuesOf,
  nextRange,
  payloadOf,
  quarterHours,
  rangeKey,
  type HoursDraft,
} from './business-hours-model';

const none: BusinessHours = {
  timezone: null,
  weekly: [],
  holidays: [],
  awayMessage: null,
  open: true,
};
const zones = ['UTC', 'Europe/Moscow', 'Asia/Dhaka'];

function week(overrides: Partial<HoursDraft> = {}): HoursDraft {
  return { ...draftOf({ ...none, timezone: 'Europe/Moscow' }, 'UTC'), ...overrides };
}

describe('business hours editor model', () => {
  it('suggests office hours Monday to Friday when none are set', () => {
    const draft = draftOf(none, 'Asia/Dhaka');
    expect(draft.timezone).toBe('Asia/Dhaka');
    expect(draft.days.map((row) => row.mode)).toEqual([
      'ranges',
      'ranges',
      'ranges',
      'ranges',
      'ranges',
      'closed',
      'closed',
    ]);
    expect(payloadOf(draft).weekly).toHaveLength(5);
  });

  it('reads saved hours into the week grid and writes them back as the API takes them', () => {
    const saved: BusinessHours = {
      timezone: 'Europe/Moscow',
      weekly: [
        { day: 1, from: '14:00', to: '18:00' },
        { day: 1, from: '09:00', to: '13:00' },
        { day: 6, from: '00:00', to: '24:00' },
      ],
      holidays: ['2026-12-31', '2026-01-01'],
      awayMessage: 'Closed',
      open: false,
    };
    const draft = draftOf(saved, 'UTC');
    expect(draft.days[0]).toEqual({
      day: 1,
      mode: 'ranges',
      ranges: [
        { from: '09:00', to: '13:00' },
        { from: '14:00', to: '18:00' },
      ],
    });
    expect(draft.days[5]).toEqual({ day: 6, mode: 'allDay', ranges: [] });
    expect(draft.days[6]).toEqual({ day: 7, mode: 'closed', ranges: [] });
    expect(payloadOf(draft)).toEqual({
      timezone: 'Europe/Moscow',
      weekly: [
        { day: 1, from: '09:00', to: '13:00' },
        { day: 1, from: '14:00', to: '18:00' },
        { day: 6, from: '00:00', to: '24:00' },
      ],
      holidays: ['2026-01-01', '2026-12-31'],
      awayMessage: 'Closed',
    });
  });

  it('drops the ranges of a day marked closed and sends an empty away message as null', () => {
    const draft = week({ awayMessage: '   ' });
    draft.days[0] = { day: 1, mode: 'closed', ranges: [{ from: '09:00', to: '10:00' }] };
    const payload = payloadOf(draft);
    expect(payload.weekly.some((range) => range.day === 1)).toBe(false);
    expect(payload.awayMessage).toBeNull();
  });

  it('explains reversed, overlapping and missing ranges, an unknown zone and a long message', () => {
    const draft = week({ timezone: 'Mars/Base', awayMessage: 'x'.repeat(2001) });
    draft.days[0] = {
      day: 1,
      mode: 'ranges',
      ranges: [
        { from: '09:00', to: '13:00' },
        { from: '12:00', to: '15:00' },
        { from: '18:00', to: '17:00' },
        { from: '9am', to: '10:00' },
      ],
    };
    draft.days[1] = { day: 2, mode: 'ranges', ranges: [] };
    const issues = issuesOf(draft, zones);
    expect(issues).toEqual({
      timezone: 'businessHours.errors.timezoneUnknown',
      awayMessage: 'businessHours.errors.awayTooLong',
      days: { 2: 'businessHours.errors.noRanges' },
      ranges: {
        [rangeKey(1, 1)]: 'businessHours.errors.overlap',
        [rangeKey(1, 2)]: 'businessHours.errors.endBeforeStart',
        [rangeKey(1, 3)]: 'businessHours.errors.timeFormat',
      },
    });
    expect(hasIssues(issues)).toBe(true);
    expect(issuesOf(week({ timezone: '' }), zones).timezone).toBe(
      'businessHours.errors.timezoneRequired',
    );
  });

  it('accepts touching ranges and a range to midnight', () => {
    const draft = week();
    draft.days[0] = {
      day: 1,
      mode: 'ranges',
      ranges: [
        { from: '09:00', to: '13:00' },
        { from: '13:00', to: '24:00' },
      ],
    };
    expect(hasIssues(issuesOf(draft, zones))).toBe(false);
  });

  it('offers quarter hours up to midnight and a next range after the last one', () => {
    const times = quarterHours();
    expect(times[0]).toBe('00:00');
    expect(times[37]).toBe('09:15');
    expect(times.at(-1)).toBe('24:00');
    expect(nextRange([])).toEqual({ from: '09:00', to: '18:00' });
    expect(nextRange([{ from: '09:00', to: '13:00' }])).toEqual({ from: '14:00', to: '18:00' });
    expect(nextRange([{ from: '18:00', to: '23:30' }])).toEqual({ from: '23:00', to: '24:00' });
  });
});
