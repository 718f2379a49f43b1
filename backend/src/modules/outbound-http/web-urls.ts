/*
 * URLs that come from outside (webhooks, Graph answers) are kept only when they are web
 * addresses: a data:, file: or javascript: "link" is never stored as something to fetch,
 * open or click.
 */

/** The URL when it is an absolute http(s) URL; otherwise null. */
export function httpUrlOrNull(value: string | null): string | null {
  if (value === null) return null;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:' ? value : null;
  } catch {
    return null;
  }
}

/**
 * For a picture the panel shows in an <img> and nothing else (a profile photo): an http(s)
 * URL, or an inline data:image/… picture, which an <img> renders inertly. Otherwise null.
 */
export function imageUrlOrNull(value: string | null): string | null {
  if (value !== null && /^data:image\//i.test(value)) return value;
  return httpUrlOrNull(value);
}
