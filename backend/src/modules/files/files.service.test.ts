import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { useLoopbackServers } from '../../testing/loopback-server.js';
import {
  connectFacebookPage,
  seedConversation,
  signUpTenant,
  useTestApi,
} from '../../testing/test-api.js';
import { Message } from '../conversations/message.entity.js';
import { FACEBOOK_ATTACHMENT_HOSTS, loadConfig } from '../../config.js';
import { OutboundHttp, type HostResolver } from '../outbound-http/outbound-http.js';
import { UrlAllowList } from '../outbound-http/url-allow-list.js';
import { createFileStorage } from './file-storage.js';
import { FileUrlSigner } from './file-url-signer.js';
import { FilesService } from './files.service.js';
import { StoredFile } from './stored-file.entity.js';

const api = useTestApi();

/** A 1×1 PNG: real magic numbers, so sniffing finds image/png. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2d4e6f40000000049454e44ae426082',
  'hex',
);
const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>',
);

const listen = useLoopbackServers();

/** A visitor's message with one image attachment at `url` that Omni has not copied yet. */
async function messageWithImage(url: string) {
  const admin = await signUpTenant(api);
  const { page } = await connectFacebookPage(api, admin.token);
  const conversation = await seedConversation(api, page.id);
  const em = api.orm.em.fork();
  const message = await em.findOneOrFail(Message, { conversation }, { filters: false });
  message.attachments = [
    { kind: 'image', url, title: null, stickerId: null, coordinates: null, facebookType: 'image' },
  ];
  await em.flush();
  return { tenantId: admin.tenant.id, messageId: message.id, pageId: page.id };
}

/** The service as the worker builds it; `allow` and `resolveHost` as each test needs. */
function filesService(allow: readonly string[] = [], resolveHost?: HostResolver): FilesService {
  return new FilesService(
    api.orm.em.fork() as EntityManager,
    createFileStorage(api.config),
    new FileUrlSigner(api.config.jwtSecret),
    {
      http: new OutboundHttp(resolveHost),
      allowList: UrlAllowList.parse([...FACEBOOK_ATTACHMENT_HOSTS, ...allow]),
    },
    async () => {}, // the panels' entries are left to a worker's outbox sweep
  );
}

async function storedBytesOf(tenantId: string): Promise<string[]> {
  return readdir(join(api.config.storageDir, tenantId)).catch(() => []);
}

async function storedFilesOf(tenantId: string): Promise<StoredFile[]> {
  return api.orm.em.fork().find(StoredFile, { tenant: tenantId }, { filters: false });
}

describe("an attachment's copy", () => {
  it('is stored once, linked to its message and page, typed by its bytes (not the header)', async () => {
    const cdn = await listen((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end(PNG);
    });
    const { tenantId, messageId, pageId } = await messageWithImage(`${cdn.origin}/media/p.png`);
    const files = filesService([`${cdn.origin}/media/`]);
    expect(await files.downloadAttachment(messageId, 0)).toBe('stored');
    expect(await files.downloadAttachment(messageId, 0)).toBe('skipped');
    const em = api.orm.em.fork();
    const message = await em.findOneOrFail(Message, messageId, { filters: false });
    const file = await em.findOneOrFail(StoredFile, message.attachments[0]!.storedFileId!, {
      filters: false,
    });
    expect(file).toMatchObject({
      contentType: 'image/png',
      size: PNG.length,
      fileName: 'p.png',
      message: { id: messageId },
      page: { id: pageId },
    });
    expect(await storedBytesOf(tenantId)).toEqual([file.storageKey.split('/')[1]]);
    expect(cdn.hits).toEqual(['/media/p.png']);
  });

  it('is kept once when two downloads of the same attachment run at once', async () => {
    const waiting: (() => void)[] = [];
    // Both requests are answered only once both have arrived: the downloads truly overlap.
    const cdn = await listen((_request, response) => {
      waiting.push(() => response.writeHead(200).end(PNG));
      if (waiting.length === 2) waiting.forEach((answer) => answer());
    });
    const { tenantId, messageId } = await messageWithImage(`${cdn.origin}/media/p.png`);
    const allow = [`${cdn.origin}/media/`];
    const outcomes = await Promise.all([
      filesService(allow).downloadAttachment(messageId, 0),
      filesService(allow).downloadAttachment(messageId, 0),
    ]);
    expect(outcomes.sort()).toEqual(['skipped', 'stored']);
    const files = await storedFilesOf(tenantId);
    expect(files).toHaveLength(1);
    const message = await api.orm.em.fork().findOneOrFail(Message, messageId, { filters: false });
    expect(message.attachments[0]!.storedFileId).toBe(files[0]!.id);
    expect(await storedBytesOf(tenantId)).toEqual([files[0]!.storageKey.split('/')[1]]);
  });

  it('leaves no bytes behind when the message was deleted during the download', async () => {
    let messageId = '';
    const cdn = await listen((_request, response) => {
      // The admin deletes the page (and so its messages) while the file is on its way.
      void api.orm.em
        .fork()
        .nativeDelete(Message, { id: messageId }, { filters: false })
        .then(() => response.end(PNG));
    });
    const seeded = await messageWithImage(`${cdn.origin}/media/p.png`);
    messageId = seeded.messageId;
    expect(await filesService([`${cdn.origin}/media/`]).downloadAttachment(messageId, 0)).toBe(
      'skipped',
    );
    expect(await storedBytesOf(seeded.tenantId)).toEqual([]);
  });
});

