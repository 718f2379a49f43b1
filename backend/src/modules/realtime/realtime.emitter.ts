import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import { RealtimeEventLog } from './realtime-event-log.js';
import type { RealtimeHistory, RealtimePublisher, SocketControl } from './realtime.events.js';
import { SequencedPublisher } from './sequenced-publisher.js';
import { createSocketControl } from './socket-control.js';

/**
 * Publishing from a process without sockets (the worker): events go through Redis to the
 * socket.io adapter of every api instance, which delivers them to the rooms' sockets.
 */
export class RealtimeEmitter implements RealtimePublisher, SocketControl, RealtimeHistory {
  private readonly emitter: Emitter;
  private readonly eventLog: RealtimeEventLog;
  private readonly publisher: SequencedPublisher;

  constructor(redis: Redis, redisPrefix: string, logger: Logger) {
    // The emitter publishes without awaiting: a publish Redis refuses (it went away, or this
    // process is stopping) is logged here rather than left an unhandled rejection.
    const publishing = {
      publish: (channel: string, message: string | Buffer) =>
        redis.publish(channel, message).catch((error: unknown) => {
          logger.warn({ err: error }, 'could not publish a realtime event');
          return 0;
        }),
    };
    this.emitter = new Emitter(publishing, { key: `${redisPrefix}:socket.io` });
    this.eventLog = new RealtimeEventLog(redis, redisPrefix);
    this.publisher = new SequencedPublisher(
      this.eventLog,
      (to, event, payload, meta) =>
        (this.emitter.to(to).emit as (...args: unknown[]) => void)(event, payload, meta),
      (error) => logger.warn({ err: error }, 'could not number a realtime event'),
    );
    this.sockets = createSocketControl(this.publisher, this.emitter);
  }

  publish: RealtimePublisher['publish'] = (tenantId, to, event, payload) =>
    this.publisher.publish(tenantId, to, event, payload);

  private readonly sockets: SocketControl;

  forget: RealtimeHistory['forget'] = (tenantId, ids) => this.eventLog.forget(tenantId, ids);

  disconnect: SocketControl['disconnect'] = (room, except) => this.sockets.disconnect(room, except);

  leave: SocketControl['leave'] = (room, unless) => this.sockets.leave(room, unless);
}
