import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { deleteRedisKeys } from '../../testing/test-environment.js';
import {
  connectFacebookPage,
  seedConversationWithVisitor,
  signUpTenant,
  startTestWorker,
  useTestApi,
} from '../../test/test-api.js';
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
  it('queues a young pending reply again at once when its job is gone, and leaves one whose job exists to its retries', async () => {
    const { reply } = await setUp();
    const jobless = await reply('My job was lost');
    const retrying = await reply('My job waits out its backoff');
    await api.orm.em
      .getConnection()
      .execute(`update message set created_at = now() - interval '10 seconds' where id in (?, ?)`, [
        jobless,
        retrying,
      ]);
    const queued: { messageId: string; jobId: string }[] = [];
    const sweeper = new OutboundSweeper(api.orm.em.fork() as EntityManager, {
      hasJob: async (_name, jobId) => jobId === retrying,
      enqueueMany: async (_name, jobs) =>
        void queued.push(
          ...jobs.map((job) => ({
            messageId: (job.payload as { messageId: string }).messageId,
            jobId: job.jobId,
          })),
        ),
    });

    expect(await sweeper.sweep()).toBe(1);
    expect(queued).toEqual([{ messageId: jobless, jobId: jobless }]);
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
