import type { Redis } from 'ioredis';

/** Each api instance re-announces its sockets this often... */
export const SOCKET_REFRESH_MS = 20_000;
/** ...so a socket not re-announced for this long belongs to an instance that died. */
const SOCKET_STALE_MS = 3 * SOCKET_REFRESH_MS;

export type SocketRef = { userId: string; socketId: string };

/**
 * Which operators have a panel open, across every api instance, in Redis: per operator a
 * sorted set of socket ids scored by when they were last announced, and the time the last
 * one went away. The api writes it; the worker's sweep reads it to take offline whoever has
 * been gone longer than the grace period (routing/presence-sweeper.ts).
 */
export class OperatorPresence {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  async connected(socket: SocketRef): Promise<void> {
    await this.redis.zadd(this.socketsKey(socket.userId), this.now(), socket.socketId);
  }

  async disconnected(socket: SocketRef): Promise<void> {
    await this.redis
      .multi()
      .zrem(this.socketsKey(socket.userId), socket.socketId)
      .set(this.lastSeenKey(socket.userId), String(this.now()), 'EX', 7 * 24 * 3600)
      .exec();
  }

  /** The api's sockets, still there. */
  async refresh(sockets: SocketRef[]): Promise<void> {
    if (sockets.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const socket of sockets)
      pipeline.zadd(this.socketsKey(socket.userId), this.now(), socket.socketId);
    await pipeline.exec();
  }

  /**
   * For each operator: now if a panel is connected, else when the last one went away (null
   * if never seen). Sockets of dead api instances are dropped on the way.
   */
  async lastSeen(userIds: string[]): Promise<Map<string, number | null>> {
    if (userIds.length === 0) return new Map();
    const now = this.now();
    const pipeline = this.redis.pipeline();
    for (const userId of userIds) {
      pipeline.zremrangebyscore(this.socketsKey(userId), '-inf', now - SOCKET_STALE_MS);
      pipeline.zcard(this.socketsKey(userId));
      pipeline.get(this.lastSeenKey(userId));
    }
    const replies = (await pipeline.exec()) ?? [];
    return new Map(
      userIds.map((userId, index) => {
        const [, sockets] = replies[index * 3 + 1] ?? [];
        const [, lastSeenAt] = replies[index * 3 + 2] ?? [];
        if (Number(sockets) > 0) return [userId, now];
        return [userId, lastSeenAt ? Number(lastSeenAt) : null];
      }),
    );
  }

  private socketsKey(userId: string): string {
    return `${this.prefix}:presence:sockets:${userId}`;
  }

  private lastSeenKey(userId: string): string {
    return `${this.prefix}:presence:last-seen:${userId}`;
  }
}
