import { isSameSecret } from '../../crypto/same-secret.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AggregatorRegistry, Gauge } from 'prom-client';
import { sqlIn } from '../../db/sql.js';
import { NotFoundError, UnauthenticatedError } from '../../errors.js';
import type { JobQueues } from '../../jobs/job-queues.js';
import type { Logger } from '../../logger.js';
import { MetricsRepository } from './metrics.repository.js';
import { METRIC_PREFIX, type OmniMetrics } from './omni-metrics.js';
import type { MetricsSnapshot, WorkerMetricsSnapshots } from './worker-metrics-snapshots.js';

/** The job states whose counts make a queue's backlog. */
export const BACKLOG_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/**
 * GET /metrics: the api's own metrics, the workers' latest snapshots (see
 * WorkerMetricsSnapshots) and figures read at scrape time, once per scrape rather than on
 * any hot path: the conversations waiting in every tenant's queue together (one indexed
 * count) and each BullMQ queue's backlog.
 */
export class MetricsService {
  constructor(
    private readonly metrics: OmniMetrics,
    private readonly workerSnapshots: WorkerMetricsSnapshots,
    em: EntityManager,
    queues: Pick<JobQueues, 'countJobs'>,
    /** METRICS_TOKEN; null: /metrics is not served at all. */
    private readonly token: string | null,
    private readonly logger: Logger,
  ) {
    const registers = [metrics.registry];
    const warn = (what: string) => (error: unknown) =>
      this.logger.warn({ err: error }, `could not read ${what} for /metrics`);
    new Gauge({
      name: `${METRIC_PREFIX}queue_waiting_conversations`,
      help: 'Conversations waiting in the queue, all tenants together',
      registers,
      collect: async function (this: Gauge) {
        this.reset();
        await new MetricsRepository(sqlIn(em))
          .countWaitingConversations()
          .then((count) => this.set(count), warn('the queue'));
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}job_backlog`,
      help: 'Background jobs by queue and state (waiting, active, delayed, prioritized, failed)',
      labelNames: ['queue', 'state'],
      registers,
      collect: async function (this: Gauge<'queue' | 'state'>) {
        this.reset();
        await queues.countJobs(BACKLOG_STATES).then((counts) => {
          for (const [queue, byState] of Object.entries(counts)) {
            for (const [state, count] of Object.entries(byState)) this.set({ queue, state }, count);
          }
        }, warn('the job queues'));
      },
    });
  }

  /**
   * The exposition text. 404 when METRICS_TOKEN is not set (as if there were no such
   * route), 401 without `Authorization: Bearer <METRICS_TOKEN>`.
   */
  async scrape(authorization: string | undefined): Promise<{ text: string; contentType: string }> {
    if (this.token === null) throw new NotFoundError('The metrics endpoint');
    const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    if (!presented || !isSameSecret(this.token, presented)) {
      throw new UnauthenticatedError('Send Authorization: Bearer <METRICS_TOKEN>.');
    }
    const [own, workers] = await Promise.all([
      this.metrics.registry.getMetricsAsJSON(),
      this.workerSnapshots.readAll().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'could not read the workers’ metrics');
        return [];
      }),
    ]);
    // Sums what several processes of one role recorded (counters, histograms); the series of
    // the api and of the workers stay apart by their `role` label.
    const merged = AggregatorRegistry.aggregate([own, ...workers].map(keepStartTimes));
    return { text: await merged.metrics(), contentType: merged.contentType };
  }
}

/**
 * prom-client omits a process's start time when it aggregates (cluster workers start
 * together); here each role's newest start shows, so a restarted worker is seen.
 */
function keepStartTimes(snapshot: MetricsSnapshot): MetricsSnapshot {
  return snapshot.map((metric) =>
    metric.aggregator === 'omit' ? { ...metric, aggregator: 'max' } : metric,
  );
}
