import type { Logger } from '../logger.js';
import { INBOUND_DRAIN_LANES } from '../modules/facebook/inbound/inbound.service.js';
import { SWEEP_INTERVAL_MS } from '../modules/facebook/inbound/webhook-sweeper.js';
import { RETENTION_SWEEP_INTERVAL_MS } from '../modules/facebook/inbound/webhook-retention.js';
import { SUBSCRIPTION_CHECK_INTERVAL_MS } from '../modules/facebook/page-subscriptions.service.js';
import { PAGE_HEALTH_SWEEP_INTERVAL_MS } from '../modules/page-health/page-health-sweep.js';
import { HEARTBEAT_INTERVAL_MS } from '../modules/health/heartbeat.jobs.js';
import { OUTBOUND_SWEEP_INTERVAL_MS } from '../modules/replies/outbound-sweeper.js';
import { ROUTING_SWEEP_INTERVAL_MS } from '../modules/routing/routing-sweeper.js';
import { AUTO_CLOSE_SWEEP_INTERVAL_MS } from '../modules/routing/auto-close-sweeper.js';
import { OUTBOX_SWEEP_INTERVAL_MS } from '../outbox/outbox-dispatcher.js';
import { WEBHOOK_DELIVERY_SWEEP_INTERVAL_MS } from '../modules/outbound-webhooks/webhook-delivery-sweeper.js';
import type { JobName, JobPayloads } from './job-map.js';
import type { JobQueues } from './job-queues.js';

/** The jobs that take no payload: the only ones a schedule can run. */
export type ScheduledJobName = {
  [N in JobName]: JobPayloads[N] extends Record<string, never> ? N : never;
}[JobName];

/**
 * Every repeating job and how often it runs. A new schedule is one line here; the workers
 * keep every line of this table in Redis (`JobScheduleKeeper`).
 */
export const JOB_SCHEDULES: Partial<Record<ScheduledJobName, number>> = {
  'worker-heartbeat': HEARTBEAT_INTERVAL_MS,
  'webhook-sweep': SWEEP_INTERVAL_MS,
  'webhook-retention': RETENTION_SWEEP_INTERVAL_MS,
  'routing-sweep': ROUTING_SWEEP_INTERVAL_MS,
  'auto-close-sweep': AUTO_CLOSE_SWEEP_INTERVAL_MS,
  'outbound-sweep': OUTBOUND_SWEEP_INTERVAL_MS,
  'outbox-dispatch': OUTBOX_SWEEP_INTERVAL_MS,
  'page-subscription-check': SUBSCRIPTION_CHECK_INTERVAL_MS,
  'page-health-sweep': PAGE_HEALTH_SWEEP_INTERVAL_MS,
  'webhook-delivery-sweep': WEBHOOK_DELIVERY_SWEEP_INTERVAL_MS,
};

/**
 * How often each worker puts back the schedules Redis lost. Redis may come back empty at
 * any time (a restart without persistence, a failover); the sweeps then stop until this
 * runs, so it bounds how long the workers stay blind to work stored in PostgreSQL.
 */
export const SCHEDULE_CHECK_INTERVAL_MS = 10_000;

/**
 * Keeps `JOB_SCHEDULES` in Redis for as long as the worker runs: at start, then every
 * `SCHEDULE_CHECK_INTERVAL_MS`. Upserting a job scheduler is idempotent (an existing one
 * keeps its next run), so every worker may do it, however many there are.
 */
export class JobScheduleKeeper {
  private timer: NodeJS.Timeout | undefined;
  /** While Redis is down upserts wait for it: one check at a time, not one per tick. */
  private isChecking = false;

  constructor(
    private readonly queues: Pick<JobQueues, 'schedule'>,
    private readonly logger: Logger,
    private readonly schedules = JOB_SCHEDULES,
  ) {}

  /** Upserts every schedule now (rejects when Redis does not answer), then keeps them. */
  async start(): Promise<void> {
    await this.upsertAll();
    this.timer = setInterval(() => {
      if (this.isChecking) return;
      this.isChecking = true;
      this.upsertAll()
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'could not check the job schedules'),
        )
        .finally(() => (this.isChecking = false));
    }, SCHEDULE_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async upsertAll(): Promise<void> {
    await Promise.all(
      Object.entries(this.schedules).map(([name, everyMs]) =>
        this.queues.schedule(name as ScheduledJobName, {}, everyMs),
      ),
    );
  }
}

/** The sweeps a worker runs the moment it starts (with its heartbeat, so /health sees it). */
const SWEEPS_ON_START = ['worker-heartbeat', 'routing-sweep', 'outbound-sweep'] as const;

/**
 * Picks up stored work as soon as a worker starts, instead of at the next sweep: a worker
 * that replaces a dead one resumes within seconds. The jobs get fresh ids and bypass the
 * wake-ups' deduplication on purpose: the wake-ups a dead worker held stay "active" in
 * Redis until BullMQ finds them stalled, and would swallow these.
 */
export async function wakeOnStart(queues: Pick<JobQueues, 'enqueue' | 'enqueueMany'>) {
  const startId = `start-${process.pid}-${Date.now()}`;
  await Promise.all([
    ...SWEEPS_ON_START.map((name) => queues.enqueue(name, {}, { jobId: `${name}-${startId}` })),
    queues.enqueueMany(
      'inbound-drain',
      INBOUND_DRAIN_LANES.map((lane) => ({ payload: { lane }, jobId: `drain-${lane}-${startId}` })),
    ),
  ]);
}
