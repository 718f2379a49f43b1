/**
 * Label colours: the presets the form offers, and the text colour that stays readable on
 * any of them or on any other colour an admin types in.
 */

/** Ten hues, strong then light (the form shows them as two rows), each readable with its text. */
export const LABEL_PALETTE = [
  '#dc2626',
  '#ea580c',
  '#d97706',
  '#16a34a',
  '#0d9488',
  '#0891b2',
  '#2563eb',
  '#7c3aed',
  '#db2777',
  '#475569',
  '#fecaca',
  '#fed7aa',
  '#fde68a',
  '#bbf7d0',
  '#99f6e4',
  '#a5f3fc',
  '#bfdbfe',
  '#ddd6fe',
  '#fbcfe8',
  '#e5e7eb',
] as const;

export const DEFAULT_LABEL_COLOR = LABEL_PALETTE[6];

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** `#rrggbb`, as the API accepts it. */
export function isHexColor(value: string): boolean {
  return HEX_COLOR.test(value.trim());
}

const DARK_TEXT = '#111827';
const LIGHT_TEXT = '#ffffff';

/** WCAG relative luminance of `#rrggbb` (0 black … 1 white). */
export function relativeLuminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255);
  const [red, green, blue] = channels.map((channel) =>
    channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4,
  ) as [number, number, number];
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** White or near-black, whichever contrasts more with the background (WCAG ratio). */
export function readableTextColor(background: string): string {
  if (!isHexColor(background)) return DARK_TEXT;
  const luminance = relativeLuminance(background);
  const onDark = contrast(luminance, relativeLuminance(LIGHT_TEXT));
  const onLight = contrast(luminance, relativeLuminance(DARK_TEXT));
  return onDark >= onLight ? LIGHT_TEXT : DARK_TEXT;
}