describe('an attachment link that points anywhere but the allowed CDNs', () => {
  it.each([
    ['a loopback server', (internal: string) => `${internal}/health`],
    ['a private address', () => 'http://10.0.0.1/admin'],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/'],
    [
      'a redirect to a loopback server',
      (_internal: string, cdn: string) => `${cdn}/media/redirect`,
    ],
    ['a data: URL', () => 'data:image/png;base64,iVBORw0KGgo='],
    ['a file: URL', () => 'file:///etc/passwd'],
    [
      'plain http on an allowed host',
      (internal: string) => `http://scontent.xx.fbcdn.net:${new URL(internal).port}/p.png`,
    ],
    [
      'an allowed host that resolves to a private address',
      () => 'https://scontent.xx.fbcdn.net/v/p.png',
    ],
  ])('is never fetched and nothing is stored: %s', async (_name, urlOf) => {
    const internal = await listen((_request, response) => response.end(PNG));
    const cdn = await listen((_request, response) => {
      response.writeHead(302, { location: `${internal.origin}/health` }).end();
    });
    const { tenantId, messageId } = await messageWithImage(urlOf(internal.origin, cdn.origin));
    const resolveHost: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const files = filesService([`${cdn.origin}/media/`], resolveHost);
    expect(await files.downloadAttachment(messageId, 0)).toBe('refused');
    expect(internal.hits).toEqual([]);
    expect(await storedFilesOf(tenantId)).toEqual([]);
    expect(await storedBytesOf(tenantId)).toEqual([]);
  });

  it('is refused for good when the file is larger than Messenger allows', async () => {
    const cdn = await listen((_request, response) => {
      response.writeHead(200, { 'content-length': String(26 * 1024 * 1024) }).end();
    });
    const { tenantId, messageId } = await messageWithImage(`${cdn.origin}/media/big.mp4`);
    expect(await filesService([`${cdn.origin}/media/`]).downloadAttachment(messageId, 0)).toBe(
      'refused',
    );
    expect(await storedBytesOf(tenantId)).toEqual([]);
  });
});

describe("the demo's pictures", () => {
  it('are fetched by the demo configuration, and nothing else of its origin is', async () => {
    const demo = loadConfig({ DEMO_MODE: 'true', PUBLIC_URL: api.url });
    const picture = await messageWithImage(`${api.url}/api/demo/media/cup.png`);
    expect(
      await filesService(demo.attachmentUrlAllowList).downloadAttachment(picture.messageId, 0),
    ).toBe('stored');
    expect((await storedFilesOf(picture.tenantId))[0]).toMatchObject({ contentType: 'image/png' });
    // GET /api/demo lists the demo logins' passwords: never a tenant's "attachment".
    const passwords = await messageWithImage(`${api.url}/api/demo`);
    expect(
      await filesService(demo.attachmentUrlAllowList).downloadAttachment(passwords.messageId, 0),
    ).toBe('refused');
  });
});

describe('a stored file', () => {
  async function downloadedLink(content: Buffer, contentType: string) {
    const cdn = await listen((_request, response) => {
      response.writeHead(200, { 'content-type': contentType }).end(content);
    });
    const { messageId } = await messageWithImage(`${cdn.origin}/media/file`);
    await filesService([`${cdn.origin}/media/`]).downloadAttachment(messageId, 0);
    const message = await api.orm.em.fork().findOneOrFail(Message, messageId, { filters: false });
    return fetch(
      `${api.url}${new FileUrlSigner(api.config.jwtSecret).urlFor(message.attachments[0]!.storedFileId!)}`,
    );
  }

  it('that can hold script (SVG) downloads as bytes, in a sandbox, never shown in place', async () => {
    const served = await downloadedLink(SVG, 'image/svg+xml');
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/octet-stream');
    expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(served.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(SVG);
  });

  it('that is a raster image shows in place, in the same sandbox', async () => {
    const served = await downloadedLink(PNG, 'application/octet-stream');
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(served.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it("links to FILES_PUBLIC_URL when it is set, not to the panel's origin", () => {
    const url = new FileUrlSigner(api.config.jwtSecret, 'https://files.omni.example').urlFor(
      '0190f7a0-0000-7000-8000-000000000000',
    );
    expect(url).toMatch(/^https:\/\/files\.omni\.example\/api\/files\/0190f7a0-/);
  });
});
