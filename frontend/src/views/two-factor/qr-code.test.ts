import { describe, expect, it } from 'vitest';
import { qrCodeDataUrl } from './qr-code';

describe('qrCodeDataUrl', () => {
  it('draws the otpauth URL as an SVG image, without a canvas', async () => {
    const url = await qrCodeDataUrl('otpauth://totp/Omni:ada?secret=JBSWY3DPEHPK3PXP&issuer=Omni');
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    const svg = decodeURIComponent(url.slice(url.indexOf(',') + 1));
    expect(svg).toMatch(/^<svg[^>]*viewBox="0 0 (\d+) \1"/);
    expect(svg).toContain('<path');
  });
});
