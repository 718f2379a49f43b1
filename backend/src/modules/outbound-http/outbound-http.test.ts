import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { useLoopbackServers } from '../../testing/loopback-server.js';
import {
  OutboundHttp,
  OutboundResponseTooLargeError,
  OutboundUrlRefusedError,
  type HostResolver,
  type OutboundPolicy,
} from './outbound-http.js';
import { isPublicAddress } from './public-address.js';
import { UrlAllowList } from './url-allow-list.js';

const listen = useLoopbackServers();

function policy(entries: string[], overrides: Partial<OutboundPolicy> = {}): OutboundPolicy {
  return {
    allowList: UrlAllowList.parse(entries),
    maxBytes: 1024,
    timeoutMs: 2_000,
    maxRedirects: 3,
    ...overrides,
  };
}

/** DNS as the test says; the names do not exist anywhere else. */
function resolver(answers: Record<string, string[]>): HostResolver {
  return async (hostname) =>
    (answers[hostname] ?? []).map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
}

const FACEBOOK_HOSTS = ['*.fbcdn.net', '*.fbsbx.com'];

describe('outbound requests a tenant can influence', () => {
  it.each([
    'data:image/png;base64,iVBORw0KGgo=',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'ftp://scontent.xx.fbcdn.net/a',
  ])('never fetch %s', async (url) => {
    await expect(new OutboundHttp().get(url, policy(FACEBOOK_HOSTS))).rejects.toThrow(
      OutboundUrlRefusedError,
    );
  });

  it('refuse hosts that are not on the allow-list, loopback and private ones first', async () => {
    const internal = await listen();
    const http = new OutboundHttp();
    for (const url of [
      `${internal.origin}/health`,
      'http://10.0.0.1/',
      'https://169.254.169.254/latest/meta-data/',
      'https://evil.example/picture.png',
      'https://fbcdn.net.evil.example/picture.png',
    ]) {
      await expect(http.get(url, policy(FACEBOOK_HOSTS))).rejects.toThrow(OutboundUrlRefusedError);
    }
    expect(internal.hits).toEqual([]);
  });

  it('refuse plain http and odd ports on an allowed host', async () => {
    const cdn = await listen();
    const port = new URL(cdn.origin).port;
    const http = new OutboundHttp(resolver({ 'scontent.xx.fbcdn.net': ['127.0.0.1'] }));
    for (const url of [
      `http://scontent.xx.fbcdn.net:${port}/v/photo.png`,
      `https://scontent.xx.fbcdn.net:${port}/v/photo.png`,
    ]) {
      await expect(http.get(url, policy(FACEBOOK_HOSTS))).rejects.toThrow(OutboundUrlRefusedError);
    }
    expect(cdn.hits).toEqual([]);
  });

  it.each([
    ['a loopback address', ['127.0.0.1']],
    ['a private address', ['10.1.2.3']],
    ['a link-local address (cloud metadata)', ['169.254.169.254']],
    ['a CGNAT address', ['100.64.0.7']],
    ['an IPv4-mapped loopback address', ['::ffff:127.0.0.1']],
    ['a unique-local IPv6 address', ['fd12::1']],
    ['one private address among public ones', ['157.240.1.1', '192.168.1.10']],
  ])('refuse an allowed host that resolves to %s', async (_name, addresses) => {
    const http = new OutboundHttp(resolver({ 'scontent.xx.fbcdn.net': addresses }));
    await expect(
      http.get('https://scontent.xx.fbcdn.net/v/photo.png', policy(FACEBOOK_HOSTS)),
    ).rejects.toThrow(/non-public address/);
  });

  it('connect to the address they checked, not to a fresh DNS answer', async () => {
    const cdn = await listen();
    const port = new URL(cdn.origin).port;
    // "media.omni-test.invalid" exists only in this resolver: connecting at all proves the
    // socket used the checked answer instead of asking DNS again.
    const http = new OutboundHttp(resolver({ 'media.omni-test.invalid': ['127.0.0.1'] }));
    const response = await http.get(
      `http://media.omni-test.invalid:${port}/media/photo.png`,
      policy([`http://media.omni-test.invalid:${port}/media/`]),
    );
    expect(response.status).toBe(200);
    expect(await text(response.body)).toBe('secret');
    expect(cdn.hits).toEqual(['/media/photo.png']);
  });

  it('trust a configured URL prefix exactly: not the rest of its origin', async () => {
    const server = await listen();
    const http = new OutboundHttp();
    const allowed = policy([`${server.origin}/media/`]);
    expect((await http.get(`${server.origin}/media/a.png`, allowed)).status).toBe(200);
    for (const path of [
      '/api/demo/accounts',
      '/media/../api/demo/accounts',
      '/media-x/a',
      '/media/..%2Fhealth',
    ]) {
      await expect(http.get(`${server.origin}${path}`, allowed)).rejects.toThrow(
        OutboundUrlRefusedError,
      );
    }
    expect(server.hits).toEqual(['/media/a.png']);
  });

  it('check every redirect hop and stop after the limit', async () => {
    const internal = await listen();
    const cdn = await listen((request, response) => {
      const target: Record<string, string> = {
        '/media/to-internal': `${internal.origin}/health`,
        '/media/to-data': 'data:text/html,<script>alert(1)</script>',
        '/media/hop': '/media/final',
        '/media/loop': '/media/loop',
      };
      const location = target[request.url ?? ''];
      if (location) response.writeHead(302, { location }).end();
      else response.end('picture');
    });
    const http = new OutboundHttp();
    const allowed = policy([`${cdn.origin}/media/`]);
    await expect(http.get(`${cdn.origin}/media/to-internal`, allowed)).rejects.toThrow(
      OutboundUrlRefusedError,
    );
    await expect(http.get(`${cdn.origin}/media/to-data`, allowed)).rejects.toThrow(
      OutboundUrlRefusedError,
    );
    await expect(http.get(`${cdn.origin}/media/loop`, allowed)).rejects.toThrow(/too many/);
    const followed = await http.get(`${cdn.origin}/media/hop`, allowed);
    expect([followed.url, await text(followed.body)]).toEqual([
      `${cdn.origin}/media/final`,
      'picture',
    ]);
    expect(internal.hits).toEqual([]);
    expect(cdn.hits.filter((path) => path === '/media/loop')).toHaveLength(4);
  });

  it('refuse bodies over the size limit, declared or not', async () => {
    const cdn = await listen((request, response) => {
      if (request.url === '/media/declared') {
        response.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000));
      } else {
        response.writeHead(200); // chunked: no length announced
        response.end(Buffer.alloc(5000));
      }
    });
    const http = new OutboundHttp();
    const allowed = policy([`${cdn.origin}/media/`]);
    await expect(http.get(`${cdn.origin}/media/declared`, allowed)).rejects.toThrow(
      OutboundResponseTooLargeError,
    );
    const streamed = await http.get(`${cdn.origin}/media/streamed`, allowed);
    await expect(text(streamed.body)).rejects.toThrow(OutboundResponseTooLargeError);
  });

  it('give up after the time limit', async () => {
    const cdn = await listen(() => {}); // never answers
    const started = Date.now();
    await expect(
      new OutboundHttp().get(
        `${cdn.origin}/media/slow`,
        policy([`${cdn.origin}/media/`], { timeoutMs: 300 }),
      ),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('public addresses', () => {
  it('are public unicast only', () => {
    expect(
      ['8.8.8.8', '157.240.1.1', '2a03:2880:f12f:83:face:b00c:0:25de', '::ffff:8.8.8.8'].every(
        isPublicAddress,
      ),
    ).toBe(true);
    const refused = [
      '127.0.0.1',
      '0.0.0.0',
      '10.0.0.1',
      '172.16.0.1',
      '192.168.0.1',
      '100.64.0.1',
      '169.254.169.254',
      '224.0.0.1',
      '255.255.255.255',
      '192.0.2.1',
      '::',
      '::1',
      '::ffff:10.0.0.1',
      'fe80::1',
      'fd00::1',
      'ff02::1',
      '64:ff9b::a00:1',
      '2002:a00:1::',
      'not-an-ip',
    ];
    expect(refused.filter(isPublicAddress)).toEqual([]);
  });
});

describe('an allow-list', () => {
  it('refuses entries that would trust too much or nothing', () => {
    for (const entry of [
      '*',
      '*.com.',
      'http://x/media',
      'ftp://x/',
      'https://u:p@x/',
      'https://x/?a=1',
    ]) {
      expect(() => UrlAllowList.parse([entry]), entry).toThrow();
    }
    expect(
      UrlAllowList.parse(['*.FBCDN.net', 'http://127.0.0.1:5001/api/demo/media/']).describe(),
    ).toEqual(['*.fbcdn.net', 'http://127.0.0.1:5001/api/demo/media/']);
  });
});
