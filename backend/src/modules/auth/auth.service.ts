import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { validate as isUuid } from 'uuid';
import { scopeToTenant, TENANT_FILTER } from '../../db/tenant-filter.js';
import { ConflictError, UnauthenticatedError } from '../../errors.js';
import { toUserDto } from '../operators/operators.schemas.js';
import { User } from '../operators/user.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import type { TenantsService } from '../tenants/tenants.service.js';
import type { Actor } from './actor.js';
import type { Identity, LogInInput, Session, SignUpInput } from './auth.schemas.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './passwords.js';
import type { SignUpThrottle } from './sign-up-throttle.js';
import type { TokenService } from './tokens.js';

/** What sign-up and sign-in count per client address. */
export type AuthThrottles = { logIn: LoginThrottle; signUp: SignUpThrottle };

export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly tenants: TenantsService,
    private readonly throttles: AuthThrottles,
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
   * guesses beyond the limits are refused without being tried.
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
    await attempt.succeeded();
    return this.openSession(user);
  }

  /**
   * Turns a bearer header into the acting user and switches the tenant filter on for the rest
   * of the request. The user is re-read every time, so a deleted user or a changed role takes
   * effect at once rather than when the token expires.
   */
  async authenticate(authorizationHeader: string | undefined): Promise<Actor> {
    const token = /^Bearer (\S+)$/i.exec(authorizationHeader ?? '')?.[1];
    if (!token) throw new UnauthenticatedError();
    const claims = await this.tokens.verify(token);
    if (!isUuid(claims.userId)) throw new UnauthenticatedError();
    scopeToTenant(this.em, claims.tenantId);
    const user = await this.em.findOne(User, { id: claims.userId });
    if (!user) throw new UnauthenticatedError('Your account no longer exists. Sign in again.');
    return { userId: user.id, tenantId: user.tenant.id, role: user.role };
  }

  /** The departments a user belongs to (their realtime rooms). */
  async departmentIdsOf(actor: Actor): Promise<string[]> {
    scopeToTenant(this.em, actor.tenantId);
    const user = await this.em.findOneOrFail(User, actor.userId, { populate: ['departments'] });
    return user.departments.getItems().map((department) => department.id);
  }

  async describe(actor: Actor): Promise<Identity> {
    const user = await this.em.findOneOrFail(User, actor.userId, {
      populate: ['departments', 'tenant'],
    });
    return { user: toUserDto(user), tenant: this.tenants.present(user.tenant) };
  }

  private async openSession(user: User): Promise<Session> {
    scopeToTenant(this.em, user.tenant.id);
    await this.em.populate(user, ['departments', 'tenant']);
    const token = await this.tokens.issue({ userId: user.id, tenantId: user.tenant.id });
    return { token, user: toUserDto(user), tenant: this.tenants.present(user.tenant) };
  }
}
