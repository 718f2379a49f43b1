import { lookup as lookupHost } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { pipeline, Transform, type Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { AppError } from '../../errors.js';
import { isPublicAddress } from './public-address.js';
import type { UrlAllowList } from './url-allow-list.js';

/** A host name's addresses, as the resolver found them. */
export type ResolvedAddress = { address: string; family: 4 | 6 };
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/**
 * Which URLs a kind of request may reach, and whether their addresses must be public:
 * UrlAllowList for attachments, WebhookUrlRule for outbound webhooks.
 */
export type UrlRule = Pick<UrlAllowList, 'match'>;

/** What one kind of request may do: where it may go and how much it may take. */
export type OutboundPolicy = {
  allowList: UrlRule;
  /** The body is cut (and the request fails) past this many bytes. */
  maxBytes: number;
  /** For the whole exchange: every redirect hop and the body. */
  timeoutMs: number;
  /** Redirects followed, each checked like the first URL; one more is refused. */
  maxRedirects: number;
};

export type OutboundResponse = {
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body, limited to the policy's maxBytes (the stream errors past it). */
  body: Readable;
};

/** The URL is not one Omni may fetch (scheme, host, address, redirects). Retrying cannot help. */
export class OutboundUrlRefusedError extends AppError {
  constructor(reason: string) {
    super('OUTBOUND_URL_REFUSED', `Omni does not fetch this address: ${reason}.`, 422);
  }
}

/** The answer is larger than the policy allows. Retrying cannot help. */
export class OutboundResponseTooLargeError extends AppError {
  constructor(maxBytes: number) {
    super('OUTBOUND_RESPONSE_TOO_LARGE', `The answer is larger than ${maxBytes} bytes.`, 422);
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const resolveWithSystemDns: HostResolver = async (hostname) =>
  (await lookupHost(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/**
 * The one way to make an HTTP request whose URL a tenant (or a visitor, through a webhook)
 * can influence: attachment downloads and outbound webhooks. It refuses what
 * the policy's allow-list does not name, resolves the host itself, refuses non-public
 * addresses, and connects to exactly the addresses it checked (the socket's lookup is
 * pinned to them, so a DNS answer that changes between the check and the connection, "DNS
 * rebinding", changes nothing). Redirects are followed by hand, each hop checked again.
 */
export class OutboundHttp {
  constructor(private readonly resolveHost: HostResolver = resolveWithSystemDns) {}

  /** GET `url` under `policy`. Non-2xx answers are returned; the caller decides. */
  get(url: string, policy: OutboundPolicy): Promise<OutboundResponse> {
    return this.send(url, policy, { method: 'GET', headers: { accept: '*/*' } });
  }

  /**
   * POST `body` to `url` under `policy`. Redirects are not followed (a webhook receiver
   * answers where it was configured; a 3xx is returned like any other non-2xx answer).
   */
  post(
    url: string,
    policy: OutboundPolicy,
    request: { headers: Record<string, string>; body: string },
  ): Promise<OutboundResponse> {
    return this.send(url, { ...policy, maxRedirects: 0 }, { method: 'POST', ...request });
  }

  /**
   * Refuses `url` as a request under `rule` would (scheme, host, addresses), without sending
   * anything: to check a URL when it is configured. A host that does not resolve is refused.
   */
  async check(url: string, rule: UrlRule): Promise<void> {
    const parsed = parseUrl(url);
    try {
      await this.checkedAddresses(parsed, rule);
    } catch (error) {
      if (error instanceof OutboundUrlRefusedError) throw error;
      throw new OutboundUrlRefusedError(`${parsed.hostname} cannot be resolved`);
    }
  }

  private async send(
    url: string,
    policy: OutboundPolicy,
    options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  ): Promise<OutboundResponse> {
    const signal = AbortSignal.timeout(policy.timeoutMs);
    let current = parseUrl(url);
    for (let hop = 0; ; hop++) {
      const addresses = await this.checkedAddresses(current, policy.allowList);
      const agent = new Agent({
        connect: { lookup: pinnedLookup(addresses) },
        connections: 1,
        headersTimeout: policy.timeoutMs,
        bodyTimeout: policy.timeoutMs,
      });
      let response: Awaited<ReturnType<typeof request>>;
      try {
        response = await request(current, {
          method: options.method,
          dispatcher: agent,
          signal,
          headers: { 'user-agent': 'Omni', ...options.headers },
          body: options.body,
        });
      } catch (error) {
        void agent.close();
        throw error;
      }
      const location = response.headers['location'];
      const mayFollow = policy.maxRedirects > 0;
      if (mayFollow && REDIRECT_STATUSES.has(response.statusCode) && typeof location === 'string') {
        discard(response.body, agent);
        if (hop >= policy.maxRedirects) throw new OutboundUrlRefusedError('too many redirects');
        current = parseUrl(location, current);
        continue;
      }
      const declaredSize = Number(response.headers['content-length'] ?? 0);
      if (declaredSize > policy.maxBytes) {
        discard(response.body, agent);
        throw new OutboundResponseTooLargeError(policy.maxBytes);
      }
      const body = pipeline(response.body, limitBytes(policy.maxBytes), () => void agent.close());
      return {
        status: response.statusCode,
        url: current.toString(),
        headers: response.headers,
        body,
      };
    }
  }

  /** The addresses to connect to for `url`, or a refusal. */
  private async checkedAddresses(url: URL, allowList: UrlRule): Promise<ResolvedAddress[]> {
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new OutboundUrlRefusedError(`${url.protocol} URLs are never fetched`);
    const allowed = allowList.match(url);
    if (!allowed) throw new OutboundUrlRefusedError(`${url.host} is not on the allow-list`);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const family = isIP(host);
    // A failed lookup may be temporary (the caller may retry); an empty answer is not.
    const addresses =
      family === 0 ? await this.resolveHost(host) : [{ address: host, family: family as 4 | 6 }];
    if (addresses.length === 0) throw new OutboundUrlRefusedError(`${host} has no address`);
    // One private answer is enough to refuse: the connection could pick any of them.
    if (allowed.mustBePublic && !addresses.every(({ address }) => isPublicAddress(address)))
      throw new OutboundUrlRefusedError(`${host} resolves to a non-public address`);
    return addresses;
  }
}

function parseUrl(value: string, base?: URL): URL {
  try {
    return new URL(value, base);
  } catch {
    throw new OutboundUrlRefusedError('not a URL');
  }
}

/** A socket lookup that answers with the checked addresses only, whatever DNS says now. */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  const [first] = addresses;
  return ((_hostname: string, options: { all?: boolean }, callback: PinnedLookupCallback) => {
    if (options.all) callback(null, addresses);
    else callback(null, first!.address, first!.family);
  }) as LookupFunction;
}

type PinnedLookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | ResolvedAddress[],
  family?: number,
) => void;

/** Drops an answer Omni will not read, and its connection. */
function discard(body: Readable, agent: Agent): void {
  body.on('error', () => {}); // destroying a body that has not ended reports an abort
  body.destroy();
  void agent.close();
}

function limitBytes(maximum: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(seen > maximum ? new OutboundResponseTooLargeError(maximum) : null, chunk);
    },
  });
}
