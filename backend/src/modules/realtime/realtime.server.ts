import type { Server as HttpServer } from 'node:http';
import { RequestContext, type MikroORM } from '@mikro-orm/core';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { UnauthenticatedError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { logErrors } from '../../redis.js';
import type { Actor, UserActor } from '../auth/actor.js';
import type { AuthService } from '../auth/auth.service.js';
import { SOCKET_REFRESH_MS, type OperatorPresence } from '../routing/operator-presence.js';
import { RealtimeEventLog } from './realtime-event-log.js';
import {
  rooms,
  type ClientToServerEvents,
  type RealtimeHistory,
  type RealtimePublisher,
  type ServerToClientEvents,
  type SocketControl,
} from './realtime.events.js';
import { SequencedPublisher } from './sequenced-publisher.js';
import { createSocketControl } from './socket-control.js';

/** Sockets carry a person's panel: API tokens are refused at the handshake (401). */
type SocketData = { actor: UserActor; expiresAt: Date };

/** setTimeout's limit (about 24.8 days); a later expiry is re-armed when this one fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * socket.io on the api's HTTP server, authenticated with the same JWT as the API. The Redis
 * adapter carries every event to every api instance, so any instance reaches any operator.
 */
export class RealtimeServer implements RealtimePublisher, SocketControl, RealtimeHistory {
  private readonly io: Server<
    ClientToServerEvents,
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
    /** Whether the actor may see the conversation (and so watch it); rejects when not. */
    mayWatch: (actor: Actor, conversationId: string) => Promise<boolean>;
    logger: Logger;
  }) {
    const { httpServer, redis, redisPrefix, orm, auth, presence, mayWatch, logger } = options;
    this.io = new Server(httpServer, { serveClient: false });
    const [publisher, subscriber] = [redis.duplicate(), redis.duplicate()].map((connection) =>
      logErrors(connection, logger, 'debug'),
    );
    this.io.adapter(createAdapter(publisher, subscriber, { key: `${redisPrefix}:socket.io` }));
    const eventLog = new RealtimeEventLog(redis, redisPrefix);
    this.eventLog = eventLog;
    this.publisher = new SequencedPublisher(
      eventLog,
      // socket.io's typed emit cannot follow the generic event name; the map keeps it honest.
      (to, event, payload, meta) =>
        (this.io.to(to).emit as (...args: unknown[]) => void)(event, payload, meta),
      (error) => logger.warn({ err: error }, 'could not number a realtime event'),
    );
    this.sockets = createSocketControl(this.publisher, this.io);
    this.io.use((socket, next) => {
      const token: unknown = socket.handshake.auth['token'];
      RequestContext.create(orm.em, () => auth.authenticateToken(String(token ?? '')))
        .then(({ actor, expiresAt }) => {
          // Nothing reaches an admin who must set up two-factor first; the panel retries.
          if (actor.twoFactorSetupRequired) return next(new Error('TWO_FACTOR_SETUP_REQUIRED'));
          socket.data.actor = actor;
          socket.data.expiresAt = expiresAt;
          next();
        })
        // The panel signs in again on UNAUTHENTICATED only; on anything else it retries.
        .catch((error: unknown) =>
          next(
            new Error(error instanceof UnauthenticatedError ? 'UNAUTHENTICATED' : 'UNAVAILABLE'),
          ),
        );
    });
    const track = (work: Promise<void>) =>
      work.catch((error: unknown) => logger.warn({ err: error }, 'could not record presence'));
    this.io.on('connection', (socket) => {
      const { actor, expiresAt } = socket.data;
      const ref = { userId: actor.userId, socketId: socket.id };
      void track(presence.connected(ref));
      const expiry = disconnectAt(socket, expiresAt);
      socket.on('disconnect', () => {
        clearTimeout(expiry.timer);
        void track(presence.disconnected(ref));
      });
      // The user's and the session's rooms are joined before the rights are read: a logout,
      // password change or new role committed after that read finds the socket in them and
      // disconnects it, so no change slips between the read and the join.
      void socket.join([
        rooms.tenant(actor.tenantId),
        rooms.operator(actor.userId),
        ...(actor.sessionId ? [rooms.session(actor.sessionId)] : []),
      ]);
      // Handlers are in place before anything is awaited, so no early message is dropped;
      // the ones that depend on the socket's rooms wait until it has joined them.
      const joined = RequestContext.create(orm.em, () => auth.socketRightsOf(actor)).then(
        ({ role, departmentIds }) =>
          socket.join([
            ...(role === 'admin' ? [rooms.admins(actor.tenantId)] : []),
            ...departmentIds.map((id) => rooms.department(id)),
          ]),
      );
      // A reconnecting panel asks for what it missed; only its own rooms' events come back.
      socket.on('resync', (request, answer) => {
        const after = Number(request?.after);
        if (!Number.isInteger(after) || after < 0 || typeof answer !== 'function') return;
        const epoch = typeof request?.epoch === 'string' ? request.epoch : undefined;
        joined
          .then(() => eventLog.after(actor.tenantId, after, socket.rooms, epoch))
          .then(answer)
          .catch((error: unknown) => {
            logger.warn({ err: error }, 'resync failed');
            answer({ events: [], complete: false, epoch: '' });
          });
      });
      socket.on('conversation.watch', (request, answer) => {
        const conversationId = String(request?.conversationId ?? '');
        const reply = typeof answer === 'function' ? answer : () => {};
        const room = rooms.conversation(conversationId);
        const mayWatchNow = () =>
          RequestContext.create(orm.em, () => mayWatch(actor, conversationId)).catch(() => false);
        // Checked again once joined: a transfer committed after the second check finds the
        // socket in the room and takes it out (ConversationBroadcaster); one committed before
        // it makes the check fail.
        mayWatchNow()
          .then(async (allowed) => {
            if (!allowed) return false;
            await socket.join(room);
            if (await mayWatchNow()) return true;
            await socket.leave(room);
            return false;
          })
          .then((ok) => reply({ ok }))
          .catch((error: unknown) => logger.warn({ err: error }, 'watch failed'));
      });
      socket.on('conversation.unwatch', (request) => {
        void socket.leave(rooms.conversation(String(request?.conversationId ?? '')));
      });
      joined
        .then(() => eventLog.position(actor.tenantId))
        .then(({ seq, epoch }) => {
          socket.emit('realtime.ready', { seq, epoch });
          logger.debug({ userId: actor.userId }, 'socket connected');
        })
        .catch((error: unknown) => {
          // Without its rooms the socket would miss events silently: better to reconnect.
          // (A session that ended meanwhile is no fault: its reconnection is refused.)
          if (error instanceof UnauthenticatedError) logger.debug('session ended while connecting');
          else logger.warn({ err: error }, 'could not set up a socket; disconnecting it');
          socket.disconnect(true);
        });
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

  private readonly publisher: SequencedPublisher;
  private readonly eventLog: RealtimeEventLog;

  forget: RealtimeHistory['forget'] = (tenantId, ids) => this.eventLog.forget(tenantId, ids);

  publish: RealtimePublisher['publish'] = (tenantId, to, event, payload) =>
    this.publisher.publish(tenantId, to, event, payload);

  private readonly sockets: SocketControl;

  disconnect: SocketControl['disconnect'] = (room, except) => this.sockets.disconnect(room, except);

  leave: SocketControl['leave'] = (room, unless) => this.sockets.leave(room, unless);

  async close(): Promise<void> {
    clearInterval(this.presenceRefresh);
    await this.io.close();
  }
}

/** A socket lives no longer than its token: it is disconnected when the token expires. */
function disconnectAt(socket: { disconnect(close: boolean): unknown }, expiresAt: Date) {
  const expiry: { timer?: NodeJS.Timeout } = {};
  const arm = () => {
    const remaining = expiresAt.getTime() - Date.now();
    expiry.timer =
      remaining > MAX_TIMER_MS
        ? setTimeout(arm, MAX_TIMER_MS)
        : setTimeout(() => socket.disconnect(true), Math.max(remaining, 0));
    expiry.timer.unref();
  };
  arm();
  return expiry;
}
