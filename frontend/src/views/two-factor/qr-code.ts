import QRCode from 'qrcode';

/**
 * The QR code of an otpauth:// URL as an SVG data URL for an <img>. Drawn in the browser from
 * the URL the API already returned, so the secret travels once and no image of it is made on
 * (or logged by) the server; SVG needs no canvas and stays sharp at any zoom.
 */
export async function qrCodeDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
