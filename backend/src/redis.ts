import { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

/**
 * The Redis connection BullMQ and socket.io share. `maxRetriesPerRequest: null` is what
 * BullMQ requires of blocking connections; commands wait for a reconnect instead of failing.
 */
export function createRedis(config: Pick<Config, 'redisUrl'>, name: string, logger: Logger): Redis {
  const redis = new Redis(config.redisUrl, {
    connectionName: `omni-${name}`,
    maxRetriesPerRequest: null,
  });
  logErrors(redis, logger, 'warn');
  return redis;
}

/**
 * A connection for quick probes (/health): a command fails as soon as a connection attempt
 * fails, instead of waiting for Redis to come back as the BullMQ connection does.
 */
export function createProbeRedis(config: Pick<Config, 'redisUrl'>, logger: Logger): Redis {
  const redis = new Redis(config.redisUrl, {
    connectionName: 'omni-probe',
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
  });
  logErrors(redis, logger, 'debug'); // /health reports the outage; no need to log it twice
  return redis;
}

/** ioredis reconnects by itself; an unhandled 'error' event would only print noise. */
export function logErrors(redis: Redis, logger: Logger, level: 'warn' | 'debug'): Redis {
  redis.on('error', (error: Error) =>
    logger[level]({ err: error.message }, 'redis connection error'),
  );
  return redis;
}

/** Redis keys of Omni's own (BullMQ namespaces its keys with the same prefix). */
export const redisKeys = {
  workerHeartbeat: (prefix: string) => `${prefix}:worker-heartbeat`,
};
