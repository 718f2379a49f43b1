import type { EntityManager } from '@mikro-orm/postgresql';
import { findByIdOrFail } from '../../db/find.js';
import { flushWith } from '../../db/sql.js';
import { scopeToTenant, TENANT_FILTER } from '../../db/tenant-filter.js';
import { UnauthenticatedError } from '../../errors.js';
import { recordAudit } from '../audit/audit-recorder.js';
import { requireUser, type Actor, type ApiTokenActor } from '../auth/actor.js';
import { User } from '../operators/user.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { generateApiToken, hashApiToken } from './api-token-secret.js';
import type { ApiTokenThrottle } from './api-token-throttle.js';
import { ApiToken } from './api-token.entity.js';
import {
  toApiTokenDto,
  type ApiTokenDto,
  type CreateApiTokenInput,
  type CreatedApiTokenDto,
} from './api-tokens.schemas.js';

/** `lastUsedAt` is written at most this often per token, not on every request. */
const LAST_USE_PRECISION_MS = 60_000;

/**
 * The tenant's API tokens: admins create, list and revoke them (the routes are admin-only);
 * `authenticate` turns a presented token into the tenant's admin for one request.
 */
export class ApiTokensService {
  constructor(
    private readonly em: EntityManager,
    private readonly throttle: ApiTokenThrottle,
  ) {}

  async list(): Promise<ApiTokenDto[]> {
    const tokens = await this.em.find(
      ApiToken,
      {},
      { populate: ['createdBy'], orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    return tokens.map(toApiTokenDto);
  }

  /**
   * A new token, returned this once. Only a person creates one (a token minting tokens would
   * let a leaked one outlive its revocation), and is recorded as its creator.
   */
  async create(actor: Actor, input: CreateApiTokenInput): Promise<CreatedApiTokenDto> {
    const { userId } = requireUser(actor);
    const { token, hash, prefix } = generateApiToken();
    const apiToken = new ApiToken(
      this.em.getReference(Tenant, actor.tenantId),
      input.name,
      hash,
      prefix,
      await this.em.findOneOrFail(User, userId),
    );
    await flushWith(this.em.persist(apiToken), (sql) =>
      recordAudit(sql, actor, {
        action: 'api_token.created',
        target: { type: 'api_token', id: apiToken.id, name: apiToken.name },
        changes: { name: { from: null, to: apiToken.name }, prefix: { from: null, to: prefix } },
      }),
    );
    return { ...toApiTokenDto(apiToken), token };
  }

  /** Revoking deletes the row: the next request with the token is refused (401). */
  async revoke(actor: Actor, id: string): Promise<void> {
    const apiToken = await findByIdOrFail(this.em, ApiToken, id, 'The API token');
    await flushWith(this.em.remove(apiToken), (sql) =>
      recordAudit(sql, actor, {
        action: 'api_token.revoked',
        target: { type: 'api_token', id: apiToken.id, name: apiToken.name },
        changes: { prefix: { from: apiToken.prefix, to: null } },
      }),
    );
  }

  /**
   * The actor a bearer `omni_…` token stands for, with the tenant filter switched on. One
   * indexed read by hash per request, so a revoked token fails at once; tokens cross tenants
   * here on purpose (the hash is what says whose it is), as login does with emails. Each
   * request counts against the token's rate limit; `lastUsedAt` is refreshed once a minute.
   */
  async authenticate(token: string): Promise<ApiTokenActor> {
    const apiToken = await this.em.findOne(
      ApiToken,
      { tokenHash: hashApiToken(token) },
      { filters: { [TENANT_FILTER]: false } },
    );
    if (!apiToken) throw new UnauthenticatedError('This API token is not valid (any more).');
    await this.throttle.count(apiToken.id);
    scopeToTenant(this.em, apiToken.tenant.id);
    const now = new Date();
    if (
      !apiToken.lastUsedAt ||
      now.getTime() - apiToken.lastUsedAt.getTime() >= LAST_USE_PRECISION_MS
    ) {
      await this.em.nativeUpdate(ApiToken, { id: apiToken.id }, { lastUsedAt: now });
    }
    return {
      tenantId: apiToken.tenant.id,
      role: 'admin',
      apiToken: { id: apiToken.id, name: apiToken.name },
    };
  }
}
