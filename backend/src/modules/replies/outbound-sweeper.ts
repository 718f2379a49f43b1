import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn } from '../../db/sql.js';
import type { JobQueues } from '../../jobs/job-queues.js';
import { ECHO_WAIT_MS } from './outbound-sender.js';
import { RepliesRepository } from './replies.repository.js';

/** How often the sweep runs: a reply whose job vanished waits about this long. */
export const OUTBOUND_SWEEP_INTERVAL_MS = 5_000;
/**
 * A pending reply whose job has finished (it gave up, or ended without sending) is queued
 * again only once the reply is this old, so a send that is still being settled (an echo on
 * its way) is not cut short.
 */
const STALE_AFTER_MS = 60_000;
/** Younger than this, a reply's job may not be queued yet: the api stores, then enqueues. */
const JOB_EXPECTED_AFTER_MS = 2_000;
const BATCH_SIZE = 500;

/**
 * Replies are stored before their job is queued; if Redis lost the job (it came back empty,
 * or was down when the job was queued), this queues it again under its own id (the message
 * id): at once when the job is missing, after STALE_AFTER_MS when it finished without
 * sending, never while it is queued (waiting out its retry backoff, or running: BullMQ finds
 * a dead worker's job stalled). So a backlog of replies never gets a second job each.
 * Sending twice is impossible anyway: the sender claims the row.
 */
export class OutboundSweeper {
  constructor(
    private readonly em: EntityManager,
    private readonly queues: Pick<JobQueues, 'jobStatus' | 'enqueueAgain'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async sweep(): Promise<number> {
    const now = this.clock().getTime();
    const pending = await new RepliesRepository(sqlIn(this.em)).pendingReplies(
      new Date(now - JOB_EXPECTED_AFTER_MS),
      new Date(now - 2 * ECHO_WAIT_MS),
      BATCH_SIZE,
    );
    const isStale = (reply: { created_at: Date }) =>
      new Date(reply.created_at).getTime() < now - STALE_AFTER_MS;
    const statuses = await Promise.all(
      pending.map((reply) => this.queues.jobStatus('outbound-send', reply.id)),
    );
    const lost = pending.filter(
      (reply, index) =>
        statuses[index] === 'missing' || (statuses[index] === 'finished' && isStale(reply)),
    );
    for (const { id } of lost)
      await this.queues.enqueueAgain('outbound-send', { messageId: id }, id);
    return lost.length;
  }
}
