import type { Server as HttpServer } from 'node:http';
import { RequestContext, type MikroORM } from '@mikro-orm/core';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { Logger } from '../../logger.js';
import { logErrors } from '../../redis.js';
import type { Actor } from '../auth/actor.js';
import type { AuthService } from '../auth/auth.service.js';
import { SOCKET_REFRESH_MS, type OperatorPresence } from '../routing/operator-presence.js';
import { rooms, type RealtimePublisher, type ServerToClientEvents } from './realtime.events.js';

type SocketData = { actor: Actor };

/**
 * socket.io on the api's HTTP server, authenticated with the same JWT as the API. The Redis
 * adapter carries every event to every api instance, so any instance reaches any operator.
 */
export class RealtimeServer implements RealtimePublisher {
  private readonly io: Server<
    Record<string, never>,
    ServerToClientEvents,
    Record<string, never>,
    SocketData
  >;

  constructor(options: {
    httpServer: HttpServer;
    redis: Redis;
    redisPrefix: string;
    orm: MikroORM;
    auth: AuthService;
    presence: OperatorPresence;
    logger: Logger;
  }) {
    const { httpServer, redis, redisPrefix, orm, auth, presence, logger } = options;
    this.io = new Server(httpServer, { serveClient: false });
    const [publisher, subscriber] = [redis.duplicate(), redis.duplicate()].map((connection) =>
      logErrors(connection, logger, 'debug'),
    );
    this.io.adapter(createAdapter(publisher, subscriber, { key: `${redisPrefix}:socket.io` }));
    this.io.use((socket, next) => {
      const token: unknown = socket.handshake.auth['token'];
      RequestContext.create(orm.em, () => auth.authenticate(`Bearer ${String(token ?? '')}`))
        .then((actor) => {
          socket.data.actor = actor;
          next();
        })
        .catch(() => next(new Error('UNAUTHENTICATED')));
    });
    const track = (work: Promise<void>) =>
      work.catch((error: unknown) => logger.warn({ err: error }, 'could not record presence'));
    this.io.on('connection', async (socket) => {
      const { actor } = socket.data;
      const ref = { userId: actor.userId, socketId: socket.id };
      void track(presence.connected(ref));
      socket.on('disconnect', () => void track(presence.disconnected(ref)));
      const departmentIds = await RequestContext.create(orm.em, () => auth.departmentIdsOf(actor));
      void socket.join([
        rooms.tenant(actor.tenantId),
        rooms.operator(actor.userId),
        ...(actor.role === 'admin' ? [rooms.admins(actor.tenantId)] : []),
        ...departmentIds.map((id) => rooms.department(id)),
      ]);
      logger.debug({ userId: actor.userId }, 'socket connected');
    });
    this.presenceRefresh = setInterval(() => {
      const sockets = [...this.io.of('/').sockets.values()].map((socket) => ({
        userId: socket.data.actor.userId,
        socketId: socket.id,
      }));
      void track(presence.refresh(sockets));
    }, SOCKET_REFRESH_MS);
    this.presenceRefresh.unref();
  }

  /** Re-announces this instance's sockets, so that the sockets of a dead instance age out. */
  private readonly presenceRefresh: NodeJS.Timeout;

  publish: RealtimePublisher['publish'] = (to, event, payload) => {
    // socket.io's typed emit cannot follow the generic event name; the map above keeps it honest.
    (this.io.to(to).emit as (event: string, payload: unknown) => void)(event, payload);
  };

  async close(): Promise<void> {
    clearInterval(this.presenceRefresh);
    await this.io.close();
  }
}
