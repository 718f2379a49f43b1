import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import { RealtimeEventLog } from './realtime-event-log.js';
import type { RealtimePublisher } from './realtime.events.js';
import { SequencedPublisher } from './sequenced-publisher.js';

/**
 * Publishing from a process without sockets (the worker): events go through Redis to the
 * socket.io adapter of every api instance, which delivers them to the rooms' sockets.
 */
export class RealtimeEmitter implements RealtimePublisher {
  private readonly publisher: SequencedPublisher;

  constructor(redis: Redis, redisPrefix: string, logger: Logger) {
    const emitter = new Emitter(redis, { key: `${redisPrefix}:socket.io` });
    this.publisher = new SequencedPublisher(
      new RealtimeEventLog(redis, redisPrefix),
      (to, event, payload, meta) =>
        (emitter.to(to).emit as (...args: unknown[]) => void)(event, payload, meta),
      (error) => logger.warn({ err: error }, 'could not number a realtime event'),
    );
  }

  publish: RealtimePublisher['publish'] = (tenantId, to, event, payload) =>
    this.publisher.publish(tenantId, to, event, payload);
}
