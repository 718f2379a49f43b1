import { Redis } from 'ioredis';
import type { Config } from './config.js';

/**
 * The Redis connection BullMQ and socket.io share. `maxRetriesPerRequest: null` is what
 * BullMQ requires of blocking connections; commands wait for a reconnect instead of failing.
 */
export function createRedis(config: Pick<Config, 'redisUrl'>, name: string): Redis {
  return new Redis(config.redisUrl, {
    connectionName: `omni-${name}`,
    maxRetriesPerRequest: null,
    lazyConnect: false,
  });
}

/**
 * A connection for quick probes (/health): it answers "down" at once rather than queueing
 * commands while Redis is unreachable.
 */
export function createProbeRedis(config: Pick<Config, 'redisUrl'>): Redis {
  return new Redis(config.redisUrl, {
    connectionName: 'omni-probe',
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
  });
}

/** Redis keys of Omni's own (BullMQ namespaces its keys with the same prefix). */
export const redisKeys = {
  workerHeartbeat: (prefix: string) => `${prefix}:worker-heartbeat`,
};
