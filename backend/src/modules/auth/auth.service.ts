import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { scopeToTenant, TENANT_FILTER } from '../../db/tenant-filter.js';
import { BadRequestError, ConflictError, UnauthenticatedError } from '../../errors.js';
import { toUserDto } from '../operators/operators.schemas.js';
import { User } from '../operators/user.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import type { TenantsService } from '../tenants/tenants.service.js';
import { looksLikeApiToken } from '../api-tokens/api-token-secret.js';
import type { ApiTokensService } from '../api-tokens/api-tokens.service.js';
import { requireUser, type Actor, type UserActor } from './actor.js';
import type {
  ChangePasswordInput,
  CurrentUserDto,
  Identity,
  LogInInput,
  Session,
  SignUpInput,
} from './auth.schemas.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './password-hasher.js';
import type { SessionsService } from './sessions.service.js';
import type { SignUpThrottle } from './sign-up-throttle.js';
import type { TokenService } from './token.service.js';
import { InvalidTwoFactorCodeError, TwoFactorRequiredError } from './two-factor.errors.js';
import type { TwoFactorService } from './two-factor.service.js';
import { UserSession } from './user-session.entity.js';

/** The rooms a socket joins follow from these, read afresh whenever it connects. */
export type SocketRights = { role: User['role']; departmentIds: string[] };

/** What sign-up and sign-in count per client address. */
export type AuthThrottles = { logIn: LoginThrottle; signUp: SignUpThrottle };

