/*
 * URLs that reach the panel from outside (a visitor's attachment links, Facebook profile
 * photos) are rendered only when they are web addresses: a javascript:, data: or file:
 * "link" must never become something to click or to load. The server drops them too; this
 * holds even for records stored before it did.
 */

/** Resolves relative paths (Omni's own /api/files/… links) without reading the page's location. */
const RELATIVE_BASE = 'https://omni.invalid';

function protocolOf(value: string): string | null {
  try {
    return new URL(value, RELATIVE_BASE).protocol;
  } catch {
    return null;
  }
}

/** The URL when it is http(s) or a path on Omni; otherwise null. */
export function webLinkOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  const protocol = protocolOf(value);
  return protocol === 'https:' || protocol === 'http:' ? value : null;
}

/** For <img src> only: a web link, or an inline picture (data:image/…, inert in an <img>). */
export function imageSourceOrNull(value: string | null | undefined): string | null {
  if (value && /^data:image\//i.test(value)) return value;
  return webLinkOrNull(value);
}
