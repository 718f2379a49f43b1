import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { deleteRedisKeys } from '../../testing/test-environment.js';
import {
  connectFacebookPage,
  seedConversationWithVisitor,
  signUpTenant,
  startTestWorker,
  useTestApi,
} from '../../testing/test-api.js';
import type { JobStatus } from '../../jobs/job-queues.js';
import { OutboundSweeper } from './outbound-sweeper.js';

/**
 * Replies whose job Redis lost are sent again. Its own database and Redis prefix: a test
 * empties that Redis, and replies are written while no worker runs.
 */
const api = useTestApi({}, { ownDatabase: true });

/** An admin, a page, and a conversation whose visitor wrote a while ago (the window is open). */
async function setUp() {
  const admin = await signUpTenant(api);
  const { page } = await connectFacebookPage(api, admin.token);
  const conversation = await seedConversationWithVisitor(api, page);
  const reply = async (text: string): Promise<string> => {
    const response = await api.request('POST', `/api/conversations/${conversation.id}/messages`, {
      token: admin.token,
      body: { text },
    });
    expect(response.status).toBe(202);
    return response.body.id;
  };
  return { page, reply };
}

describe('the outbound sweep', () => {
  it('queues a reply again under its own id when its job is gone or finished long ago, never while it is queued', async () => {
    const { reply } = await setUp();
    const jobless = await reply('My job was lost');
    const waiting = await reply('My job waits for a free sender, however long');
    const gaveUp = await reply('My job gave up a while ago');
    const justFinished = await reply('My job just finished; the echo may be on its way');
    const agedSeconds: Record<string, number> = {
      [jobless]: 10,
      [waiting]: 600,
      [gaveUp]: 600,
      [justFinished]: 10,
    };
    for (const [id, seconds] of Object.entries(agedSeconds)) {
      await api.orm.em
        .getConnection()
        .execute(`update message set created_at = now() - ? * interval '1 second' where id = ?`, [
          seconds,
          id,
        ]);
    }
    const status: Record<string, JobStatus> = {
      [jobless]: 'missing',
      [waiting]: 'queued',
      [gaveUp]: 'finished',
      [justFinished]: 'finished',
    };
    const queued: { messageId: string; jobId: string }[] = [];
    const sweeper = new OutboundSweeper(api.orm.em.fork() as EntityManager, {
      jobStatus: async (_name, jobId) => status[jobId] ?? 'queued',
      enqueueAgain: async (_name, payload, jobId) =>
        void queued.push({ messageId: (payload as { messageId: string }).messageId, jobId }),
    });

    expect(await sweeper.sweep()).toBe(2);
    expect(queued).toEqual([
      { messageId: gaveUp, jobId: gaveUp },
      { messageId: jobless, jobId: jobless },
    ]);
    // Sweeping again and again adds nothing for the waiting one: one job per reply.
    await sweeper.sweep();
    expect(queued.filter((job) => job.messageId === waiting)).toEqual([]);
  });

  it('sends a pending reply within seconds after Redis came back empty', async () => {
    const { page, reply } = await setUp();
    const text = `Sent after Redis came back ${Date.now()}`;
    await reply(text); // no worker yet: its job waits in Redis
    await deleteRedisKeys(api.config.redisUrl, api.config.redisPrefix);

    const worker = await startTestWorker(api);
    try {
      await expect
        .poll(
          () =>
            api.fakeGraph
              .sentMessages(page.pageId)
              .filter((sent) => sent.text === text)
              .map((sent) => sent.text),
          { timeout: 12_000, interval: 200 },
        )
        .toEqual([text]);
    } finally {
      await worker.stop();
    }
  }, 20_000);
});
