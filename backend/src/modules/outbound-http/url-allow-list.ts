/**
 * Which URLs Omni may fetch for a purpose (attachments today). Two kinds of entry:
 *
 * - a host pattern, `fbcdn.net` (that host) or `*.fbcdn.net` (any host under it): https on
 *   the default port only, and only when the host resolves to public addresses;
 * - a URL prefix, `http://127.0.0.1:5001/api/demo/media/`: exactly that scheme, host, port
 *   and path prefix (ending in "/"). Whoever configures one names the very origin to trust,
 *   so it may be plain http and on a private or loopback address (the demo's pictures, the
 *   tests' fake CDN). Keep the path as narrow as possible: the rest of that origin stays out.
 */
export class UrlAllowList {
  private constructor(private readonly entries: readonly AllowListEntry[]) {}

  /** Parses entries as configured; throws with the offending entry when one is malformed. */
  static parse(entries: readonly string[]): UrlAllowList {
    return new UrlAllowList(entries.map(parseEntry));
  }

  /** The entries in their canonical form (for logs and documentation). */
  describe(): string[] {
    return this.entries.map((entry) =>
      entry.kind === 'host' ? `${entry.anySubdomain ? '*.' : ''}${entry.host}` : entry.prefix,
    );
  }

  /**
   * How a URL may be fetched: null when no entry allows it; otherwise whether its addresses
   * must be public (host patterns) or are trusted as configured (URL prefixes).
   */
  match(url: URL): { mustBePublic: boolean } | null {
    if (url.username || url.password) return null;
    const host = normalizeHost(url.hostname);
    for (const entry of this.entries) {
      if (entry.kind === 'host') {
        const hostMatches = entry.anySubdomain
          ? host.endsWith(`.${entry.host}`)
          : host === entry.host;
        if (hostMatches && url.protocol === 'https:' && url.port === '') {
          return { mustBePublic: true };
        }
      } else if (
        url.origin === entry.origin &&
        url.pathname.startsWith(entry.pathPrefix) &&
        !hasEncodedSeparator(url.pathname)
      ) {
        return { mustBePublic: false };
      }
    }
    return null;
  }
}

type AllowListEntry =
  | { kind: 'host'; host: string; anySubdomain: boolean }
  | { kind: 'prefix'; prefix: string; origin: string; pathPrefix: string };

const HOST_PATTERN = /^(\*\.)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9])$/;

function parseEntry(raw: string): AllowListEntry {
  const entry = raw.trim().toLowerCase();
  if (entry.includes('://')) {
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      throw new Error(`"${raw}" is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new Error(`"${raw}" must be an http:// or https:// URL`);
    if (url.username || url.password || url.search || url.hash)
      throw new Error(`"${raw}" must be a scheme, host, port and path only`);
    if (!url.pathname.endsWith('/') || hasEncodedSeparator(url.pathname))
      throw new Error(`"${raw}" must end with "/" (a path prefix, e.g. /media/)`);
    return {
      kind: 'prefix',
      prefix: `${url.origin}${url.pathname}`,
      origin: url.origin,
      pathPrefix: url.pathname,
    };
  }
  const match = HOST_PATTERN.exec(entry);
  if (!match) throw new Error(`"${raw}" is neither a host (*.example.com) nor a URL prefix`);
  return { kind: 'host', host: match[2]!, anySubdomain: match[1] !== undefined };
}

/** "cdn.example." and "cdn.example" are one host. */
function normalizeHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

/**
 * An encoded "/", "\" or "." in a path could step out of a prefix on a server that decodes
 * before routing; no CDN link needs them.
 */
function hasEncodedSeparator(pathname: string): boolean {
  return /%(2f|5c|2e)/i.test(pathname);
}
