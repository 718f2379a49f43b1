import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobQueues } from '../../jobs/job-queues.js';
import { ECHO_WAIT_MS } from './outbound-sender.js';

export const OUTBOUND_SWEEP_INTERVAL_MS = 30_000;
/** A reply still pending this long, with no call in flight, lost its job. */
const STALE_AFTER_MS = 60_000;
const BATCH_SIZE = 500;

/**
 * Replies are stored before their job is queued; if Redis lost the job (or was down when it
 * was queued), this queues it again. Sending twice is impossible: the sender claims the row.
 */
export class OutboundSweeper {
  constructor(
    private readonly em: EntityManager,
    private readonly queues: Pick<JobQueues, 'enqueueMany'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async sweep(): Promise<number> {
    const now = this.clock().getTime();
    const stale = await this.em.getConnection().execute<{ id: string }[]>(
      `select id from message
       where status = 'pending' and direction = 'out' and created_at < ?
         and (send_started_at is null or send_started_at < ?)
       order by created_at limit ?`,
      [new Date(now - STALE_AFTER_MS), new Date(now - 2 * ECHO_WAIT_MS), BATCH_SIZE],
    );
    // A fresh job id per round: BullMQ ignores an id it still remembers.
    const round = Math.floor(now / OUTBOUND_SWEEP_INTERVAL_MS);
    await this.queues.enqueueMany(
      'outbound-send',
      stale.map(({ id }) => ({ payload: { messageId: id }, jobId: `${id}-sweep-${round}` })),
    );
    return stale.length;
  }
}
