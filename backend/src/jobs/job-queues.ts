import { Queue, type JobState, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { JOB_NAMES, JOB_RETRIES, type JobName, type JobPayloads } from './job-map.js';

/** Retry what can succeed later; keep a bounded history for diagnosis. */
const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Finished runs of each scheduled sweep kept in Redis (completed, and failed ones apart). */
export const SCHEDULED_RUNS_KEPT = 20;

function withRetries(name: JobName): JobsOptions {
  const retries = JOB_RETRIES[name];
  if (!retries) return DEFAULT_JOB_OPTIONS;
  return {
    ...DEFAULT_JOB_OPTIONS,
    attempts: retries.attempts,
    backoff: { type: 'exponential', delay: retries.firstDelayMs },
  };
}

/** The producer side: typed `enqueue` for every job in the job map. */
/** See JobQueues.jobStatus. */
export type JobStatus = 'queued' | 'finished' | 'missing';

export class JobQueues {
  private readonly queues: Map<JobName, Queue>;

  constructor(connection: Redis, prefix: string, logger: Logger) {
    this.queues = new Map(
      JOB_NAMES.map((name) => {
        const queue = new Queue(name, {
          connection,
          prefix,
          defaultJobOptions: withRetries(name),
        });
        // Without a listener BullMQ prints every reconnect failure to the console.
        queue.on('error', (error) =>
          logger.debug({ err: error.message, queue: name }, 'queue connection error'),
        );
        return [name, queue];
      }),
    );
  }

  /** `jobId` makes enqueueing idempotent: BullMQ ignores a second job with the same id. */
  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: Pick<JobsOptions, 'jobId' | 'delay'> = {},
  ): Promise<void> {
    await this.queue(name).add(name, payload, options);
  }

  /**
   * Runs `name` soon, once however often it is asked for: requests made while one is waiting
   * merge into it, and a request made while one is running starts another right after, so
   * nothing asked for during a run is missed.
   */
  async wake<N extends JobName>(name: N, payload: JobPayloads[N], key: string): Promise<void> {
    await this.queue(name).add(name, payload, {
      deduplication: { id: `${name}:${key}`, keepLastIfActive: true },
      removeOnComplete: true,
      removeOnFail: { age: 24 * 3600 },
    });
  }

  /** Several jobs of one kind in one round trip; `jobId` and `delay` of each as in `enqueue`. */
  async enqueueMany<N extends JobName>(
    name: N,
    jobs: { payload: JobPayloads[N]; jobId: string; delay?: number }[],
  ): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue(name).addBulk(
      jobs.map(({ payload, jobId, delay }) => ({ name, data: payload, opts: { jobId, delay } })),
    );
  }

  /**
   * What became of the job of `name` with this id: `queued` (waiting, delayed or running:
   * BullMQ will run it, or find it stalled), `finished` (completed or failed, kept), or
   * `missing` (never added, removed, or lost with Redis).
   */
  async jobStatus(name: JobName, jobId: string): Promise<JobStatus> {
    // The job's own hash answers this in O(1); asking BullMQ for the job's state searches
    // the waiting list, which a sweep over a backlog of replies made quadratic.
    const job = await this.queue(name).getJob(jobId);
    if (!job) return 'missing';
    return job.finishedOn ? 'finished' : 'queued';
  }

  /**
   * Adds the job again under its own id, first removing a finished one that BullMQ keeps
   * (it would ignore the id otherwise): one job id per piece of work, however often asked.
   */
  async enqueueAgain<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    jobId: string,
  ): Promise<void> {
    const queue = this.queue(name);
    const finished = await queue.getJob(jobId);
    if (finished && ((await finished.isCompleted()) || (await finished.isFailed())))
      await finished.remove();
    await queue.add(name, payload, { jobId });
  }

  /**
   * Runs the job of this id now: like `enqueueAgain`, and a job of this id waiting for a
   * later run (delayed: a retry's backoff) is moved up instead (an admin's "retry now").
   */
  async runNow<N extends JobName>(name: N, payload: JobPayloads[N], jobId: string): Promise<void> {
    const waiting = await this.queue(name).getJob(jobId);
    if (waiting && (await waiting.isDelayed())) {
      await waiting.promote();
      return;
    }
    await this.enqueueAgain(name, payload, jobId);
  }

  /** Runs `name` every `everyMs` (one schedule however many processes call this). */
  async schedule<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    everyMs: number,
  ): Promise<void> {
    await this.queue(name).upsertJobScheduler(
      `${name}-schedule`,
      { every: everyMs },
      {
        name,
        data: payload,
        // A sweep every few seconds would keep 1,000 finished runs per queue for a day:
        // thousands of Redis keys that say nothing. A few recent runs are enough to diagnose.
        opts: {
          removeOnComplete: { count: SCHEDULED_RUNS_KEPT },
          removeOnFail: { age: 24 * 3600, count: SCHEDULED_RUNS_KEPT },
        },
      },
    );
  }

  /** How many jobs of each queue are in each of `states` (one round trip per queue). */
  async countJobs<S extends JobState>(
    states: readonly S[],
  ): Promise<Record<JobName, Record<S, number>>> {
    const counts = await Promise.all(
      [...this.queues].map(async ([name, queue]) => {
        const byState = await queue.getJobCounts(...states);
        return [name, Object.fromEntries(states.map((state) => [state, byState[state] ?? 0]))];
      }),
    );
    return Object.fromEntries(counts) as Record<JobName, Record<S, number>>;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  private queue(name: JobName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`No queue for job ${name}`);
    return queue;
  }
}
