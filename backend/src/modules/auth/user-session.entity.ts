import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { User } from '../operators/user.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';

/**
 * One sign-in: its id is the `jti` of the token it issued. A token is honoured only while its
 * row exists, so ending a session is deleting the row (logout, password change); deleting the
 * user deletes them all. Rows past `expiresAt` are dead already and pruned at the next sign-in.
 */
export class UserSession extends TenantOwnedEntity {
  constructor(
    tenant: Tenant,
    public user: User,
    public expiresAt: Date,
  ) {
    super(tenant);
  }
}

export const UserSessionSchema = new EntitySchema<UserSession, TenantOwnedEntity>({
  class: UserSession,
  tableName: 'user_session',
  extends: 'TenantOwnedEntity',
  properties: {
    user: { kind: 'm:1', entity: 'User', deleteRule: 'cascade', index: true },
    expiresAt: { type: 'datetime' },
  },
});
