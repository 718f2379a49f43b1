import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobQueues } from '../../jobs/job-queues.js';
import { ECHO_WAIT_MS } from './outbound-sender.js';

/** How often the sweep runs: a reply whose job vanished waits about this long. */
export const OUTBOUND_SWEEP_INTERVAL_MS = 5_000;
/**
 * A pending reply whose job still exists is queued again only once it is this old: its job
 * may be waiting out BullMQ's retry backoff, which a fresh job would cut short.
 */
const STALE_AFTER_MS = 60_000;
/** Stale replies are queued again at most once per this period (one job id per round). */
const STALE_ROUND_MS = 30_000;
/** Younger than this, a reply's job may not be queued yet: the api stores, then enqueues. */
const JOB_EXPECTED_AFTER_MS = 2_000;
const BATCH_SIZE = 500;

/**
 * Replies are stored before their job is queued; if Redis lost the job (it came back empty,
 * or was down when the job was queued), this queues it again: at once when the reply's job
 * (id: the message id) is gone, after STALE_AFTER_MS whatever became of it. Sending twice
 * is impossible: the sender claims the row.
 */
export class OutboundSweeper {
  constructor(
    private readonly em: EntityManager,
    private readonly queues: Pick<JobQueues, 'enqueueMany' | 'hasJob'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async sweep(): Promise<number> {
    const now = this.clock().getTime();
    const pending = await this.em.getConnection().execute<{ id: string; created_at: Date }[]>(
      `select id, created_at from message
       where status = 'pending' and direction = 'out' and created_at < ?
         and (send_started_at is null or send_started_at < ?)
       order by created_at limit ?`,
      [new Date(now - JOB_EXPECTED_AFTER_MS), new Date(now - 2 * ECHO_WAIT_MS), BATCH_SIZE],
    );
    const isStale = (reply: { created_at: Date }) =>
      new Date(reply.created_at).getTime() < now - STALE_AFTER_MS;
    const young = pending.filter((reply) => !isStale(reply));
    const hasJob = await Promise.all(
      young.map((reply) => this.queues.hasJob('outbound-send', reply.id)),
    );
    // A reply without a job gets its own id back (BullMQ ignores it if it reappeared); a
    // stale one a fresh id per round, as BullMQ ignores an id it still remembers.
    const round = Math.floor(now / STALE_ROUND_MS);
    const jobs = [
      ...young
        .filter((_reply, index) => !hasJob[index])
        .map(({ id }) => ({ payload: { messageId: id }, jobId: id })),
      ...pending
        .filter(isStale)
        .map(({ id }) => ({ payload: { messageId: id }, jobId: `${id}-sweep-${round}` })),
    ];
    await this.queues.enqueueMany('outbound-send', jobs);
    return jobs.length;
  }
}
