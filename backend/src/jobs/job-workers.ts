import { RequestContext, type MikroORM } from '@mikro-orm/core';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { JOB_NAMES, type JobName, type JobPayloads, type JobProcessors } from './job-map.js';

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
  }) {
    const { connection, prefix, orm, processors, logger } = options;
    this.workers = JOB_NAMES.map((name: JobName) => {
      // The job map ties each queue's payload to its processor; BullMQ itself is untyped here.
      const process = processors[name] as (payload: JobPayloads[JobName]) => Promise<void>;
      const worker = new Worker<JobPayloads[JobName]>(
        name,
        (job) => RequestContext.create(orm.em, () => process(job.data)),
        { connection, prefix, concurrency: 4, autorun: true },
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
