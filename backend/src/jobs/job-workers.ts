import { RequestContext, type MikroORM } from '@mikro-orm/core';
import { DelayedError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import {
  JOB_CONCURRENCY,
  JOB_NAMES,
  type JobName,
  type JobPayloads,
  type JobProcessors,
  type RunAgainLater,
} from './job-map.js';

/**
 * A running job's lock lasts this long and is renewed at half of it. When a worker dies, its
 * running jobs (among them the deduplicated wake-ups that later wake-ups merge into) go back
 * to waiting once their lock expired and a stalled check saw them: within about 15 s,
 * instead of BullMQ's default of up to a minute. Jobs are idempotent, so a job taken from a
 * worker that was only slow runs twice and changes nothing.
 */
const JOB_LOCK_MS = 10_000;
const STALLED_CHECK_INTERVAL_MS = 5_000;

/**
 * The consumer side: one BullMQ worker per job name. Each job runs in its own ORM context,
 * like a request, so identity maps never leak between jobs.
 */
export class JobWorkers {
  private readonly workers: Worker[];

  constructor(options: {
    connection: Redis;
    prefix: string;
    orm: MikroORM;
    processors: JobProcessors;
    logger: Logger;
    /** Told of each job that ran to its end: how long it waited since it was added, and ran. */
    onFinished?: (name: JobName, waitedMs: number, ranMs: number) => void;
  }) {
    const { connection, prefix, orm, processors, logger, onFinished } = options;
    this.workers = JOB_NAMES.map((name: JobName) => {
      // The job map ties each queue's payload to its processor; BullMQ itself is untyped here.
      const process = processors[name] as (
        payload: JobPayloads[JobName],
      ) => Promise<void | RunAgainLater>;
      const worker = new Worker<JobPayloads[JobName]>(
        name,
        async (job, token) => {
          const startedAt = Date.now();
          const outcome = await RequestContext.create(orm.em, () => process(job.data));
          if (!outcome) {
            onFinished?.(name, Math.max(0, startedAt - job.timestamp), Date.now() - startedAt);
            return;
          }
          // BullMQ's way to run a job again later: delay it, then say so by throwing.
          await job.moveToDelayed(Date.now() + outcome.runAgainInMs, token);
          throw new DelayedError();
        },
        {
          connection,
          prefix,
          concurrency: JOB_CONCURRENCY[name] ?? 4,
          autorun: true,
          lockDuration: JOB_LOCK_MS,
          stalledInterval: STALLED_CHECK_INTERVAL_MS,
        },
      );
      worker.on('failed', (job, error) =>
        logger.warn(
          { err: error, job: name, jobId: job?.id, attempt: job?.attemptsMade },
          'job failed',
        ),
      );
      worker.on('error', (error) => logger.error({ err: error, job: name }, 'worker error'));
      return worker;
    });
  }

  /** Waits for running jobs to finish (graceful shutdown). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
