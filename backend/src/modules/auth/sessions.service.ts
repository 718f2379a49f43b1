import type { EntityManager } from '@mikro-orm/postgresql';
import { validate as isUuid } from 'uuid';
import type { User } from '../operators/user.entity.js';
import { rooms, type SocketControl } from '../realtime/realtime.events.js';
import type { TokenService, VerifiedToken } from './token.service.js';
import { UserSession } from './user-session.entity.js';

/**
 * Sign-ins as rows (`user_session`), each named by its token's `jti`.
 *
 * Why rows rather than a per-user token version: logout must end only the token that asks
 * (the person's other devices stay signed in) and a password change every session but the
 * caller's, which one version number cannot express; a Redis deny-list of `jti`s could, but
 * would be a second source of truth that forgets on flush. AuthService already reads the user
 * on every request, so the session check is the same single query (session joined to user).
 * Sockets join a room per session and per user, so the same changes reach them at once.
 */
export class SessionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tokens: TokenService,
    private readonly sockets: SocketControl,
  ) {}

  /** Starts a session for a user who just proved who they are; returns its token. */
  async open(user: User): Promise<string> {
    const now = new Date();
    const session = new UserSession(user.tenant, user, this.tokens.expiryFromNow(now.getTime()));
    // A session row outlives its token by nothing; a user's dead ones go at their next sign-in.
    await this.em.nativeDelete(UserSession, { user: user.id, expiresAt: { $lte: now } });
    await this.em.persist(session).flush();
    return this.tokens.issue(
      { userId: user.id, tenantId: user.tenant.id, sessionId: session.id },
      session.expiresAt,
    );
  }

  /** The user of a verified token while its session holds; null once it ended or expired. */
  async userOf(token: VerifiedToken): Promise<User | null> {
    if (!isUuid(token.sessionId) || !isUuid(token.userId)) return null;
    const session = await this.em.findOne(
      UserSession,
      { id: token.sessionId, user: token.userId, expiresAt: { $gt: new Date() } },
      // The tenant too: whether its admins must set up two-factor is decided on every request.
      { populate: ['user', 'user.tenant'] },
    );
    return session?.user ?? null;
  }

  /** Logout: this one session ends, on REST and on its sockets; the user's others go on. */
  async end(sessionId: string): Promise<void> {
    await this.em.nativeDelete(UserSession, { id: sessionId });
    this.sockets.disconnect(rooms.session(sessionId));
  }

  /**
   * Ends every session of a user except `keepSessionId` (the caller's own, on a password
   * change). Runs in the caller's transaction; `disconnectUser` follows once it committed.
   */
  async endAllOf(userId: string, keepSessionId?: string): Promise<void> {
    await this.em.nativeDelete(UserSession, {
      user: userId,
      ...(keepSessionId ? { id: { $ne: keepSessionId } } : {}),
    });
  }

  /**
   * Disconnects a user's sockets (except those of `keepSessionId`). Those whose session still
   * holds reconnect and join the rooms the user may have now: this is how a change of role or
   * departments re-scopes them; the others are refused and their panel signs in again.
   */
  disconnectUser(userId: string, keepSessionId?: string): void {
    this.sockets.disconnect(
      rooms.operator(userId),
      keepSessionId ? rooms.session(keepSessionId) : undefined,
    );
  }
}
