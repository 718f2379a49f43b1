import { describe, expect, it } from 'vitest';
import { durationKey } from './time';

describe('durationKey', () => {
  it('picks the two largest units that matter', () => {
    expect(durationKey(45_000)).toMatchObject({ key: 'time.seconds', params: { seconds: 45 } });
    expect(durationKey(12 * 60_000 + 5_000)).toMatchObject({
      key: 'time.minutes',
      params: { minutes: 12 },
    });
    expect(durationKey(3 * 3_600_000 + 5 * 60_000)).toMatchObject({
      key: 'time.hoursMinutes',
      params: { hours: 3, minutes: 5 },
    });
    expect(durationKey(2 * 86_400_000 + 4 * 3_600_000)).toMatchObject({
      key: 'time.daysHours',
      params: { days: 2, hours: 4 },
    });
  });

  it('never shows a negative duration (clocks a little apart)', () => {
    expect(durationKey(-5_000)).toMatchObject({ key: 'time.seconds', params: { seconds: 0 } });
  });
});
