import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../logger.js';
import { OutboxDispatcher } from '../../../outbox/outbox-dispatcher.js';
import type { InboundFollowUpsPayload } from '../../../outbox/outbox-map.js';
import { handlersFor } from '../../../testing/outbox-handlers.js';
import {
  connectFacebookPage,
  signUpTenant,
  startTestWorker,
  useTestApi,
} from '../../../testing/test-api.js';
import { Tenant } from '../../tenants/tenant.entity.js';
import { WebhookEvent } from '../webhook-event.entity.js';
import { InboundService } from './inbound.service.js';
import {
  attachment,
  attachmentMessage,
  delivery,
  entry,
  newMid,
} from '../../../testing/messenger-fixtures.js';

/**
 * What a committed inbound batch must cause (panel events, the profile and attachment jobs)
 * survives the process dying right after the commit: it was committed with the batch, in
 * the outbox, and a worker's outbox sweep performs it. Its own database, so only this
 * file's worker sweeps its outbox; the tests drain deliveries themselves, before any worker
 * runs, so no worker's drain takes them first.
 */
const api = useTestApi({}, { ownDatabase: true });
let worker: { stop: () => Promise<void> } | undefined;
afterAll(() => worker?.stop());

/** A 1×1 PNG. */
const picture = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2d4e6f40000000049454e44ae426082',
  'hex',
);

async function connectPanel(token: string): Promise<Socket> {
  const socket = io(api.url, { auth: { token }, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) =>
    socket.once('connect', () => resolve()).once('connect_error', reject),
  );
  return socket;
}

async function count(text: string, params: unknown[]): Promise<number> {
  const [row] = await api.orm.em.getConnection().execute<{ count: number }[]>(text, params);
  return row!.count;
}

/** Stores a delivery as the webhook stores it (pending), for a test to drain. */
async function storeDelivery(tenantId: string, body: unknown, pageId: string): Promise<void> {
  const em = api.orm.em.fork();
  const stored = new WebhookEvent(
    em.getReference(Tenant, tenantId),
    Buffer.from(JSON.stringify(body)),
    [pageId],
  );
  await em.persist(stored).flush();
}

describe('follow-ups of a committed inbound batch', () => {
  it('are committed with the batch and performed by the drain at once, leaving no outbox entry', async () => {
    const admin = await signUpTenant(api);
    const connected = await connectFacebookPage(api, admin.token);
    const pageId = connected.page.pageId;
    const psid = `7900${Date.now()}`;
    await storeDelivery(
      admin.tenant.id,
      delivery(
        entry(
          pageId,
          attachmentMessage({
            psid,
            pageId,
            attachments: [attachment('image'), attachment('file')],
          }),
        ),
      ),
      pageId,
    );
    const performed: { followUps: InboundFollowUpsPayload; tenantId: string }[] = [];
    const dispatcher = new OutboxDispatcher(
      api.orm.em.fork(),
      handlersFor({
        'inbound-follow-ups': async (followUps, entry) => {
          performed.push({ followUps, tenantId: entry.tenantId });
        },
      }),
      createLogger(api.config),
    );

    await new InboundService(api.orm.em.fork(), createLogger(api.config)).drain(
      (_outcomes, outboxEntryIds) => dispatcher.dispatchCommitted(outboxEntryIds),
    );

    const [message] = await api.orm.em
      .getConnection()
      .execute<{ id: string; conversation_id: string; contact_id: string }[]>(
        'select m.id, m.conversation_id, c.contact_id from message m join conversation c on c.id = m.conversation_id where m.tenant_id = ?',
        [admin.tenant.id],
      );
    expect(performed).toEqual([
      {
        tenantId: admin.tenant.id,
        followUps: {
          conversationIds: [message!.conversation_id],
          queuedConversationIds: [message!.conversation_id],
          createdConversationIds: [message!.conversation_id],
          newMessageIds: [message!.id],
          updatedMessageIds: [],
          attachmentDownloads: [
            { messageId: message!.id, index: 0 },
            { messageId: message!.id, index: 1 },
          ],
          contactIdsNeedingProfile: [message!.contact_id],
        },
      },
    ]);
    expect(
      await count('select count(*)::int as count from outbox_entry where tenant_id = ?', [
        admin.tenant.id,
      ]),
    ).toBe(0);
  });

  it('still reach the panel and start the profile and attachment jobs, once, when the worker died right after the commit', async () => {
    const admin = await signUpTenant(api);
    const connected = await connectFacebookPage(api, admin.token);
    const pageId = connected.page.pageId;
    const psid = `7800${Date.now()}`;
    api.fakeGraph.registerUser({ pageId, psid, firstName: 'Ada', lastName: 'Lovelace' });
    const fileName = `photo-${newMid()}.png`;
    api.fakeGraph.publishCdnFile(fileName, { content: picture, contentType: 'image/png' });
    const panel = await connectPanel(admin.token);
    const created: { id: string; text: string | null }[] = [];
    panel.on('message.created', (message: { id: string; text: string | null }) =>
      created.push(message),
    );
    try {
      // Stored as the webhook stores it; drained here by a process that dies after the commit.
      const body = delivery(
        entry(
          pageId,
          attachmentMessage({
            psid,
            pageId,
            text: 'a photo',
            attachments: [attachment('image', { url: api.fakeGraph.cdnUrl(fileName) })],
          }),
        ),
      );
      await storeDelivery(admin.tenant.id, body, pageId);
      await expect(
        new InboundService(api.orm.em.fork(), createLogger(api.config)).drain(async () => {
          throw new Error('the worker died after the commit');
        }),
      ).rejects.toThrow('the worker died after the commit');
      const outboxOfTenant = () =>
        count('select count(*)::int as count from outbox_entry where tenant_id = ?', [
          admin.tenant.id,
        ]);
      expect(await outboxOfTenant()).toBe(1);

      // A worker starts again: its outbox sweep performs what the dead one left.
      worker = await startTestWorker(api);

      await expect
        .poll(() => created.map(({ text }) => text), { timeout: 15_000 })
        .toEqual(['a photo']);
      await expect.poll(outboxOfTenant, { timeout: 15_000 }).toBe(0);
      const [message] = await api.orm.em
        .getConnection()
        .execute<{ id: string }[]>('select id from message where tenant_id = ?', [admin.tenant.id]);
      expect(created[0]!.id).toBe(message!.id);
      const storedFiles = () =>
        count('select count(*)::int as count from stored_file where message_id = ?', [message!.id]);
      await expect.poll(storedFiles, { timeout: 15_000 }).toBe(1);
      await expect
        .poll(
          () =>
            count(
              `select count(*)::int as count from contact
               where tenant_id = ? and psid = ? and first_name = 'Ada' and last_name = 'Lovelace'`,
              [admin.tenant.id, psid],
            ),
          { timeout: 15_000 },
        )
        .toBe(1);
      // Exactly once in effect: one event, one profile request, one download.
      expect(created).toHaveLength(1);
      expect(
        api.fakeGraph.requests().filter((request) => request.path === `/${psid}`),
      ).toHaveLength(1);
      expect(api.fakeGraph.cdnDownloadCount(fileName)).toBe(1);
    } finally {
      panel.disconnect();
    }
  });
});
