import { describe, expect, it } from 'vitest';
import { isHexColor, LABEL_PALETTE, readableTextColor, relativeLuminance } from './label-colors';

function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}

describe('label colours', () => {
  it('accept #rrggbb only', () => {
    expect(isHexColor('#1a7F5a')).toBe(true);
    expect(isHexColor('#fff')).toBe(false);
    expect(isHexColor('red')).toBe(false);
    expect(isHexColor('#12345g')).toBe(false);
  });

  it('put white text on dark colours and dark text on light ones', () => {
    expect(readableTextColor('#000000')).toBe('#ffffff');
    expect(readableTextColor('#1e3a8a')).toBe('#ffffff');
    expect(readableTextColor('#ffffff')).toBe('#111827');
    expect(readableTextColor('#facc15')).toBe('#111827');
    expect(readableTextColor('not a colour')).toBe('#111827');
  });

  it('keep every preset readable (WCAG large-text contrast at least)', () => {
    for (const color of LABEL_PALETTE) {
      expect(contrastRatio(color, readableTextColor(color)), color).toBeGreaterThanOrEqual(3);
    }
  });
});
