import { RequestContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { scopeToTenant } from '../../db/tenant-filter.js';
import {
  connectFacebookPage,
  connectSocket,
  seedConversationWithVisitor,
  signUpTenant,
  startTestWorker,
  useTestApi,
} from '../../testing/test-api.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { RepliesService } from './replies.service.js';

/**
 * What a stored reply must cause (its send job, the panels' event) survives the api failing
 * or dying right after the commit: it was committed with the reply, in the outbox, and the
 * worker's outbox sweep performs it. Its own database, so only this file's worker sweeps.
 */
const api = useTestApi({}, { ownDatabase: true });
const sockets: Socket[] = [];
afterAll(() => sockets.forEach((socket) => socket.disconnect()));

describe('follow-ups of a stored reply', () => {
  it('still reach the panel and send the reply, once, when the api died right after the commit', async () => {
    const admin = await signUpTenant(api);
    const { page } = await connectFacebookPage(api, admin.token);
    const conversation = await seedConversationWithVisitor(api, page);
    const panel = await connectSocket(api, admin.token, sockets);
    const created: { id: string; text: string | null }[] = [];
    panel.on('message.created', (message: { id: string; text: string | null }) =>
      created.push(message),
    );
    const em = api.orm.em as EntityManager;
    const linkFile = (fileId: string) => `/files/${fileId}`;
    const dying = new RepliesService(
      em,
      new ConversationsService(em, linkFile),
      async () => {
        throw new Error('the api died after the commit');
      },
      linkFile,
      { storeUpload: () => Promise.reject(new Error('No uploads here')) },
    );
    const actor = { userId: admin.user.id, tenantId: admin.tenant.id, role: 'admin' as const };

    await expect(
      RequestContext.create(em, () => {
        scopeToTenant(em, admin.tenant.id);
        return dying.reply(actor, conversation.id, { text: 'Survives the crash' });
      }),
    ).rejects.toThrow('the api died after the commit');
    const [stored] = await em
      .getConnection()
      .execute<{ id: string; status: string }[]>(
        `select id, status from message where conversation_id = ? and direction = 'out'`,
        [conversation.id],
      );
    expect(stored?.status).toBe('pending');

    const worker = await startTestWorker(api);
    try {
      await expect
        .poll(() => created.map(({ id, text }) => ({ id, text })), { timeout: 15_000 })
        .toEqual([{ id: stored!.id, text: 'Survives the crash' }]);
      await expect
        .poll(() => api.fakeGraph.sentMessages(page.pageId).map((sent) => sent.text), {
          timeout: 15_000,
        })
        .toEqual(['Survives the crash']);
      // The send's outcome commits an entry of its own (message.updated): wait for it too.
      const outboxOfTenant = async () => {
        const [outbox] = await em
          .getConnection()
          .execute<{ count: number }[]>(
            'select count(*)::int as count from outbox_entry where tenant_id = ?',
            [admin.tenant.id],
          );
        return outbox!.count;
      };
      await expect.poll(outboxOfTenant, { timeout: 15_000 }).toBe(0);
      expect(created).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });
});
