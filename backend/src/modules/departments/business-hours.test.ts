import { describe, expect, it } from 'vitest';
import { isOpenAt, overlappingRanges, type BusinessHours } from './business-hours.js';

const berlin = (weekly: BusinessHours['weekly'], holidays: string[] = []): BusinessHours => ({
  timezone: 'Europe/Berlin',
  weekly,
  holidays,
  awayMessage: null,
});

describe('business hours', () => {
  it('are always open when none are set, and never when set without ranges', () => {
    expect(isOpenAt(null, new Date('2026-03-29T01:30:00Z'))).toBe(true);
    expect(isOpenAt(berlin([]), new Date('2026-03-30T10:00:00Z'))).toBe(false);
  });

  it('read the ranges in the local time: from inclusive, to exclusive, 24:00 the end of the day', () => {
    // Monday 2 March 2026, Berlin is UTC+1 in winter.
    const hours = berlin([
      { day: 1, from: '09:00', to: '13:00' },
      { day: 1, from: '14:00', to: '24:00' },
    ]);
    expect(isOpenAt(hours, new Date('2026-03-02T07:59:00Z'))).toBe(false); // 08:59
    expect(isOpenAt(hours, new Date('2026-03-02T08:00:00Z'))).toBe(true); // 09:00
    expect(isOpenAt(hours, new Date('2026-03-02T11:59:00Z'))).toBe(true); // 12:59
    expect(isOpenAt(hours, new Date('2026-03-02T12:00:00Z'))).toBe(false); // 13:00, lunch
    expect(isOpenAt(hours, new Date('2026-03-02T22:59:00Z'))).toBe(true); // 23:59 Monday
    expect(isOpenAt(hours, new Date('2026-03-02T23:00:00Z'))).toBe(false); // 00:00 Tuesday
  });

  it('follow the March change to summer time in Berlin (02:00 becomes 03:00)', () => {
    // Sunday 29 March 2026: 01:00 UTC is 03:00 CEST; the hour 02:00–03:00 does not exist.
    const hours = berlin([
      { day: 7, from: '00:00', to: '02:30' },
      { day: 1, from: '09:00', to: '17:00' },
    ]);
    expect(isOpenAt(hours, new Date('2026-03-29T00:59:00Z'))).toBe(true); // 01:59 CET
    expect(isOpenAt(hours, new Date('2026-03-29T01:00:00Z'))).toBe(false); // 03:00 CEST
    // The Monday after: 09:00 is now 07:00 UTC, no longer 08:00 UTC.
    expect(isOpenAt(hours, new Date('2026-03-30T06:59:00Z'))).toBe(false);
    expect(isOpenAt(hours, new Date('2026-03-30T07:00:00Z'))).toBe(true);
    expect(isOpenAt(hours, new Date('2026-03-30T14:59:00Z'))).toBe(true); // 16:59
    expect(isOpenAt(hours, new Date('2026-03-30T15:00:00Z'))).toBe(false); // 17:00
  });

  it('follow the October change back to winter time (02:00–03:00 happens twice)', () => {
    // Sunday 25 October 2026: 01:00 UTC is 02:00 CET for the second time.
    const hours = berlin([{ day: 7, from: '02:00', to: '03:00' }]);
    expect(isOpenAt(hours, new Date('2026-10-25T00:00:00Z'))).toBe(true); // 02:00 CEST
    expect(isOpenAt(hours, new Date('2026-10-25T01:30:00Z'))).toBe(true); // 02:30 CET
    expect(isOpenAt(hours, new Date('2026-10-25T02:00:00Z'))).toBe(false); // 03:00 CET
  });

  it('close the whole local day of a holiday, by the schedule zone', () => {
    const hours: BusinessHours = {
      timezone: 'Europe/Moscow',
      weekly: [{ day: 4, from: '00:00', to: '24:00' }],
      holidays: ['2026-12-31'],
      awayMessage: 'Happy New Year!',
    };
    // Thursday 31 December 2026 in Moscow (UTC+3) runs 30 Dec 21:00 UTC – 31 Dec 21:00 UTC.
    expect(isOpenAt(hours, new Date('2026-12-30T20:59:00Z'))).toBe(false); // Wed 23:59
    expect(isOpenAt(hours, new Date('2026-12-30T21:00:00Z'))).toBe(false); // holiday
    expect(isOpenAt(hours, new Date('2026-12-31T20:59:00Z'))).toBe(false); // holiday
    expect(isOpenAt(hours, new Date('2026-12-24T12:00:00Z'))).toBe(true); // a Thursday before
  });

  it('find ranges that overlap an earlier one of the same day', () => {
    expect(
      overlappingRanges([
        { day: 1, from: '09:00', to: '13:00' },
        { day: 1, from: '13:00', to: '18:00' }, // touches, no overlap
        { day: 2, from: '10:00', to: '12:00' },
        { day: 1, from: '12:00', to: '14:00' },
      ]),
    ).toEqual([3]);
  });
});
