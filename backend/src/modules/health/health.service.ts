import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { pingDatabase } from '../../db/sql.js';
import { AppError } from '../../errors.js';
import { redisKeys } from '../../redis.js';

export type HealthReport = {
  status: 'ok' | 'degraded';
  db: 'ok' | 'down';
  redis: 'ok' | 'down';
  /**
   * Whether a worker process reported in during the last 15 s. Without one, nothing stored
   * is processed: the status is `degraded`, but the answer stays 200, since this api still
   * acknowledges webhooks and serves the panel, and a load balancer must keep it.
   */
  worker: 'ok' | 'missing' | 'unknown';
};

/**
 * 503 naming what is down, so a load balancer takes this instance out and a person sees why.
 * Only for PostgreSQL and Redis: a missing worker is reported in a 200 (`degraded`).
 */
export class UnhealthyError extends AppError {
  constructor(report: HealthReport) {
    const down = [report.db === 'down' && 'PostgreSQL', report.redis === 'down' && 'Redis'].filter(
      Boolean,
    );
    super(
      'UNHEALTHY',
      `${down.join(' and ')} ${down.length > 1 ? 'are' : 'is'} not answering.`,
      503,
      report,
    );
  }
}

const PROBE_TIMEOUT_MS = 2_000;

/** Asks PostgreSQL and Redis for real, each with a deadline, in parallel. */
export class HealthService {
  constructor(
    private readonly em: EntityManager,
    private readonly redis: Redis,
    private readonly redisPrefix: string,
  ) {}

  /** Whether this api instance cannot serve (PostgreSQL or Redis does not answer). */
  static isUnserviceable(report: HealthReport): boolean {
    return report.db === 'down' || report.redis === 'down';
  }

  async check(): Promise<HealthReport> {
    const [db, redis, heartbeat] = await Promise.all([
      probe(() => pingDatabase(this.em)),
      probe(() => this.redis.ping()),
      probe(() => this.redis.get(redisKeys.workerHeartbeat(this.redisPrefix))),
    ]);
    const worker = !heartbeat.ok ? 'unknown' : heartbeat.value ? 'ok' : 'missing';
    return {
      status: db.ok && redis.ok && worker === 'ok' ? 'ok' : 'degraded',
      db: db.ok ? 'ok' : 'down',
      redis: redis.ok ? 'ok' : 'down',
      worker,
    };
  }
}

async function probe<T>(check: () => Promise<T>): Promise<{ ok: boolean; value?: T }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS);
  });
  try {
    return { ok: true, value: await Promise.race([check(), deadline]) };
  } catch {
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}
