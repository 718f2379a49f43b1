import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { User } from '../operators/user.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';

/**
 * A credential an admin gives a script or another system: it acts as the tenant's admin
 * (see ApiTokenActor). The token itself is shown once, at creation; the row keeps only its
 * SHA-256 hash and a short prefix to recognise it by. Revoking is deleting the row, so the
 * next request with it is refused. The token outlives its creator (`createdBy` becomes null).
 */
export class ApiToken extends TenantOwnedEntity {
  /** When a request last came with it, to the minute (not updated more often than that). */
  lastUsedAt: Date | null = null;

  constructor(
    tenant: Tenant,
    public name: string,
    /** Hex SHA-256 of the whole token. */
    public tokenHash: string,
    /** The token's first characters, e.g. `omni_Ab3x`: not enough to use it. */
    public prefix: string,
    public createdBy: User | null,
  ) {
    super(tenant);
  }
}

export const ApiTokenSchema = new EntitySchema<ApiToken, TenantOwnedEntity>({
  class: ApiToken,
  tableName: 'api_token',
  extends: 'TenantOwnedEntity',
  properties: {
    name: { type: 'string', length: 80 },
    tokenHash: { type: 'string', length: 64, unique: 'api_token_token_hash_unique', hidden: true },
    prefix: { type: 'string', length: 16 },
    createdBy: { kind: 'm:1', entity: 'User', nullable: true, deleteRule: 'set null' },
    lastUsedAt: { type: 'datetime', nullable: true },
  },
});
