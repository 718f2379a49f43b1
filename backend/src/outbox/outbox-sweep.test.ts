import { RequestContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../crypto/secret-box.js';
import { scopeToTenant } from '../db/tenant-filter.js';
import { PasswordHasher } from '../modules/auth/password-hasher.js';
import { ContactProfilesService } from '../modules/conversations/contact-profiles.service.js';
import { Conversation } from '../modules/conversations/conversation.entity.js';
import type {
  ConversationDto,
  MessageDto,
} from '../modules/conversations/conversations.schemas.js';
import { Message } from '../modules/conversations/message.entity.js';
import { FacebookPagesService } from '../modules/facebook/facebook-pages.service.js';
import { FetchGraphClient } from '../modules/facebook/graph/fetch-graph-client.js';
import { createFileStorage } from '../modules/files/file-storage.js';
import { FileUrlSigner } from '../modules/files/file-url-signer.js';
import { FilesService } from '../modules/files/files.service.js';
import { OutboundHttp } from '../modules/outbound-http/outbound-http.js';
import { UrlAllowList } from '../modules/outbound-http/url-allow-list.js';
import type { UserDto } from '../modules/operators/operators.schemas.js';
import { OperatorsService } from '../modules/operators/operators.service.js';
import { OutboundSender } from '../modules/replies/outbound-sender.js';
import { QueueNoticesService } from '../modules/routing/queue-notices.service.js';
import type { DispatchCommitted } from './outbox.js';
import {
  connectFacebookPage,
  connectSocket,
  seedConversationWithVisitor,
  signUpTenant,
  startTestWorker,
  useTestApi,
  type SignedIn,
} from '../testing/test-api.js';

/**
 * Whatever a committed change must cause in the panels and the queue (events, jobs) still
 * happens when the process that committed it dies before performing it: it was committed
 * with the change, in the outbox, and the worker's outbox sweep performs it. Each test
 * drives a service as that process, whose dispatch right after the commit fails. Its own
 * database, so only this file's worker sweeps its outbox.
 */
const api = useTestApi({}, { ownDatabase: true });
const sockets: Socket[] = [];
let worker: { stop: () => Promise<void> } | undefined;
beforeAll(async () => {
  worker = await startTestWorker(api);
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await worker?.stop();
});

const DIED = 'the process died after the commit';
const dies: DispatchCommitted = async () => {
  throw new Error(DIED);
};
const SWEPT = { timeout: 15_000 };

const em = () => api.orm.em.fork() as EntityManager;
const graph = () =>
  new FetchGraphClient({ baseUrl: api.fakeGraph.url, version: api.config.facebookGraphVersion });
const secrets = () => new SecretBox(api.config.encryptionKey);

/** A tenant with a page, a visitor's open conversation and the admin's panel. */
async function setUp(settings: Record<string, unknown> = {}) {
  const admin = await signUpTenant(api);
  if (Object.keys(settings).length > 0) {
    const patched = await api.request('PATCH', '/api/tenant', {
      token: admin.token,
      body: settings,
    });
    expect(patched.status).toBe(200);
  }
  const { page } = await connectFacebookPage(api, admin.token);
  const conversation = await seedConversationWithVisitor(api, page);
  const panel = await connectSocket(api, admin.token, sockets);
  return { admin, page, conversation, panel };
}

/** Every payload of `event` the panel receives from now on. */
function record<T>(panel: Socket, event: string): T[] {
  const received: T[] = [];
  panel.on(event, (payload: T) => received.push(payload));
  return received;
}

async function outboxOf(tenantId: string): Promise<number> {
  const [row] = await api.orm.em
    .getConnection()
    .execute<{ count: number }[]>(
      'select count(*)::int as count from outbox_entry where tenant_id = ?',
      [tenantId],
    );
  return row!.count;
}

/** Runs `work` as a request of `admin` would (tenant scope on). */
function asRequestOf<T>(admin: SignedIn, work: (em: EntityManager) => Promise<T>): Promise<T> {
  const requestEm = api.orm.em as EntityManager;
  return RequestContext.create(requestEm, () => {
    scopeToTenant(requestEm, admin.tenant.id);
    return work(requestEm);
  });
}

describe('what a committed change must cause, when its process dies after the commit', () => {
  it("a send's outcome reaches the panel", async () => {
    const { admin, conversation, panel } = await setUp();
    const updated = record<MessageDto>(panel, 'message.updated');
    const writer = em();
    const stored = await writer.findOneOrFail(Conversation, conversation.id, {
      filters: false,
      populate: ['tenant', 'page'],
    });
    const reply = new Message(
      stored.tenant,
      stored,
      stored.page,
      'out',
      'operator',
      'text',
      new Date(),
      '',
    );
    reply.dedupKey = `omni:${reply.id}`;
    reply.text = 'Sent before the crash';
    reply.status = 'pending';
    await writer.persist(reply).flush();
    const sender = new OutboundSender(em(), graph(), secrets(), (id) => `/files/${id}`, dies);

    await expect(sender.send(reply.id)).rejects.toThrow(DIED);

    await expect
      .poll(() => updated.map(({ id, status }) => ({ id, status })), SWEPT)
      .toEqual([{ id: reply.id, status: 'sent' }]);
    await expect.poll(() => outboxOf(admin.tenant.id), SWEPT).toBe(0);
  });

  it("a visitor's fetched profile reaches the panel", async () => {
    const { admin, page, conversation, panel } = await setUp();
    const updated = record<ConversationDto>(panel, 'conversation.updated');
    api.fakeGraph.registerUser({
      pageId: page.pageId,
      psid: conversation.contact.psid,
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    const profiles = new ContactProfilesService(em(), graph(), secrets(), dies);

    await expect(profiles.refresh([conversation.contact.id])).rejects.toThrow(DIED);

    await expect
      .poll(() => updated.map(({ id, contact }) => ({ id, name: contact.name })), SWEPT)
      .toEqual([{ id: conversation.id, name: 'Grace Hopper' }]);
    await expect.poll(() => outboxOf(admin.tenant.id), SWEPT).toBe(0);
  });

  it("an attachment's stored copy reaches the panel", async () => {
    const { admin, conversation, panel } = await setUp();
    const updated = record<MessageDto>(panel, 'message.updated');
    const fileName = `photo-${conversation.id}.png`;
    api.fakeGraph.publishCdnFile(fileName, { content: PNG, contentType: 'image/png' });
    const writer = em();
    const message = await writer.findOneOrFail(Message, { conversation }, { filters: false });
    message.attachments = [
      {
        kind: 'image',
        url: api.fakeGraph.cdnUrl(fileName),
        title: null,
        stickerId: null,
        coordinates: null,
        facebookType: 'image',
      },
    ];
    await writer.flush();
    const files = new FilesService(
      em(),
      createFileStorage(api.config),
      new FileUrlSigner(api.config.jwtSecret),
      {
        http: new OutboundHttp(),
        allowList: UrlAllowList.parse(api.config.attachmentUrlAllowList),
      },
      dies,
    );

    await expect(files.downloadAttachment(message.id, 0)).rejects.toThrow(DIED);

    await expect
      .poll(
        () => updated.map(({ id, attachments }) => ({ id, stored: !!attachments[0]?.fileUrl })),
        SWEPT,
      )
      .toEqual([{ id: message.id, stored: true }]);
    await expect.poll(() => outboxOf(admin.tenant.id), SWEPT).toBe(0);
  });

  it('a queue notice reaches the panel and the visitor', async () => {
    const { admin, page, conversation, panel } = await setUp({ offlineNoticeEnabled: true });
    const created = record<MessageDto>(panel, 'message.created');
    const notices = new QueueNoticesService(em(), dies);

    await expect(notices.prepare(conversation.id)).rejects.toThrow(DIED);

    await expect
      .poll(() => created.map(({ conversationId, source }) => ({ conversationId, source })), SWEPT)
      .toEqual([{ conversationId: conversation.id, source: 'automatic' }]);
    await expect
      .poll(() => api.fakeGraph.sentMessages(page.pageId).map(({ text }) => text), SWEPT)
      .toEqual([expect.stringContaining('offline')]);
    await expect.poll(() => outboxOf(admin.tenant.id), SWEPT).toBe(0);
  });

  it("an operator's new status reaches the panel", async () => {
    const { admin, panel } = await setUp();
    const updated = record<UserDto>(panel, 'operator.updated');
    const operators = new OperatorsService(em(), new PasswordHasher(), dies, async () => [], {
      endAllOf: async () => {},
      disconnectUser: () => {},
    });

    await expect(
      operators.changeStatus(admin.tenant.id, admin.user.id, 'online', 'operator_offline'),
    ).rejects.toThrow(DIED);

    await expect
      .poll(() => updated.map(({ id, status }) => ({ id, status })), SWEPT)
      .toEqual([{ id: admin.user.id, status: 'online' }]);
    await expect.poll(() => outboxOf(admin.tenant.id), SWEPT).toBe(0);
  });

  it("a page's new reply window, then its deletion, reach the panel", async () => {
    const { admin, page, conversation, panel } = await setUp();
    const updated = record<ConversationDto>(panel, 'conversation.updated');
    const deleted = record<{ id: string; pageId: string }>(panel, 'page.deleted');
    const pages = (requestEm: EntityManager) =>
      new FacebookPagesService(
        requestEm,
        graph(),
        secrets(),
        api.config,
        { forget: () => {} },
        { remove: async () => {} },
        dies,
        { probe: async () => 'recorded' as const }, // page health is not what this test is about
      );
    const actor = { userId: admin.user.id, tenantId: admin.tenant.id, role: 'admin' as const };

    await expect(
      asRequestOf(admin, (requestEm) =>
        pages(requestEm).update(actor, page.id, { humanAgentEnabled: true }),
      ),
    ).rejects.toThrow(DIED);
    await expect
      .poll(
        () =>
          updated.map(({ id, replyWindow }) => ({
            id,
            humanAgent: replyWindow.humanAgentClosesAt !== null,
          })),
        SWEPT,
      )
      .toEqual([{ id: conversation.id, humanAgent: true }]);

    await expect(
      asRequestOf(admin, (requestEm) => pages(requestEm).remove(actor, page.id)),
    ).rejects.toThrow(DIED);
    await expect.poll(() => deleted, SWEPT).toEqual([{ id: page.id, pageId: page.pageId }]);
    await expect.poll(() => outboxOf(admin.tenant.id), SWEPT).toBe(0);
  });
});

/** A 1×1 PNG: real magic numbers, so sniffing finds image/png. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2d4e6f40000000049454e44ae426082',
  'hex',
);
