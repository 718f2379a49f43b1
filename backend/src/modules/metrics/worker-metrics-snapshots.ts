import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Logger } from '../../logger.js';

/** One process's metrics as prom-client writes them (`registry.getMetricsAsJSON()`). */
export type MetricsSnapshot = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** How often each worker process writes its snapshot to Redis. */
export const WORKER_SNAPSHOT_INTERVAL_MS = 5_000;
/** A snapshot not renewed this long is of a worker that is gone: it is no longer served. */
const SNAPSHOT_TTL_SECONDS = 30;

/**
 * How metrics recorded in the worker processes reach /metrics on the api: each worker
 * writes its whole registry as JSON to a key of its own every WORKER_SNAPSHOT_INTERVAL_MS
 * (expiring, so a dead worker's numbers leave), and the api reads every live snapshot when
 * it is scraped and merges them with its own. The workers' hot paths only touch memory.
 */
export class WorkerMetricsSnapshots {
  constructor(
    private readonly redis: Redis,
    private readonly redisPrefix: string,
  ) {}

  private get indexKey(): string {
    return `${this.redisPrefix}:metrics:workers`;
  }

  private snapshotKey(workerId: string): string {
    return `${this.redisPrefix}:metrics:worker:${workerId}`;
  }

  async write(workerId: string, snapshot: MetricsSnapshot): Promise<void> {
    await this.redis
      .multi()
      .set(this.snapshotKey(workerId), JSON.stringify(snapshot), 'EX', SNAPSHOT_TTL_SECONDS)
      .sadd(this.indexKey, workerId)
      .exec();
  }

  async remove(workerId: string): Promise<void> {
    await this.redis.multi().del(this.snapshotKey(workerId)).srem(this.indexKey, workerId).exec();
  }

  /** Every live worker's snapshot; the index forgets workers whose snapshot expired. */
  async readAll(): Promise<MetricsSnapshot[]> {
    const workerIds = await this.redis.smembers(this.indexKey);
    if (workerIds.length === 0) return [];
    const values = await this.redis.mget(workerIds.map((id) => this.snapshotKey(id)));
    const gone = workerIds.filter((_id, index) => values[index] === null);
    if (gone.length > 0) await this.redis.srem(this.indexKey, ...gone);
    return values
      .filter((value) => value !== null)
      .map((value) => JSON.parse(value) as MetricsSnapshot);
  }
}

/**
 * The worker's side: writes its registry now and every WORKER_SNAPSHOT_INTERVAL_MS; `stop`
 * removes the snapshot, so a stopped worker's process metrics do not linger.
 */
export function publishWorkerMetrics(
  registry: Registry,
  snapshots: WorkerMetricsSnapshots,
  logger: Logger,
): { stop: () => Promise<void> } {
  // Only a Redis key name: never a label (each restart would make new series).
  const workerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const publish = async () => {
    try {
      await snapshots.write(workerId, await registry.getMetricsAsJSON());
    } catch (error) {
      logger.debug({ err: error }, 'could not publish the worker metrics');
    }
  };
  void publish();
  const timer = setInterval(() => void publish(), WORKER_SNAPSHOT_INTERVAL_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await snapshots.remove(workerId).catch(() => undefined);
    },
  };
}
