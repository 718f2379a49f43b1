import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { RealtimePublisher } from './realtime.events.js';

/**
 * Publishing from a process without sockets (the worker): events go through Redis to the
 * socket.io adapter of every api instance, which delivers them to the rooms' sockets.
 */
export class RealtimeEmitter implements RealtimePublisher {
  private readonly emitter: Emitter;

  constructor(redis: Redis, redisPrefix: string) {
    this.emitter = new Emitter(redis, { key: `${redisPrefix}:socket.io` });
  }

  publish: RealtimePublisher['publish'] = (to, event, payload) => {
    (this.emitter.to(to).emit as (event: string, payload: unknown) => void)(event, payload);
  };
}