export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly tenants: TenantsService,
    private readonly throttles: AuthThrottles,
    private readonly sessions: SessionsService,
    private readonly twoFactor: TwoFactorService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  /** A new tenant whose first user is its admin; sign-ups are limited per client address. */
  async signUp(input: SignUpInput, clientAddress: string): Promise<Session> {
    await this.throttles.signUp.count(clientAddress);
    const tenant = new Tenant(input.tenantName);
    const admin = new User(
      tenant,
      input.email,
      input.name,
      await this.passwords.hash(input.password),
      'admin',
    );
    try {
      await this.em.persist([tenant, admin]).flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError('EMAIL_TAKEN', `An account with ${input.email} already exists.`, {
          fields: { email: 'This email is already in use. Sign in instead?' },
        });
      }
      throw error;
    }
    return this.openSession(admin);
  }

  /**
   * Emails are unique across tenants, so login needs no tenant: it looks across them on
   * purpose. The attempt is counted before the password is checked (see LoginThrottle), so
   * guesses beyond the limits are refused without being tried. With two-factor on, only a
   * right password reveals that a code is needed; a wrong code stays counted like a wrong
   * password, a missing one is given back (it guessed nothing).
   */
  async logIn(input: LogInInput, clientAddress: string): Promise<Session> {
    const user = await this.em.findOne(
      User,
      { email: input.email },
      { filters: { [TENANT_FILTER]: false }, populate: ['tenant'] },
    );
    const attempt = await this.throttles.logIn.begin(input.email, clientAddress, {
      isDemoAccount: user?.isDemoAccount() ?? false,
    });
    if (!(await this.passwords.verify(user?.passwordHash, input.password)) || !user) {
      throw new UnauthenticatedError('Wrong email or password.', 'INVALID_CREDENTIALS');
    }
    if (user.isTwoFactorEnabled()) {
      if (input.code === undefined) {
        await attempt.givenBack();
        throw new TwoFactorRequiredError();
      }
      if (!(await this.twoFactor.spendAtSignIn(user.id, input.code))) {
        throw new InvalidTwoFactorCodeError(401);
      }
    }
    await attempt.succeeded();
    return this.openSession(user);
  }

  /**
   * Turns a bearer header into the acting user and switches the tenant filter on for the rest
   * of the request. The session and the user are re-read every time, so a logout, a password
   * change, a deleted user or a changed role take effect at once rather than when the token
   * expires. A bearer `omni_…` is an API token instead: the tenant's admin (ApiTokenActor).
   */
  async authenticate(authorizationHeader: string | undefined): Promise<Actor> {
    const token = /^Bearer (\S+)$/i.exec(authorizationHeader ?? '')?.[1];
    if (!token) throw new UnauthenticatedError();
    if (looksLikeApiToken(token)) return this.apiTokens.authenticate(token);
    return (await this.authenticateToken(token)).actor;
  }

  /**
   * The same check for a socket's handshake, which also needs to know when the token expires.
   * Sessions only: an API token is refused here (401), as sockets carry a person's panel.
   */
  async authenticateToken(token: string): Promise<{ actor: UserActor; expiresAt: Date }> {
    const claims = await this.tokens.verify(token);
    scopeToTenant(this.em, claims.tenantId);
    const user = await this.sessions.userOf(claims);
    if (!user) throw new UnauthenticatedError('Your session has ended. Sign in again.');
    return {
      actor: {
        userId: user.id,
        tenantId: user.tenant.id,
        role: user.role,
        sessionId: claims.sessionId,
        twoFactorSetupRequired: user.isTwoFactorSetupRequired(),
      },
      expiresAt: claims.expiresAt,
    };
  }

  /**
   * What a connecting socket may join, read after it joined its user's and session's rooms:
   * a change committed after this read finds the socket there and disconnects it.
   */
  async socketRightsOf(actor: UserActor): Promise<SocketRights> {
    scopeToTenant(this.em, actor.tenantId);
    const user = await this.em.findOne(User, actor.userId, { populate: ['departments'] });
    const sessionHolds =
      user && actor.sessionId
        ? (await this.em.count(UserSession, { id: actor.sessionId, user: user.id })) > 0
        : false;
    if (!user || !sessionHolds) throw new UnauthenticatedError();
    return { role: user.role, departmentIds: user.departments.getItems().map(({ id }) => id) };
  }

  /** Logout: the caller's token stops working at once; their other sessions go on. */
  async logOut(actor: Actor): Promise<void> {
    if (actor.sessionId) await this.sessions.end(actor.sessionId);
  }

  /**
   * A new password ends every other session of the user (someone who knew the old one may
   * hold one); the caller's own session goes on, so the panel keeps working without a new token.
   */
  async changePassword(
    actor: Actor,
    input: ChangePasswordInput,
    clientAddress: string,
  ): Promise<void> {
    const { userId } = requireUser(actor);
    const newHash = await this.passwords.hash(input.newPassword);
    await this.em.transactional(async () => {
      const user = await this.em.findOneOrFail(User, userId, {
        lockMode: LockMode.PESSIMISTIC_WRITE,
        populate: ['tenant'],
      });
      user.assertPasswordChangeable();
      // A stolen session must not become a way to guess the password: same limits as sign-in.
      const attempt = await this.throttles.logIn.begin(user.email, clientAddress, {
        isDemoAccount: false,
      });
      if (!(await this.passwords.verify(user.passwordHash, input.currentPassword))) {
        throw new BadRequestError('WRONG_PASSWORD', 'Your current password is not right.');
      }
      await attempt.succeeded();
      user.passwordHash = newHash;
      await this.sessions.endAllOf(user.id, actor.sessionId);
    });
    this.sessions.disconnectUser(userId, actor.sessionId);
  }

  async describe(actor: Actor): Promise<Identity> {
    const user = await this.em.findOneOrFail(User, requireUser(actor).userId, {
      populate: ['departments', 'tenant'],
    });
    return { user: toCurrentUserDto(user), tenant: this.tenants.present(user.tenant) };
  }

  /** A new sign-in of `user` (signup, login, an accepted invitation). */
  async openSession(user: User): Promise<Session> {
    scopeToTenant(this.em, user.tenant.id);
    await this.em.populate(user, ['departments', 'tenant']);
    const token = await this.sessions.open(user);
    return { token, user: toCurrentUserDto(user), tenant: this.tenants.present(user.tenant) };
  }
}

/** Needs `departments` and `tenant` loaded. */
function toCurrentUserDto(user: User): CurrentUserDto {
  return { ...toUserDto(user), twoFactorSetupRequired: user.isTwoFactorSetupRequired() };
}
